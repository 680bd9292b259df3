/**
 * Errors of the cluster libp2p host and its private-network protector.
 * Callers branch on `err.name`.
 */

/** The host was used before `start` (or after `stop`). */
export class HostNotStartedError extends Error {
  static name = 'HostNotStartedError'
  constructor (message = 'the cluster host is not started', options?: ErrorOptions) {
    super(message, options)
    this.name = 'HostNotStartedError'
  }
}

/** A pre-shared key that is not 32 bytes. */
export class InvalidPreSharedKeyError extends Error {
  static name = 'InvalidPreSharedKeyError'
  constructor (message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'InvalidPreSharedKeyError'
  }
}

/** A connection could not be protected: it was closed or aborted before. */
export class PnetHandshakeError extends Error {
  static name = 'PnetHandshakeError'
  constructor (message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'PnetHandshakeError'
  }
}
