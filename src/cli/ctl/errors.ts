/** Errors of the ctl: API errors (code + message) and early exits with a code. */

/**
 * An error from a client call, as Go's `api.Error`: `code` is the HTTP status
 * (0 for transport failures, 500 for stream trailer errors).
 */
export class ApiError extends Error {
  static name = 'ApiError'
  readonly code: number
  constructor (code: number, message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'ApiError'
    this.code = code
  }
}

/** Stops the program with an exit code once output has been flushed (Go's `os.Exit`). */
export class ExitError extends Error {
  static name = 'ExitError'
  readonly exitCode: number
  constructor (exitCode: number) {
    super(`exit ${exitCode}`)
    this.name = 'ExitError'
    this.exitCode = exitCode
  }
}

/** A wait deadline expired (Go's `context.DeadlineExceeded`): exit 62. */
export class DeadlineExceededError extends Error {
  static name = 'DeadlineExceededError'
  constructor (message = 'context deadline exceeded', options?: ErrorOptions) {
    super(message, options)
    this.name = 'DeadlineExceededError'
  }
}

/** An operation was cancelled (Go's `context.Canceled`): exit 125. */
export class CanceledError extends Error {
  static name = 'CanceledError'
  constructor (message = 'context canceled', options?: ErrorOptions) {
    super(message, options)
    this.name = 'CanceledError'
  }
}
