import { statusMatch } from '../../api/common/status.js'
import { cidKey } from './key.js'
import { Operation } from './operation.js'
import type { OperationType, Phase } from './operation.js'
import type { PeerIdString, Pin, PinInfo } from '../../interface/types.js'
import type { Logger } from '@libp2p/interface'
import type { CID } from 'multiformats/cid'

/** The IPFS identity shown in PinInfos. */
export interface LocalIPFS {
  id: PeerIdString
  addresses: string[]
}

export interface OperationTrackerInit {
  /** This cluster peer. */
  peerId: PeerIdString
  peerName: string
  logger?: Logger
}

/**
 * Tracks the operations of the pin tracker, at most one per CID (Go
 * `optracker.OperationTracker`): it skips re-tracking ongoing operations and
 * cancels ongoing operations when opposing ones arrive.
 */
export class OperationTracker {
  private readonly operations = new Map<string, Operation>()
  private readonly peerId: PeerIdString
  private readonly peerName: string
  private readonly log?: Logger
  private pinQueued = 0
  private readonly listener = (op: Operation, delta: -1 | 1): void => {
    if (op.type === 'pin' && op.phase === 'queued') this.pinQueued += delta
  }

  constructor (init: OperationTrackerInit) {
    this.peerId = init.peerId
    this.peerName = init.peerName
    this.log = init.logger
  }

  /** Number of tracked operations. */
  get size (): number {
    return this.operations.size
  }

  /**
   * Creates and tracks a new operation, unless one of the same type is queued or in
   * progress: then its pin is updated and `undefined` returned. Any other existing
   * operation is cancelled and replaced; a replaced operation of the same type
   * (in error or done) passes on its attempt count.
   */
  trackNewOperation (pin: Pin, type: OperationType, phase: Phase): Operation | undefined {
    const key = cidKey(pin.cid)
    const old = this.operations.get(key)
    if (old != null) {
      if (old.type === type && old.phase !== 'error' && old.phase !== 'done') {
        old.pin = pin
        return undefined
      }
      this.listener(old, -1)
      old.cancel()
    }
    const op = new Operation(pin, type, phase, this.listener)
    if (old != null && old.type === type) op.setAttemptCount(old.attemptCount)
    this.log?.('%s on %c created with phase %s', type, pin.cid, phase)
    this.operations.set(key, op)
    this.listener(op, 1)
    return op
  }

  /** Removes `op` if it is still the current operation of its CID. */
  clean (op: Operation): void {
    const key = cidKey(op.cid)
    if (this.operations.get(key) === op) this.operations.delete(key)
  }

  /** The operation of a CID. */
  get (cid: CID): Operation | undefined {
    return this.operations.get(cidKey(cid))
  }

  /** The operation for a key made with `bytesKey`/`cidKey`. */
  getByKey (key: string): Operation | undefined {
    return this.operations.get(key)
  }

  /** The PinInfo of an operation (Go `unsafePinInfo`). */
  pinInfo (op: Operation, ipfs: LocalIPFS): PinInfo {
    const pin = op.pin
    return {
      cid: pin.cid,
      name: pin.name,
      peer: this.peerId,
      allocations: pin.allocations,
      origins: pin.origins,
      created: pin.timestamp,
      metadata: pin.metadata,
      peerName: this.peerName,
      ipfsPeerId: ipfs.id,
      ipfsPeerAddresses: ipfs.addresses,
      status: op.toTrackerStatus(),
      timestamp: op.timestamp,
      error: op.error,
      attemptCount: op.attemptCount,
      priorityPin: op.priorityPin
    }
  }

  /** The PinInfo of the operation of `cid`, if there is one (Go `GetExists`). */
  getExists (cid: CID, ipfs: LocalIPFS): PinInfo | undefined {
    const op = this.get(cid)
    return op == null ? undefined : this.pinInfo(op, ipfs)
  }

  /** PinInfos of the operations whose status matches `filter` (a snapshot). */
  * getAll (filter: number, ipfs: LocalIPFS): Generator<PinInfo> {
    for (const op of [...this.operations.values()]) {
      const info = this.pinInfo(op, ipfs)
      if (statusMatch(info.status, filter)) yield info
    }
  }

  /** Cancels every operation (shutdown); they stay tracked. */
  cancelAll (): void {
    for (const op of this.operations.values()) op.cancel()
  }

  /** Number of pin operations in the queued phase. */
  pinQueueSize (): number {
    return this.pinQueued
  }
}
