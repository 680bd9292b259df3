/**
 * Walks a DAG with bounded concurrency. Helia's own walker fetches one block at a time,
 * which makes pinning over bitswap slow (LIBRARY-NOTES); this one keeps `concurrency`
 * block requests in flight.
 */
import { createUnsafe } from 'multiformats/block'
import type { LocalLinks } from './local-links.js'
import type { CodecLoader } from '@helia/interface'
import type { CID } from 'multiformats/cid'

/** How to walk. */
export interface WalkDagInit {
  /** -1 = the whole DAG; 0 = the root only; n = n levels of links below the root. */
  maxDepth: number
  /** Blocks requested at the same time. */
  concurrency: number
  /** Returns the bytes of a (non-identity) block; may fetch it from the network. */
  getBlock: (cid: CID, options: { signal: AbortSignal }) => Promise<Uint8Array>
  getCodec: CodecLoader
  /**
   * The links of a block when it is stored locally (reading little of it), else undefined:
   * then `getBlock` obtains it.
   */
  localLinks?: LocalLinks
  /** Called for each block obtained (identity blocks included). */
  onBlock?: (cid: CID) => void
  /**
   * Blocks already walked (multihash key → remaining depth), shared between walks so a
   * sub-DAG reachable from two roots is walked once.
   */
  visited?: Map<string, number>
  signal?: AbortSignal
}

/** Key of a block in `visited`: its multihash (blocks are stored by multihash). */
export function multihashKey (cid: CID): string {
  return Buffer.from(cid.multihash.bytes).toString('base64')
}

const IDENTITY = 0x00

/** The links of a block, decoded with the codec of its CID. Throws when the codec is unknown. */
export async function blockLinks (cid: CID, bytes: Uint8Array, getCodec: CodecLoader): Promise<CID[]> {
  if (cid.code === 0x55) return [] // raw: no links, no decoding
  const codec = await getCodec(cid.code)
  const block = createUnsafe({ cid, bytes, codec })
  const out: CID[] = []
  for (const [, link] of block.links()) out.push(link)
  return out
}

/** Resolves once every block of the DAG (to `maxDepth`) was obtained; rejects on the first failure. */
export async function walkDag (root: CID, init: WalkDagInit): Promise<void> {
  const visited = init.visited ?? new Map<string, number>()
  const controller = new AbortController()
  const signal = init.signal != null ? AbortSignal.any([init.signal, controller.signal]) : controller.signal
  signal.throwIfAborted()
  const concurrency = Math.max(1, init.concurrency)

  const visit = async (cid: CID, remaining: number): Promise<Array<[CID, number]>> => {
    signal.throwIfAborted()
    if (cid.multihash.code !== IDENTITY && init.localLinks != null) {
      const links = await init.localLinks(cid)
      if (links != null) {
        init.onBlock?.(cid)
        return remaining <= 0 ? [] : links.map((l) => [l, remaining - 1])
      }
    }
    const bytes = cid.multihash.code === IDENTITY ? cid.multihash.digest : await init.getBlock(cid, { signal })
    init.onBlock?.(cid)
    if (remaining <= 0) return []
    const links = await blockLinks(cid, bytes, init.getCodec)
    return links.map((l) => [l, remaining - 1])
  }

  const queue: Array<[CID, number]> = [[root, init.maxDepth < 0 ? Infinity : init.maxDepth]]
  let active = 0
  await new Promise<void>((resolve, reject) => {
    let failed = false
    const fail = (err: unknown): void => {
      if (failed) return
      failed = true
      controller.abort(err)
      reject(err)
    }
    const pump = (): void => {
      if (failed) return
      while (active < concurrency && queue.length > 0) {
        const [cid, remaining] = queue.pop() as [CID, number]
        const key = multihashKey(cid)
        const seen = visited.get(key)
        if (seen != null && seen >= remaining) continue
        visited.set(key, remaining)
        active++
        visit(cid, remaining).then((children) => {
          active--
          for (const c of children) queue.push(c)
          pump()
        }, fail)
      }
      if (active === 0 && queue.length === 0) resolve()
    }
    pump()
  })
}
