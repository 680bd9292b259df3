import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { CID } from 'multiformats/cid'
import { balancedAllocator } from '../../../src/allocator/balanced/index.js'
import type { MetricsSet } from '../../../src/interface/allocator.js'
import type { Metric } from '../../../src/interface/types.js'

const cid = CID.parse('QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o')

function m (name: string, value: string, weight: number, peer: string, partitionable: boolean): Metric {
  return { name, peer, value, weight: BigInt(weight), partitionable, valid: true, expire: 0n, receivedAt: 0n }
}

/** Builds peer → name → metric from a flat list. */
function set (metrics: Metric[]): MetricsSet {
  const out: MetricsSet = new Map()
  for (const x of metrics) {
    let byName = out.get(x.peer)
    if (byName == null) {
      byName = new Map()
      out.set(x.peer, byName)
    }
    byName.set(x.name, x)
  }
  return out
}

describe('balanced allocator', () => {
  it('orders the worked example of the Go test as 6,4,2,7,5,1,3', async () => {
    const alloc = balancedAllocator({ allocateBy: ['region', 'az', 'pinqueue', 'freespace'] })()
    const candidates = set([
      m('abc', 'a', 0, '1', true),
      m('abc', 'b', 0, '2', true),

      m('region', 'a-us', 0, '1', true),
      m('region', 'a-us', 0, '2', true),
      m('region', 'b-eu', 0, '3', true),
      m('region', 'b-eu', 0, '4', true),
      m('region', 'b-eu', 0, '5', true),
      m('region', 'c-au', 0, '6', true),
      m('region', 'c-au', 0, '7', true),
      m('region', 'c-au', 0, '8', true),

      m('az', 'us1', 0, '1', true),
      m('az', 'us2', 0, '2', true),
      m('az', 'eu1', 0, '3', true),
      m('az', 'eu1', 0, '4', true),
      m('az', 'eu2', 0, '5', true),
      m('az', 'au1', 0, '6', true),
      m('az', 'au1', 0, '7', true),

      m('pinqueue', '100', 0, '1', true),
      m('pinqueue', '200', 0, '2', true),
      m('pinqueue', '100', 0, '3', true),
      m('pinqueue', '200', 0, '4', true),
      m('pinqueue', '300', 0, '5', true),
      m('pinqueue', '100', 0, '6', true),
      m('pinqueue', '1000', -1, '7', true),

      m('freespace', '100', 100, '1', false),
      m('freespace', '500', 500, '2', false),
      m('freespace', '200', 200, '3', false),
      m('freespace', '400', 400, '4', false),
      m('freespace', '10', 10, '5', false),
      m('freespace', '50', 50, '6', false),
      m('freespace', '600', 600, '7', false),
      m('freespace', '10000', 10000, '8', false)
    ])
    const peers = await alloc.allocate(cid, new Map(), candidates, new Map())
    assert.deepEqual(peers, ['6', '4', '2', '7', '5', '1', '3'])
  })

  it('puts priority peers first, each group in its own order', async () => {
    const alloc = balancedAllocator({ allocateBy: ['freespace'] })()
    const candidates = set([m('freespace', '10', 10, 'c1', false), m('freespace', '30', 30, 'c2', false)])
    const priority = set([m('freespace', '1', 1, 'p1', false), m('freespace', '5', 5, 'p2', false)])
    const current = set([m('freespace', '99', 99, 'cur', false)])
    assert.deepEqual(await alloc.allocate(cid, current, candidates, priority), ['p2', 'p1', 'c2', 'c1'])
  })

  it('breaks ties on the value compared as a string', async () => {
    const alloc = balancedAllocator({ allocateBy: ['tag:x'] })()
    const candidates = set([m('tag:x', '9', 0, 'nine', true), m('tag:x', '10', 0, 'ten', true)])
    // "10" < "9" as strings
    assert.deepEqual(await alloc.allocate(cid, new Map(), candidates, new Map()), ['ten', 'nine'])
  })

  it('does not add up equal non-partitionable values', async () => {
    const alloc = balancedAllocator({ allocateBy: ['freespace'] })()
    const candidates = set([
      m('freespace', '100', 100, 'a', false),
      m('freespace', '100', 100, 'b', false),
      m('freespace', '100', 100, 'c', false),
      m('freespace', '200', 200, 'd', false)
    ])
    const peers = await alloc.allocate(cid, new Map(), candidates, new Map())
    assert.equal(peers[0], 'd')
    assert.deepEqual([...peers].sort(), ['a', 'b', 'c', 'd'])
  })

  it('reports its metrics and defaults to tag:group then freespace', () => {
    assert.deepEqual(balancedAllocator({ allocateBy: ['a', 'b'] })().metrics(), ['a', 'b'])
    assert.deepEqual(balancedAllocator()().metrics(), ['tag:group', 'freespace'])
  })
})
