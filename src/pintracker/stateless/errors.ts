/** Errors of the stateless pin tracker (QueueFullError is shared: interface/errors). */

/** A long operation (RecoverAll) was cut short because the tracker stopped. */
export class TrackerStoppedError extends Error {
  static name = 'TrackerStoppedError'
  constructor (message = 'the pin tracker stopped', options?: ErrorOptions) {
    super(message, options)
    this.name = 'TrackerStoppedError'
  }
}
