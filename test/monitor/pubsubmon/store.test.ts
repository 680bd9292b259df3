import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { peerIdFromString } from '@libp2p/peer-id'
import { MetricsStore, WINDOW_CAP, compareMetrics } from '../../../src/monitor/pubsubmon/store.js'
import { nowNs } from '../../../src/util/time.js'
import { metric, peers } from './helpers.js'

describe('metrics store', () => {
  it('keeps the last 25 metrics per name and peer and stamps received_at', () => {
    const store = new MetricsStore()
    const before = nowNs()
    for (let i = 0; i < 30; i++) store.add(metric('m', 'p', { value: String(i) }))
    const all = store.peerAll('m', 'p')
    assert.equal(WINDOW_CAP, 25)
    assert.equal(all.length, 25)
    assert.equal(all[0].value, '29')
    assert.equal(all[24].value, '5')
    assert.ok(all[0].receivedAt >= before)
  })

  it('returns the latest valid metrics sorted by raw peer ID bytes', async () => {
    const ids = await peers(6)
    const store = new MetricsStore()
    for (const p of ids) store.add(metric('m', p))
    const got = store.latestValid('m').map((m) => m.peer)
    const expected = [...ids].sort((a, b) => Buffer.compare(peerIdFromString(a).toMultihash().bytes, peerIdFromString(b).toMultihash().bytes))
    assert.deepEqual(got, expected)
  })

  it('leaves out peers whose latest metric is expired or invalid', () => {
    const store = new MetricsStore()
    store.add(metric('m', 'a'))
    store.add(metric('m', 'b', {}, -1000))
    store.add(metric('m', 'c'))
    store.add(metric('m', 'c', { valid: false }))
    // an older valid metric does not count once a newer expired one arrived
    store.add(metric('m', 'd'))
    store.add(metric('m', 'd', {}, -1))
    assert.deepEqual(store.latestValid('m').map((m) => m.peer), ['a'])
    assert.deepEqual(store.latestValid('unknown'), [])
  })

  it('orders equal peers by expiry', () => {
    const a = metric('m', 'p', {}, 10)
    const b = metric('m', 'p', {}, 20)
    assert.ok(compareMetrics(a, b) < 0)
    assert.ok(compareMetrics(b, a) > 0)
  })

  it('answers the latest metric of a peer even when expired', () => {
    const store = new MetricsStore()
    store.add(metric('m', 'p', { value: 'old' }, -5))
    assert.equal(store.peerLatest('m', 'p')?.value, 'old')
    assert.equal(store.peerLatest('m', 'q'), undefined)
    assert.equal(store.peerLatest('x', 'p'), undefined)
  })

  it('lists every metric name ever seen', () => {
    const store = new MetricsStore()
    store.add(metric('ping', 'p'))
    store.add(metric('freespace', 'p', {}, -1))
    store.add(metric('ping', 'q'))
    assert.deepEqual(store.metricNames(), ['ping', 'freespace'])
  })
})
