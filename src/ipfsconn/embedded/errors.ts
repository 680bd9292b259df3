/**
 * Errors of the embedded IPFS connector. Callers branch on `err.name`.
 * Each extends the shared `IPFSError` so a caller that only knows "IPFS failed" still matches.
 */
import { IPFSError } from '../../interface/errors.js'

/** A pin was aborted because no new block arrived for `pin_timeout`. */
export class PinTimeoutError extends IPFSError {
  static name = 'PinTimeoutError'
  constructor (message = 'pin timed out waiting for blocks', options?: ErrorOptions) {
    super(message, options)
    this.name = 'PinTimeoutError'
  }
}

/** Unpinning is disabled by `unpin_disable`. The message is Go's, verbatim. */
export class UnpinDisabledError extends IPFSError {
  static name = 'UnpinDisabledError'
  constructor (message = 'ipfs unpinning is disallowed by configuration on this peer', options?: ErrorOptions) {
    super(message, options)
    this.name = 'UnpinDisabledError'
  }
}

/** A block's bytes do not hash to the multihash of its CID. */
export class BlockHashMismatchError extends IPFSError {
  static name = 'BlockHashMismatchError'
  constructor (message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'BlockHashMismatchError'
  }
}

/** The embedded node is not running (method called before `start` or after `stop`). */
export class NotStartedError extends IPFSError {
  static name = 'NotStartedError'
  constructor (message = 'the embedded IPFS node is not running', options?: ErrorOptions) {
    super(message, options)
    this.name = 'NotStartedError'
  }
}

/** An `/ipns/` name could not be resolved (no record, no DNSLink, invalid name, too deep). */
export class NameResolutionError extends IPFSError {
  static name = 'NameResolutionError'
  constructor (message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'NameResolutionError'
  }
}
