/**
 * Cluster-wide `StatusAll` / `RecoverAll` (spec pinning-internals §11): every peer's
 * stream of PinInfo grouped by CID into GlobalPinInfo, with bounded memory.
 *
 * Go collects every peer's whole answer in a map first (the pinset times the peers in
 * memory). Each peer lists its state in key order (CID bytes, the store's order), so the
 * streams are merged as sorted runs instead: a CID's entries are complete once every
 * stream has moved past it. Listings that are not in key order (the tracker's
 * operations-only filters) are grouped in a map, bounded by the operations in flight.
 */
import { compare } from 'uint8arrays/compare'
import { mergePinInfo } from '../api/common/codec.js'
import type { GlobalPinInfo, PinInfo } from '../interface/types.js'

/** One peer's answer. */
export interface PeerStream {
  peer: string
  items: AsyncIterable<PinInfo>
}

/** What to put in the peer map of a peer whose stream failed (`cluster_error`). */
export type ErrorEntry = (peer: string, error: Error, like: GlobalPinInfo) => PinInfo | undefined

interface Head {
  peer: string
  it: AsyncIterator<PinInfo>
  item: PinInfo | undefined
}

/**
 * Merges sorted streams. A peer whose stream fails gets `errorEntry(...)` in every
 * GlobalPinInfo emitted after the failure (Go: "for every CID collected from others");
 * an `errorEntry` returning undefined (authorization errors) leaves the peer out.
 */
export async function * mergeSorted (streams: PeerStream[], errorEntry: ErrorEntry): AsyncGenerator<GlobalPinInfo> {
  const failed = new Map<string, Error>()
  const heads: Head[] = streams.map((s) => ({ peer: s.peer, it: s.items[Symbol.asyncIterator](), item: undefined }))
  const advance = async (h: Head): Promise<void> => {
    try {
      const r = await h.it.next()
      h.item = r.done === true ? undefined : r.value
    } catch (err: any) {
      h.item = undefined
      failed.set(h.peer, err instanceof Error ? err : new Error(String(err)))
    }
  }
  let live = [...heads]
  try {
    await Promise.all(live.map(advance))
    for (;;) {
      live = live.filter((h) => h.item != null)
      if (live.length === 0) return
      // the smallest CID among the heads; every head holding it contributes
      let min = live[0].item as PinInfo
      for (const h of live) if (compare((h.item as PinInfo).cid.bytes, min.cid.bytes) < 0) min = h.item as PinInfo
      const g = emptyGlobal()
      const taken = live.filter((h) => (h.item as PinInfo).cid.equals(min.cid))
      for (const h of taken) mergePinInfo(g, h.item as PinInfo)
      addErrors(g, failed, errorEntry)
      await Promise.all(taken.map(advance))
      yield g
    }
  } finally {
    await Promise.allSettled(heads.map(async (h) => await h.it.return?.()))
  }
}

/** Groups streams in any order, in memory (for small listings: operations in flight). */
export async function * mergeUnsorted (streams: PeerStream[], errorEntry: ErrorEntry): AsyncGenerator<GlobalPinInfo> {
  const byCid = new Map<string, GlobalPinInfo>()
  const failed = new Map<string, Error>()
  await Promise.all(streams.map(async (s) => {
    try {
      for await (const p of s.items) {
        const key = p.cid.toString()
        const g = byCid.get(key) ?? emptyGlobal()
        mergePinInfo(g, p)
        byCid.set(key, g)
      }
    } catch (err: any) {
      failed.set(s.peer, err instanceof Error ? err : new Error(String(err)))
    }
  }))
  for (const g of byCid.values()) {
    addErrors(g, failed, errorEntry)
    yield g
  }
}

function emptyGlobal (): GlobalPinInfo {
  return { cid: undefined, name: '', allocations: undefined, origins: undefined, created: undefined, metadata: undefined, peerMap: new Map() }
}

function addErrors (g: GlobalPinInfo, failed: Map<string, Error>, errorEntry: ErrorEntry): void {
  for (const [peer, err] of failed) {
    if (g.peerMap.has(peer)) continue
    const e = errorEntry(peer, err, g)
    if (e != null) mergePinInfo(g, e)
  }
}
