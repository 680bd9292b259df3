/**
 * The one place where errors become HTTP statuses for the REST API (STYLE §3).
 */

/** Message of the reference's `state.ErrNotFound`; errors crossing RPC may only keep their text. */
const NOT_FOUND_MESSAGE = 'pin is not part of the pinset'

/** Status for an error name; anything not listed is a 500. */
const STATUS_BY_NAME: Readonly<Record<string, number>> = Object.freeze({
  PinNotFoundError: 404,
  InvalidArgumentError: 400,
  BadRequestError: 400,
  // an add's CAR whose DAG is incomplete (check-dag), spec adder §7
  IncompleteDagError: 400,
  UnauthorizedError: 401
})

/**
 * A request the REST layer itself refuses (query, path or body parse errors).
 * Mapped to 400 with its message.
 */
export class BadRequestError extends Error {
  static name = 'BadRequestError'
  constructor (message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'BadRequestError'
  }
}

/** Authentication failed; mapped to 401. */
export class UnauthorizedError extends Error {
  static name = 'UnauthorizedError'
  constructor (message = 'unauthorized', options?: ErrorOptions) {
    super(message, options)
    this.name = 'UnauthorizedError'
  }
}

/**
 * HTTP status for an error thrown by the cluster or by request parsing:
 * PinNotFoundError → 404, InvalidArgumentError/BadRequestError/IncompleteDagError → 400,
 * UnauthorizedError → 401, anything else → 500.
 */
export function statusForError (err: unknown): number {
  const name = (err as Error | undefined)?.name
  if (name != null) {
    const status = STATUS_BY_NAME[name]
    if (status != null) return status
  }
  // as common.API.SendResponse: an RPC error is matched by its text only
  if ((err as Error | undefined)?.message === NOT_FOUND_MESSAGE) return 404
  return 500
}

/** The message to put in the error JSON. */
export function errorMessage (err: unknown): string {
  if (err instanceof Error) return err.message
  return String(err)
}
