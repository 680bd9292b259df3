/**
 * Errors of the UnixFS importer (spec adder.md §2, §4). Messages are Go's / Kubo's, so that
 * HTTP clients see the same text; callers branch on `name`.
 */

/** The `chunker` parameter is malformed or out of range (boxo `chunk.FromString`). */
export class InvalidChunkerError extends Error {
  static name = 'InvalidChunkerError'
  constructor (message = 'unrecognized chunker option', options?: ErrorOptions) {
    super(message, options)
    this.name = 'InvalidChunkerError'
  }
}

/** The `layout` parameter is neither `balanced`, `trickle` nor empty. */
export class InvalidLayoutError extends Error {
  static name = 'InvalidLayoutError'
  constructor (message = 'layout parameter is invalid', options?: ErrorOptions) {
    super(message, options)
    this.name = 'InvalidLayoutError'
  }
}

/** The `cid-version` parameter is neither 0 nor 1. */
export class InvalidCidVersionError extends Error {
  static name = 'InvalidCidVersionError'
  constructor (message = 'bad CID Version', options?: ErrorOptions) {
    super(message, options)
    this.name = 'InvalidCidVersionError'
  }
}

/** The upload itself cannot be imported: duplicate names, a file where a directory is needed, an oversized block. */
export class InvalidUploadError extends Error {
  static name = 'InvalidUploadError'
  constructor (message = 'invalid upload', options?: ErrorOptions) {
    super(message, options)
    this.name = 'InvalidUploadError'
  }
}
