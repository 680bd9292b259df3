/**
 * Errors shared across components. Callers branch on `err.name`.
 * Messages that the reference shows to users are kept verbatim.
 */

/** The CID is not in the shared pinset. REST maps it to 404. */
export class PinNotFoundError extends Error {
  static name = 'PinNotFoundError'
  constructor (message = 'pin is not part of the pinset', options?: ErrorOptions) {
    super(message, options)
    this.name = 'PinNotFoundError'
  }
}

/** A configuration is invalid; `problems` lists every problem found. */
export class InvalidConfigError extends Error {
  static name = 'InvalidConfigError'
  readonly problems: string[]
  constructor (problems: string | string[], options?: ErrorOptions) {
    const list = Array.isArray(problems) ? problems : [problems]
    super(list.join('; '), options)
    this.name = 'InvalidConfigError'
    this.problems = list
  }
}

/** A request argument is invalid (bad CID, bad path, bad option). REST maps it to 400. */
export class InvalidArgumentError extends Error {
  static name = 'InvalidArgumentError'
  constructor (message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'InvalidArgumentError'
  }
}

/** An operation was refused by the cluster's rules (replication, repin mode…). */
export class PinRefusedError extends Error {
  static name = 'PinRefusedError'
  constructor (message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'PinRefusedError'
  }
}

/** The IPFS daemon/node failed an operation. */
export class IPFSError extends Error {
  static name = 'IPFSError'
  constructor (message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'IPFSError'
  }
}

/** A pin/unpin could not be queued because the queue is full. */
export class QueueFullError extends Error {
  static name = 'QueueFullError'
  constructor (message = 'pin/unpin operation queue is full. Try increasing max_pin_queue_size', options?: ErrorOptions) {
    super(message, options)
    this.name = 'QueueFullError'
  }
}

/** The config folder is locked by another process. */
export class LockedError extends Error {
  static name = 'LockedError'
  constructor (message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'LockedError'
  }
}

/** Write operations are disabled on a follower peer. */
export class FollowerModeError extends Error {
  static name = 'FollowerModeError'
  constructor (message = 'this peer is configured to be in follower mode. Write operations are disabled', options?: ErrorOptions) {
    super(message, options)
    this.name = 'FollowerModeError'
  }
}

/** Allocation failed: not enough peers. */
export class AllocationError extends Error {
  static name = 'AllocationError'
  constructor (message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'AllocationError'
  }
}

/** A block is not in the local blockstore (`blockGet` with `offline: true`). */
export class BlockNotFoundError extends Error {
  static name = 'BlockNotFoundError'
  constructor (message = 'block not found locally', options?: ErrorOptions) {
    super(message, options)
    this.name = 'BlockNotFoundError'
  }
}

/** The `hash` parameter names no multihash function (Go: `multihash.Names` lookup failed). */
export class UnknownHashFunctionError extends Error {
  static name = 'UnknownHashFunctionError'
  constructor (message = 'hash function name not known', options?: ErrorOptions) {
    super(message, options)
    this.name = 'UnknownHashFunctionError'
  }
}

/** The `hash` parameter names a multihash function this implementation cannot compute. */
export class UnsupportedHashFunctionError extends Error {
  static name = 'UnsupportedHashFunctionError'
  constructor (message = 'hash function not supported', options?: ErrorOptions) {
    super(message, options)
    this.name = 'UnsupportedHashFunctionError'
  }
}
