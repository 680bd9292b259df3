import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { pubsubMonitor } from '../../../src/monitor/pubsubmon/index.js'
import { fromJson, toJson, DEFAULTS } from '../../../src/monitor/pubsubmon/config.js'
import { decodeMetric, encodeMetric, LEGACY_PREFIX } from '../../../src/monitor/pubsubmon/codec.js'
import { silentLogger } from '../../../src/util/logger.js'
import { metric, peers } from './helpers.js'

function monitor (publish?: (d: Uint8Array) => Promise<void>, checkInterval = 2) {
  return pubsubMonitor({ checkInterval })({ peerId: 'self', logger: silentLogger(), publish })
}

/** Resolves with the pending result, or 'timeout' after `ms`. */
async function within<T> (p: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined
  const t = new Promise<'timeout'>((resolve) => { timer = setTimeout(() => { resolve('timeout') }, ms) })
  try {
    return await Promise.race([p, t])
  } finally {
    clearTimeout(timer)
  }
}

describe('pubsub monitor', () => {
  it('stores logged metrics and answers latest, latest for peer and names', async () => {
    const mon = monitor()
    await mon.logMetric(metric('freespace', 'b', { value: '2' }))
    await mon.logMetric(metric('freespace', 'a', { value: '1' }))
    await mon.logMetric(metric('freespace', 'c', {}, -1))
    await mon.logMetric(metric('ping', 'a'))
    assert.deepEqual((await mon.latestMetrics('freespace')).map((m) => [m.peer, m.value]), [['a', '1'], ['b', '2']])
    assert.equal(mon.latestForPeer('freespace', 'c')?.peer, 'c')
    assert.equal(mon.latestForPeer('freespace', 'z'), undefined)
    assert.deepEqual(await mon.metricNames(), ['freespace', 'ping'])
  })

  it('reports a peer whose ping arrives while it had no valid one (a join), once', async () => {
    const [self, other, third] = await peers(3)
    const joined: string[] = []
    const mon = pubsubMonitor({ checkInterval: 60_000 })({ peerId: self, logger: silentLogger(), onNewPeer: (p) => { joined.push(p) } })
    await mon.handleMessage(encodeMetric(metric('ping', other)))
    await mon.handleMessage(encodeMetric(metric('ping', other)))
    // other metrics, our own pings and pings already expired are not joins
    await mon.handleMessage(encodeMetric(metric('freespace', third)))
    await mon.handleMessage(encodeMetric(metric('ping', self)))
    await mon.handleMessage(encodeMetric(metric('ping', third, {}, -1)))
    assert.deepEqual(joined, [other])
    // a peer whose last ping expired comes back: a join again
    await mon.handleMessage(encodeMetric(metric('ping', third)))
    assert.deepEqual(joined, [other, third])
  })

  it('publishes a metric: stores it locally and sends it msgpack-encoded', async () => {
    const sent: Uint8Array[] = []
    const mon = monitor(async (d) => { sent.push(d) })
    const m = metric('freespace', 'self', { value: '42', weight: 42n })
    await mon.publishMetric(m)
    assert.equal(sent.length, 1)
    assert.deepEqual(decodeMetric(sent[0]).metric, m)
    const [stored] = await mon.latestMetrics('freespace')
    assert.equal(stored.value, '42')
    assert.ok(stored.receivedAt > 0n)
  })

  it('publishes a metric without a peer as a metric of this peer', async () => {
    const sent: Uint8Array[] = []
    const mon = monitor(async (d) => { sent.push(d) })
    await mon.publishMetric(metric('tag:group', '', { value: 'g' }))
    assert.equal(decodeMetric(sent[0]).metric.peer, 'self')
    assert.equal(mon.latestForPeer('tag:group', 'self')?.value, 'g')
  })

  it('does not publish nor store discarded metrics', async () => {
    const sent: Uint8Array[] = []
    const mon = monitor(async (d) => { sent.push(d) })
    await mon.publishMetric(metric('freespace', 'self', { valid: false }))
    await mon.publishMetric(metric('freespace', 'self', {}, -1))
    assert.equal(sent.length, 0)
    assert.deepEqual(await mon.metricNames(), [])
  })

  it('stores received messages, including legacy-prefixed ones, and drops garbage', async () => {
    const mon = monitor()
    await mon.handleMessage(encodeMetric(metric('ping', 'a')))
    await mon.handleMessage(new Uint8Array([...LEGACY_PREFIX, ...encodeMetric(metric('ping', 'b'))]))
    await mon.handleMessage(new Uint8Array([1, 2, 3]))
    assert.deepEqual((await mon.latestMetrics('ping')).map((m) => m.peer), ['a', 'b'])
  })

  it('raises an alert once for an expired metric, and again after a valid one', async () => {
    const mon = monitor()
    await mon.start?.()
    try {
      const alerts = mon.alerts()[Symbol.asyncIterator]()
      await mon.logMetric(metric('ping', 'p', { value: 'first' }, -1))
      const a = await within(alerts.next(), 2000)
      assert.ok(a !== 'timeout')
      assert.equal(a.value?.peer, 'p')
      assert.equal(a.value?.value, 'first')
      // several check passes (2 ms each) later there is still no second alert
      const pending = alerts.next()
      assert.equal(await within(pending, 30), 'timeout')
      await mon.logMetric(metric('ping', 'p', { value: 'fresh' }))
      await mon.logMetric(metric('ping', 'p', { value: 'second' }, -1))
      const b = await within(pending, 2000)
      assert.ok(b !== 'timeout')
      assert.equal(b.value?.value, 'second')
      await alerts.return?.(undefined)
    } finally {
      await mon.stop?.()
    }
  })

  it('ends the alert iterables on stop and is safe to stop twice or before start', async () => {
    const idle = monitor()
    await idle.stop?.()
    const mon = monitor()
    await mon.start?.()
    const done = (async () => { for await (const _ of mon.alerts()) { /* none */ } return true })()
    await mon.stop?.()
    await mon.stop?.()
    assert.equal(await done, true)
  })
})

describe('pubsubmon config', () => {
  it('round-trips the defaults', () => {
    const cfg = fromJson(DEFAULTS)
    assert.equal(cfg.checkInterval, 15_000)
    assert.deepEqual(toJson(cfg), { check_interval: '15s' })
  })

  it('rejects a missing or unparsable interval', () => {
    assert.throws(() => fromJson({}), { name: 'InvalidConfigError', message: 'pubsubmon.check_interval too low' })
    assert.throws(() => fromJson({ check_interval: 'soon' }), { name: 'InvalidConfigError' })
  })
})
