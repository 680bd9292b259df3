/** Checks of the pin flow (Go `setupPin`, `checkPinType`, `isReplicationFactorValid`). */
import { PinRefusedError } from '../interface/errors.js'
import { modeForMaxDepth } from '../api/common/pin.js'
import type { Pin } from '../interface/types.js'

/** Go `isReplicationFactorValid`; throws PinRefusedError. */
export function checkReplicationFactors (rmin: number, rmax: number): void {
  if (rmin === 0 || rmax === 0) throw new PinRefusedError('cluster.replication_factor_min and max must be set')
  if (rmin > rmax) throw new PinRefusedError('cluster.replication_factor_min is larger than max')
  if (rmin < -1) throw new PinRefusedError('cluster.replication_factor_min is wrong')
  if (rmax < -1) throw new PinRefusedError('cluster.replication_factor_max is wrong')
  if ((rmin === -1) !== (rmax === -1)) {
    throw new PinRefusedError('cluster.replication_factor_min and max must be -1 when one of them is')
  }
}

/** Go `checkPinType`: shape rules, only checked when the CID already exists. */
export function checkPinType (pin: Pin): void {
  switch (pin.type) {
    case 'pin':
      if (pin.reference != null) throw new PinRefusedError('data pins should not reference other pins')
      return
    case 'shard-pin':
      if (pin.maxDepth !== 1) throw new PinRefusedError('must pin shards go depth 1')
      return
    case 'clusterdag-pin':
      if (pin.maxDepth !== 0) throw new PinRefusedError('must pin roots directly')
      if (pin.reference == null) throw new PinRefusedError('clusterDAG pins should reference a Meta pin')
      return
    case 'meta-pin':
      if (pin.allocations.length !== 0) throw new PinRefusedError('meta pin should not specify allocations')
      if (pin.reference == null) throw new PinRefusedError('metaPins should reference a ClusterDAG')
      return
    default:
      throw new PinRefusedError('unrecognized pin type')
  }
}

/** Checks a re-pin against the existing pin (spec §3.2 step 5d). */
export function checkRepin (pin: Pin, existing: Pin): void {
  if (existing.type !== pin.type) {
    throw new PinRefusedError(`cannot repin CID with different tracking method, clear state with pin rm to proceed. New: ${pin.type}. Was: ${existing.type}`)
  }
  if (existing.maxDepth === -1 && pin.maxDepth !== -1) {
    throw new PinRefusedError(`cannot repin a CID which is already pinned in recursive mode (new pin is pinned as ${modeForMaxDepth(pin.maxDepth)}). Unpin it first.`)
  }
  checkPinType(pin)
}
