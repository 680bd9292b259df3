/** Errors of the CRDT consensus. */

/** `logPin`/`logUnpin` found the batching queue full (spec consensus §3.6). */
export class BatchQueueFullError extends Error {
  static name = 'BatchQueueFullError'
  constructor (message = 'error batching item: batching max_queue_size reached. Too many operations are waiting to be batched. Try increasing the max_queue_size or adjusting the batching options', options?: ErrorOptions) {
    super(message, options)
    this.name = 'BatchQueueFullError'
  }
}

/** `logPin`/`logUnpin` called while the component shuts down (spec consensus §3.6). */
export class BatchShutdownError extends Error {
  static name = 'BatchShutdownError'
  constructor (message = 'shutting down. Pin could not be batched', options?: ErrorOptions) {
    super(message, options)
    this.name = 'BatchShutdownError'
  }
}

/** The component was used before `start()` or after `stop()`. */
export class CrdtNotStartedError extends Error {
  static name = 'CrdtNotStartedError'
  constructor (message = 'the crdt consensus is not started', options?: ErrorOptions) {
    super(message, options)
    this.name = 'CrdtNotStartedError'
  }
}

/** CRDT consensus cannot remove peers (the peerset is implicit, spec consensus §3.5). */
export class RemovePeerUnsupportedError extends Error {
  static name = 'RemovePeerUnsupportedError'
  constructor (message = 'crdt consensus component cannot remove peers', options?: ErrorOptions) {
    super(message, options)
    this.name = 'RemovePeerUnsupportedError'
  }
}

/** A wire message (delta, broadcast, fetch request) could not be decoded. */
export class CrdtDecodeError extends Error {
  static name = 'CrdtDecodeError'
  constructor (message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'CrdtDecodeError'
  }
}

/** Some DAG blocks could not be fetched from any peer. */
export class DagFetchError extends Error {
  static name = 'DagFetchError'
  constructor (message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'DagFetchError'
  }
}
