import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { CID } from 'multiformats/cid'
import { allocate, notEnoughPeersMessage } from '../../src/allocator/allocate.js'
import type { AllocateArgs } from '../../src/allocator/allocate.js'
import type { MetricsSet, PinAllocator } from '../../src/interface/allocator.js'
import type { Metric } from '../../src/interface/types.js'

const cid = CID.parse('QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o')

function fs (peer: string, free: number): Metric {
  return { name: 'freespace', peer, value: String(free), weight: BigInt(free), valid: true, partitionable: false, expire: 1n << 62n, receivedAt: 0n }
}

/** An allocator that sorts by freespace weight and records what it was given. */
function recordingAllocator (names = ['freespace']): PinAllocator & { calls: Array<{ current: MetricsSet, candidates: MetricsSet, priority: MetricsSet }> } {
  const calls: Array<{ current: MetricsSet, candidates: MetricsSet, priority: MetricsSet }> = []
  const order = (s: MetricsSet): string[] => [...s.entries()]
    .sort((a, b) => Number((b[1].get('freespace')?.weight ?? 0n) - (a[1].get('freespace')?.weight ?? 0n)))
    .map(([p]) => p)
  return {
    calls,
    metrics: () => names,
    allocate: async (_c, current, candidates, priority) => {
      calls.push({ current, candidates, priority })
      return [...order(priority), ...order(candidates)]
    }
  }
}

function args (over: Partial<AllocateArgs>): AllocateArgs {
  return {
    cid,
    currentAllocations: [],
    rmin: 1,
    rmax: 1,
    blacklist: [],
    priorityList: [],
    metricsByName: new Map([['freespace', [fs('a', 10), fs('b', 50), fs('c', 30), fs('d', 20)]]]),
    allocator: recordingAllocator(),
    isTrusted: () => true,
    pinOnlyOnTrustedPeers: false,
    pinOnlyOnUntrustedPeers: false,
    ...over
  }
}

describe('allocate', () => {
  it('rejects 0/0 replication factors', async () => {
    await assert.rejects(allocate(args({ rmin: 0, rmax: 0 })), { name: 'BadReplicationFactorsError', message: 'bad replication factors: 0/0' })
  })

  it('returns [] (everywhere) when both factors are negative', async () => {
    const alloc = recordingAllocator()
    assert.deepEqual(await allocate(args({ rmin: -1, rmax: -1, allocator: alloc })), [])
    assert.equal(alloc.calls.length, 0)
  })

  it('allocates a new pin to min(rmax, available) peers in allocator order', async () => {
    assert.deepEqual(await allocate(args({ rmin: 2, rmax: 3 })), ['b', 'c', 'd'])
    assert.deepEqual(await allocate(args({ rmin: 2, rmax: 10 })), ['b', 'c', 'd', 'a'])
  })

  it('trims an over-allocated pin to the first rmax current peers', async () => {
    const alloc = recordingAllocator()
    const got = await allocate(args({ currentAllocations: ['a', 'b', 'c'], rmin: 1, rmax: 2, allocator: alloc }))
    assert.deepEqual(got, ['a', 'b'])
    assert.equal(alloc.calls.length, 0)
  })

  it('keeps the original allocations, dead peers included, while enough are healthy', async () => {
    const alloc = recordingAllocator()
    const got = await allocate(args({ currentAllocations: ['dead', 'a', 'b'], rmin: 2, rmax: 3, allocator: alloc }))
    assert.deepEqual(got, ['dead', 'a', 'b'])
    assert.equal(alloc.calls.length, 0)
  })

  it('replaces dead peers once the healthy ones fall below rmin', async () => {
    const got = await allocate(args({ currentAllocations: ['dead1', 'dead2', 'a'], rmin: 2, rmax: 3 }))
    assert.deepEqual(got, ['a', 'b', 'c'])
  })

  it('fails with the exact message when not enough peers are available', async () => {
    const metricsByName = new Map([['freespace', [fs('a', 10), fs('b', 50)]]])
    await assert.rejects(allocate(args({ rmin: 3, rmax: 4, metricsByName })), {
      name: 'AllocationError',
      message: 'not enough peers to allocate CID. Needed at least: 3. Wanted at most: 4. Available candidates: 2. See logs for more info.'
    })
  })

  it('fails with the allocator count when it returns fewer than needed', async () => {
    const alloc: PinAllocator = { metrics: () => ['freespace'], allocate: async () => ['a'] }
    await assert.rejects(allocate(args({ rmin: 2, rmax: 2, allocator: alloc })), {
      name: 'AllocationError',
      message: notEnoughPeersMessage(2, 2, 1)
    })
  })

  it('prefers user allocations, filling the rest from candidates', async () => {
    const alloc = recordingAllocator()
    const got = await allocate(args({ rmin: 3, rmax: 3, priorityList: ['a', 'gone'], allocator: alloc }))
    assert.deepEqual(got, ['a', 'b', 'c'])
    assert.deepEqual([...alloc.calls[0].priority.keys()], ['a'])
    assert.deepEqual([...alloc.calls[0].candidates.keys()].sort(), ['b', 'c', 'd'])
  })

  it('uses only the first rmax of the user allocations', async () => {
    const got = await allocate(args({ rmin: 1, rmax: 2, priorityList: ['a', 'd', 'c'] }))
    assert.deepEqual(got, ['c', 'd'])
  })

  it('drops blacklisted, untrusted and trusted peers as configured', async () => {
    assert.deepEqual(await allocate(args({ rmin: 1, rmax: 10, blacklist: ['b', 'c'] })), ['d', 'a'])
    const isTrusted = (p: string): boolean => p === 'a' || p === 'c'
    assert.deepEqual(await allocate(args({ rmin: 1, rmax: 10, isTrusted, pinOnlyOnTrustedPeers: true })), ['c', 'a'])
    assert.deepEqual(await allocate(args({ rmin: 1, rmax: 10, isTrusted, pinOnlyOnUntrustedPeers: true })), ['b', 'd'])
  })

  it('ignores peers that miss one of the allocator metrics', async () => {
    const tag = (peer: string): Metric => ({ ...fs(peer, 0), name: 'tag:group', value: 'g', weight: 0n, partitionable: true })
    const metricsByName = new Map([
      ['tag:group', [tag('a'), tag('b'), tag('c')]],
      ['freespace', [fs('a', 10), fs('b', 50), fs('d', 20)]]
    ])
    const alloc = recordingAllocator(['tag:group', 'freespace'])
    const got = await allocate(args({ rmin: 1, rmax: 10, metricsByName, allocator: alloc }))
    assert.deepEqual(got, ['b', 'a'])
    // a current peer missing a metric counts as not healthy
    await assert.rejects(allocate(args({ currentAllocations: ['c', 'd'], rmin: 3, rmax: 3, metricsByName, allocator: alloc })), {
      name: 'AllocationError',
      message: notEnoughPeersMessage(3, 3, 2)
    })
  })
})
