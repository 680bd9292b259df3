import type { CID } from 'multiformats/cid'

/**
 * A map key for CID bytes: one char per byte (latin1). Much cheaper than
 * `cid.toString()` (base58/base32 encoding), and equal exactly when the CIDs are.
 */
export function bytesKey (bytes: Uint8Array): string {
  // store keys arrive as Buffers: their native latin1 decoding is the fastest path
  if (Buffer.isBuffer(bytes)) return bytes.toString('latin1')
  if (bytes.byteLength <= 128) return String.fromCharCode.apply(null, bytes as unknown as number[])
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1')
}

/** The map key of a CID (see `bytesKey`). */
export function cidKey (cid: CID): string {
  return bytesKey(cid.bytes)
}
