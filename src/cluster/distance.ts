/**
 * Go `distanceChecker` (spec pinning-internals §8): which peer is "closest" to a CID,
 * by XOR of BLAKE2b-256 of the CID bytes and of the peer ID bytes. StateSync uses it
 * so that (normally) one peer unpins an expired pin, not every peer at once.
 */
import { peerIdFromString } from '@libp2p/peer-id'
import { blake2b } from '@noble/hashes/blake2.js'
import type { PeerIdString } from '../interface/types.js'
import type { CID } from 'multiformats/cid'

const hash = (bytes: Uint8Array): Uint8Array => blake2b(bytes, { dkLen: 32 })

/** `a XOR c` compared with `b XOR c`, big-endian: negative when a is closer. */
function compareDistance (a: Uint8Array, b: Uint8Array, c: Uint8Array): number {
  for (let i = 0; i < c.length; i++) {
    const d = (a[i] ^ c[i]) - (b[i] ^ c[i])
    if (d !== 0) return d
  }
  return 0
}

export class DistanceChecker {
  private readonly self: Uint8Array
  private readonly others: Uint8Array[]

  /**
   * `candidates`: the consensus peers; self, `exclude` and the peers `trusted` refuses
   * are left out (self always counts).
   */
  constructor (local: PeerIdString, candidates: PeerIdString[], trusted: (p: PeerIdString) => boolean, exclude?: PeerIdString) {
    const hashOf = (p: PeerIdString): Uint8Array => hash(peerIdFromString(p).toMultihash().bytes)
    this.self = hashOf(local)
    this.others = [...new Set(candidates)]
      .filter((p) => p !== local && p !== exclude && trusted(p))
      .map(hashOf)
  }

  /** True unless another candidate is strictly closer to `cid` (ties: several peers). */
  isClosest (cid: CID): boolean {
    const c = hash(cid.bytes)
    return this.others.every((o) => compareDistance(o, this.self, c) >= 0)
  }
}
