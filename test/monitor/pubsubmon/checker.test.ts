import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { AlertQueue } from '../../../src/monitor/pubsubmon/alert-queue.js'
import { Checker, ALERT_COUNTER_RESET } from '../../../src/monitor/pubsubmon/checker.js'
import { MetricsStore } from '../../../src/monitor/pubsubmon/store.js'
import { metric } from './helpers.js'

function setup (cap?: number): { store: MetricsStore, queue: AlertQueue, checker: Checker } {
  const store = new MetricsStore()
  const queue = new AlertQueue(cap)
  return { store, queue, checker: new Checker(store, queue) }
}

describe('alert checker', () => {
  it('alerts once for an expired valid metric', () => {
    const { store, queue, checker } = setup()
    store.add(metric('ping', 'p', { value: 'v' }, -1))
    store.add(metric('ping', 'q'))
    checker.checkAll()
    checker.checkAll()
    checker.checkAll()
    assert.equal(queue.size, 1)
  })

  it('does not alert for metrics whose valid flag is false', () => {
    const { store, queue, checker } = setup()
    store.add(metric('ping', 'p', { valid: false }, -1))
    checker.checkAll()
    assert.equal(queue.size, 0)
  })

  it('carries the latest stored metric and the trigger time', async () => {
    const { store, queue, checker } = setup()
    store.add(metric('ping', 'p', { value: 'last' }, -1))
    const before = Date.now()
    checker.checkAll()
    const it = queue.iterate()
    const { value } = await it.next()
    assert.equal(value?.name, 'ping')
    assert.equal(value?.peer, 'p')
    assert.equal(value?.value, 'last')
    assert.ok((value?.triggeredAt?.getTime() ?? 0) >= before)
    await it.return(undefined)
  })

  it('alerts again after the counter reaches 300', () => {
    const { store, queue, checker } = setup()
    store.add(metric('ping', 'p', {}, -1))
    for (let i = 0; i < ALERT_COUNTER_RESET; i++) checker.checkAll()
    assert.equal(queue.size, 1)
    checker.checkAll()
    assert.equal(queue.size, 2)
  })

  it('alerts again after a reset by a valid metric', () => {
    const { store, queue, checker } = setup()
    store.add(metric('ping', 'p', {}, -1))
    checker.checkAll()
    checker.resetAlerts('p', 'ping')
    checker.checkAll()
    assert.equal(queue.size, 2)
  })

  it('throws when the alert buffer is full, stopping the pass', () => {
    const { store, queue, checker } = setup(1)
    store.add(metric('ping', 'a', {}, -1))
    store.add(metric('ping', 'b', {}, -1))
    assert.throws(() => checker.checkAll(), { name: 'AlertChannelFullError', message: 'alert channel is full' })
    assert.equal(queue.size, 1)
  })
})
