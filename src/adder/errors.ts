/**
 * Errors of the adder (spec adder.md §5, §7). Callers branch on `name`; the REST error
 * table maps them to statuses.
 */
import type { CID } from 'multiformats/cid'

/**
 * A block whose links cannot be walked is missing from the DAG under `root` (the
 * opt-in completeness check of CAR uploads). REST: 400.
 */
export class IncompleteDagError extends Error {
  static name = 'IncompleteDagError'
  readonly missing: CID
  readonly root: CID
  constructor (missing: CID, root: CID, options?: ErrorOptions) {
    super(`CAR is missing block ${missing.toString()} under root ${root.toString()}`, options)
    this.name = 'IncompleteDagError'
    this.missing = missing
    this.root = root
  }
}

/** Every destination of an add's blocks failed (Go `BlockStreamer`: "failed to put block on all destinations"). */
export class BlockPutError extends Error {
  static name = 'BlockPutError'
  constructor (message = 'failed to put block on all destinations', options?: ErrorOptions) {
    super(message, options)
    this.name = 'BlockPutError'
  }
}

/** A block destination cannot be reached from this peer (remote destinations come with multi-peer support). */
export class DestinationUnavailableError extends Error {
  static name = 'DestinationUnavailableError'
  constructor (message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'DestinationUnavailableError'
  }
}
