/** Errors of the pinset stores. */

/** The store was used before `start()` or after `stop()`. */
export class StateNotStartedError extends Error {
  static name = 'StateNotStartedError'
  constructor (message = 'the pinset store is not open', options?: ErrorOptions) {
    super(message, options)
    this.name = 'StateNotStartedError'
  }
}

/** A stored value could not be decoded (corrupt or foreign data). */
export class StateDecodeError extends Error {
  static name = 'StateDecodeError'
  constructor (message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'StateDecodeError'
  }
}
