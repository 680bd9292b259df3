/** Errors of the pubsub monitor. Callers branch on `err.name`. */

/** The alert buffer (256) is full; the current check pass stops. Go `ErrAlertChannelFull`. */
export class AlertChannelFullError extends Error {
  static name = 'AlertChannelFullError'
  constructor (message = 'alert channel is full', options?: ErrorOptions) {
    super(message, options)
    this.name = 'AlertChannelFullError'
  }
}

/** A pubsub payload is not a msgpack-encoded metric. */
export class MetricDecodeError extends Error {
  static name = 'MetricDecodeError'
  constructor (message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'MetricDecodeError'
  }
}
