/** Small helpers of the embedded connector. */
import { equals as uint8ArrayEquals } from 'uint8arrays/equals'
import { parseCid } from '../../api/common/cid.js'
import { IPFSError } from '../../interface/errors.js'
import { BlockHashMismatchError } from './errors.js'
import type { EmbeddedHelia } from './node.js'
import type { BlockWithFormat } from '../../interface/ipfs-connector.js'
import type { IPFSPinStatus } from '../../interface/types.js'
import type { CID } from 'multiformats/cid'

/** A signal that fires on the caller's abort or after `ms` (0 or less: no timeout). */
export function withTimeout (signal: AbortSignal | undefined, ms: number): AbortSignal | undefined {
  const list: AbortSignal[] = []
  if (signal != null) list.push(signal)
  if (ms > 0) list.push(AbortSignal.timeout(ms))
  if (list.length === 0) return undefined
  return list.length === 1 ? list[0] : AbortSignal.any(list)
}

/**
 * Like `withTimeout`, with a timer that `clear()` stops: use it on hot paths, where
 * `AbortSignal.timeout` would keep each call's signal and timer alive until it fires.
 */
export function timeoutSignal (signal: AbortSignal | undefined, ms: number): { signal: AbortSignal | undefined, clear: () => void } {
  if (ms <= 0) return { signal, clear: () => {} }
  const timer = new AbortController()
  const t = setTimeout(() => { timer.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')) }, ms)
  t.unref()
  return {
    signal: signal == null ? timer.signal : AbortSignal.any([signal, timer.signal]),
    clear: () => { clearTimeout(t) }
  }
}

/** All chunks of a block as one buffer. */
export async function concat (source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = []
  for await (const c of source) chunks.push(c)
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)
}

/** Consumes an iterable for its side effects. */
export async function drain (source: AsyncIterable<unknown> | Iterable<unknown>): Promise<void> {
  for await (const _ of source) { /* consume */ }
}

/** The stored Helia pin depth for a cluster max depth (-1 = recursive). */
export function heliaDepth (maxDepth: number): number {
  return maxDepth < 0 ? Infinity : maxDepth
}

/** "IsPinned(maxDepth)" of spec §1.4. */
export function isPinnedAt (status: IPFSPinStatus, maxDepth: number): boolean {
  return maxDepth === 0 ? status === 'direct' : status === 'recursive'
}

/** Helia keys pins by CIDv1; the CID the pin was made with is kept in its metadata. */
export function originalCid (stored: CID, metadata: Record<string, unknown>): CID {
  if (typeof metadata.cid === 'string') {
    try {
      const c = parseCid(metadata.cid)
      if (uint8ArrayEquals(c.multihash.bytes, stored.multihash.bytes)) return c
    } catch {}
  }
  return stored
}

/** Throws BlockHashMismatchError unless the block's bytes hash to its CID's multihash. */
export async function verifyBlock (helia: EmbeddedHelia, b: BlockWithFormat): Promise<void> {
  const mh = b.cid.multihash
  let digest: Uint8Array
  if (mh.code === 0x00) {
    digest = b.data
  } else {
    let hasher
    try {
      hasher = await helia.getHasher(mh.code)
    } catch (err: any) {
      throw new IPFSError(`block ${b.cid}: unsupported hash function 0x${mh.code.toString(16)}`, { cause: err })
    }
    digest = (await hasher.digest(b.data, { truncate: mh.digest.byteLength } as any)).digest
  }
  if (!uint8ArrayEquals(digest, mh.digest)) {
    throw new BlockHashMismatchError(`block ${b.cid}: data does not match the CID's hash`)
  }
}
