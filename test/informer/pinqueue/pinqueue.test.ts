import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { pinQueueInformer } from '../../../src/informer/pinqueue/index.js'
import { pinQueueWeight } from '../../../src/informer/pinqueue/pinqueue.js'

const queue = (n: number) => ({ pinQueueSize: async () => n })

describe('pinqueue informer', () => {
  it('divides the negated queue length by the bucket size, truncating toward zero', async () => {
    const [m] = await pinQueueInformer({ metricTtl: 1000, weightBucketSize: 5 })(queue(42)).getMetrics()
    assert.equal(m.name, 'pinqueue')
    assert.equal(m.value, '42')
    assert.equal(m.weight, -8n)
    assert.equal(m.valid, true)
    assert.equal(m.partitionable, false)
  })

  it('gives weight 0 below the default bucket of 100000', async () => {
    const [m] = await pinQueueInformer({ weightBucketSize: 100000 })(queue(99_999)).getMetrics()
    assert.equal(m.weight, 0n)
    assert.equal(m.value, '99999')
  })

  it('uses the negated length when bucketing is off', async () => {
    const [m] = await pinQueueInformer({ weightBucketSize: 0 })(queue(42)).getMetrics()
    assert.equal(m.weight, -42n)
    assert.equal(pinQueueWeight(7n, 2), -3n)
  })

  it('is invalid when the queue size cannot be read', async () => {
    const [m] = await pinQueueInformer()({ pinQueueSize: async () => { throw new Error('x') } }).getMetrics()
    assert.equal(m.valid, false)
    assert.equal(m.value, '0')
  })
})
