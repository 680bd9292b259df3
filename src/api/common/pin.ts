/** Pin helpers with the reference's exact semantics (spec pinning-internals §1.1). */
import type { CID } from 'multiformats/cid'
import type { PeerIdString, Pin, PinMode, PinOptions, PinType } from '../../interface/types.js'

/** Default PinOptions (all zero values, as Go's zero struct). */
export function defaultPinOptions (): PinOptions {
  return {
    replicationFactorMin: 0,
    replicationFactorMax: 0,
    name: '',
    mode: 'recursive',
    shardSize: 0,
    userAllocations: undefined,
    expireAt: undefined,
    metadata: undefined,
    pinUpdate: undefined,
    origins: undefined
  }
}

/** Depth for a mode: recursive → -1, direct → 0. */
export function maxDepthForMode (mode: PinMode): number {
  return mode === 'direct' ? 0 : -1
}

/** Mode for a depth: 0 → direct, anything else → recursive. */
export function modeForMaxDepth (maxDepth: number): PinMode {
  return maxDepth === 0 ? 'direct' : 'recursive'
}

/** Parses a mode string; unknown → recursive (Go logs a warning). */
export function parsePinMode (s: string | undefined): PinMode {
  return s === 'direct' ? 'direct' : 'recursive'
}

/** Go `PinWithOpts`: a data pin with no allocations, depth from mode, timestamp now. */
export function pinWithOpts (cid: CID, opts: Partial<PinOptions> = {}): Pin {
  const o = { ...defaultPinOptions(), ...opts }
  return {
    ...o,
    cid,
    type: 'pin',
    allocations: [],
    maxDepth: maxDepthForMode(o.mode),
    reference: undefined,
    timestamp: new Date()
  }
}

/** rmin == -1 and rmax == -1. */
export function isPinEverywhere (pin: Pick<Pin, 'replicationFactorMin' | 'replicationFactorMax'>): boolean {
  return pin.replicationFactorMin === -1 && pin.replicationFactorMax === -1
}

/** Go `IsRemotePin`: not everywhere and `peer` not among the allocations. */
export function isRemotePin (pin: Pin, peer: PeerIdString): boolean {
  if (isPinEverywhere(pin)) return false
  return !pin.allocations.includes(peer)
}

/** Go `ExpiredAt`: false when no expiry; else expireAt < t. */
export function expiredAt (pin: Pin, t: Date): boolean {
  if (pin.expireAt == null || pin.expireAt.getTime() === 0) return false
  return pin.expireAt.getTime() < t.getTime()
}

/** Parses a pin type name; '' and 'all' are the filter 'all' (returned as undefined). */
export function parsePinType (s: string): PinType | 'all' {
  switch (s) {
    case 'pin': case 'meta-pin': case 'clusterdag-pin': case 'shard-pin':
      return s
    case '': case 'all':
      return 'all'
    default:
      return 'bad-type'
  }
}
