import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { compare } from 'uint8arrays/compare'
import { mergeSorted, mergeUnsorted } from '../../src/cluster/merge.js'
import type { ErrorEntry } from '../../src/cluster/merge.js'
import type { PinInfo } from '../../src/interface/types.js'

async function cids (n: number): Promise<CID[]> {
  const out = await Promise.all(Array.from({ length: n }, async (_, i) => CID.createV1(raw.code, await sha256.digest(new TextEncoder().encode(`c${i}`)))))
  return out.sort((a, b) => compare(a.bytes, b.bytes))
}

function info (cid: CID, peer: string, status: PinInfo['status'] = 'pinned'): PinInfo {
  return {
    cid, peer, status, name: `n-${peer}`, peerName: peer, ipfsPeerId: '', ipfsPeerAddresses: [], timestamp: undefined,
    error: '', attemptCount: 0, priorityPin: false, allocations: [], origins: [], created: undefined, metadata: undefined
  }
}

async function * gen (items: PinInfo[], failAfter?: number): AsyncGenerator<PinInfo> {
  for (const [i, it] of items.entries()) {
    if (failAfter === i) throw new Error('connection reset')
    yield it
  }
  if (failAfter != null && failAfter >= items.length) throw new Error('connection reset')
}

const errorEntry: ErrorEntry = (peer, err, like) => ({ ...info(like.cid as CID, peer, 'cluster_error'), error: err.message })

describe('cluster: merging peers\' status streams', () => {
  it('groups sorted streams by CID, with peers missing some CIDs', async () => {
    const c = await cids(6)
    const a = [c[0], c[1], c[3], c[5]].map((x) => info(x, 'A'))
    const b = [c[1], c[2], c[3], c[4]].map((x) => info(x, 'B'))
    const out = []
    for await (const g of mergeSorted([{ peer: 'A', items: gen(a) }, { peer: 'B', items: gen(b) }], errorEntry)) out.push(g)
    assert.deepEqual(out.map((g) => g.cid?.toString()), c.map(String))
    assert.deepEqual(out.map((g) => [...g.peerMap.keys()].sort().join()), ['A', 'A,B', 'B', 'A,B', 'B', 'A'])
  })

  it('gives a failed peer a cluster_error entry in every CID after its failure', async () => {
    const c = await cids(4)
    const a = c.map((x) => info(x, 'A'))
    const b = c.map((x) => info(x, 'B'))
    const out = []
    for await (const g of mergeSorted([{ peer: 'A', items: gen(a) }, { peer: 'B', items: gen(b, 2) }], errorEntry)) out.push(g)
    assert.deepEqual(out.map((g) => g.peerMap.get('B')?.status), ['pinned', 'pinned', 'cluster_error', 'cluster_error'])
    assert.equal(out[3].peerMap.get('B')?.error, 'connection reset')
    assert.equal(out[3].name, 'n-A', 'top-level fields come from a real entry')
  })

  it('leaves out peers for which errorEntry returns undefined (authorization errors)', async () => {
    const c = await cids(2)
    const out = []
    for await (const g of mergeSorted([{ peer: 'A', items: gen(c.map((x) => info(x, 'A'))) }, { peer: 'B', items: gen([], 0) }], () => undefined)) out.push(g)
    assert.deepEqual(out.map((g) => [...g.peerMap.keys()].join()), ['A', 'A'])
  })

  it('stops every stream when the consumer stops early', async () => {
    const c = await cids(10)
    let closed = 0
    const tracked = async function * (peer: string): AsyncGenerator<PinInfo> {
      try { for (const x of c) yield info(x, peer) } finally { closed++ }
    }
    for await (const _ of mergeSorted([{ peer: 'A', items: tracked('A') }, { peer: 'B', items: tracked('B') }], errorEntry)) break
    assert.equal(closed, 2)
  })

  it('groups unsorted streams in memory', async () => {
    const c = await cids(3)
    const out = []
    for await (const g of mergeUnsorted([{ peer: 'A', items: gen([info(c[2], 'A'), info(c[0], 'A')]) }, { peer: 'B', items: gen([info(c[0], 'B')], 1) }], errorEntry)) out.push(g)
    assert.equal(out.length, 2)
    const first = out.find((g) => g.cid?.equals(c[0]))
    assert.deepEqual([...(first?.peerMap.keys() ?? [])].sort(), ['A', 'B'])
    assert.equal(out.find((g) => g.cid?.equals(c[2]))?.peerMap.get('B')?.status, 'cluster_error')
  })
})
