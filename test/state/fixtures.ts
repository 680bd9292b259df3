/** Pins for the state tests. */
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { pinWithOpts } from '../../src/api/common/pin.js'
import type { Pin } from '../../src/interface/types.js'

/** A CID (v0 for even `i` when `mixed`, else v1 raw) derived from `i`. */
export async function cidOf (i: number, mixed = true): Promise<CID> {
  const digest = await sha256.digest(new TextEncoder().encode(`pin-${i}`))
  return mixed && i % 2 === 0 ? CID.createV0(digest) : CID.createV1(raw.code, digest)
}

/** A data pin with every field set. */
export async function fullPin (i: number): Promise<Pin> {
  const pin = pinWithOpts(await cidOf(i), {
    name: `name <${i}> & co`,
    replicationFactorMin: 1,
    replicationFactorMax: 3,
    metadata: { b: '2', a: '1' },
    expireAt: new Date('2030-01-02T03:04:05.678Z'),
    origins: ['/ip4/127.0.0.1/tcp/4001/p2p/12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA'],
    userAllocations: ['12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA']
  })
  pin.allocations = ['12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA']
  pin.timestamp = new Date('2026-05-01T10:20:30.456Z')
  pin.reference = await cidOf(i + 1_000_000, false)
  return pin
}

/** Compares CID bytes (LevelDB key order). */
export function compareBytes (a: Uint8Array, b: Uint8Array): number {
  return Buffer.compare(a, b)
}
