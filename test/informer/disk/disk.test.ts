import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { diskInformer } from '../../../src/informer/disk/index.js'
import { nowNs } from '../../../src/util/time.js'
import type { IPFSRepoStat } from '../../../src/interface/types.js'

const stat = (repoSize: number, storageMax: number) => ({
  repoStat: async (): Promise<IPFSRepoStat> => ({ repoSize, storageMax })
})
const failing = { repoStat: async (): Promise<IPFSRepoStat> => { throw new Error('down') } }

describe('disk informer', () => {
  it('reports free space as value and weight, valid, not partitionable', async () => {
    const inf = diskInformer({ metricTtl: 30_000 })({ ipfs: stat(400, 1000) })
    assert.equal(inf.name(), 'freespace')
    const before = nowNs()
    const [m, ...rest] = await inf.getMetrics()
    assert.equal(rest.length, 0)
    assert.equal(m.name, 'freespace')
    assert.equal(m.peer, '')
    assert.equal(m.value, '600')
    assert.equal(m.weight, 600n)
    assert.equal(m.valid, true)
    assert.equal(m.partitionable, false)
    // expire = now + ttl
    assert.ok(m.expire >= before + 30_000_000_000n && m.expire <= nowNs() + 30_000_000_000n)
  })

  it('is invalid with value 0 when the repo size reaches storage max', async () => {
    for (const size of [1000, 1500]) {
      const [m] = await diskInformer({ metricType: 'freespace' })({ ipfs: stat(size, 1000) }).getMetrics()
      assert.equal(m.valid, false)
      assert.equal(m.value, '0')
      assert.equal(m.weight, 0n)
    }
  })

  it('reports repo size with a negative weight', async () => {
    const inf = diskInformer({ metricType: 'reposize' })({ ipfs: stat(400, 1000) })
    assert.equal(inf.name(), 'reposize')
    const [m] = await inf.getMetrics()
    assert.equal(m.name, 'reposize')
    assert.equal(m.value, '400')
    assert.equal(m.weight, -400n)
    assert.equal(m.valid, true)
  })

  it('is invalid when repo stat fails', async () => {
    const [m] = await diskInformer()({ ipfs: failing }).getMetrics()
    assert.equal(m.name, 'freespace')
    assert.equal(m.valid, false)
    assert.equal(m.value, '')
  })

  it('returns one invalid metric after stop', async () => {
    const inf = diskInformer()({ ipfs: stat(1, 1000) })
    await inf.stop?.()
    const metrics = await inf.getMetrics()
    assert.equal(metrics.length, 1)
    assert.equal(metrics[0].valid, false)
  })
})
