/**
 * The links of a locally stored block, read as little of it as possible: a walk over a
 * freshly added file (pin, `pin ls --type=indirect`, GC marking) otherwise reads every
 * leaf whole, e.g. 512 MiB read back (twice: the pin's walk and Helia's pin records)
 * after a 512 MiB add.
 */
import { createUnsafe } from 'multiformats/block'
import { concat } from './helpers.js'
import type { SizedBlockstore } from './sized-blockstore.js'
import type { CodecLoader } from '@helia/interface'
import type { CID } from 'multiformats/cid'

const RAW = 0x55
const DAG_PB = 0x70
/** dag-pb `PBNode.Data` (field 1, bytes). */
const PB_DATA_TAG = 0x0a
/** Enough for the Data tag and its length (a varint of at most 5 bytes for a block < 2^35). */
const PB_HEAD = 6

/** Links of a local block, or undefined when the block is not stored here. */
export type LocalLinks = (cid: CID) => Promise<CID[] | undefined>

/**
 * `LocalLinks` over `store`: raw blocks are only checked for presence; a dag-pb block
 * that is nothing but its Data field (a file leaf: the canonical form puts links before
 * Data, and when Data comes first, links may still follow it, so the size must match) has
 * no links, which its first bytes and its size tell; other blocks are read and decoded
 * with their codec.
 */
export function localLinks (store: SizedBlockstore, getCodec: CodecLoader): LocalLinks {
  return async (cid) => {
    if (cid.code === RAW) return await store.has(cid) ? [] : undefined
    if (cid.code === DAG_PB) {
      const head = await store.head(cid, PB_HEAD)
      if (head == null) return undefined
      if (head.size === 0 || onlyData(head.bytes, head.size)) return []
    }
    let bytes: Uint8Array
    try {
      bytes = await concat(store.get(cid))
    } catch (err: any) {
      if (err.name === 'NotFoundError') return undefined
      throw err
    }
    const block = createUnsafe({ cid, bytes, codec: await getCodec(cid.code) })
    const out: CID[] = []
    for (const [, link] of block.links()) out.push(link)
    return out
  }
}

/** True when a dag-pb block of `size` bytes starting with `head` is a single Data field. */
function onlyData (head: Uint8Array, size: number): boolean {
  if (head[0] !== PB_DATA_TAG) return false
  let len = 0
  for (let i = 1, shift = 1; i < head.length; i++, shift *= 128) {
    len += (head[i] & 0x7f) * shift
    if (head[i] < 0x80) return i + 1 + len === size
  }
  return false
}
