/**
 * Runtime of a ctl invocation: the API client, the output encoding, and Go's
 * `formatResponse` / `checkErr` (what is printed where, and the exit codes).
 */
import { goJsonIndent } from '../../util/gojson.js'
import { ApiError, CanceledError, DeadlineExceededError, ExitError } from './errors.js'
import { formatError } from './format.js'
import type { RestClient } from './client.js'
import type { RunIO } from './app.js'
import type { StatusLine } from './progress.js'

type Json = Record<string, any>

/** State created by the startup sequence. */
export interface Ctl {
  client: RestClient
  enc: 'text' | 'json'
  io: RunIO
  /** Poll period of `--wait` in ms. */
  checkFreq: number
  /** Pause before fetching the status after pin/unpin, in ms. */
  statusDelay: number
  /** Where `--wait` shows its progress: set only when stderr is a terminal. */
  statusLine?: StatusLine
}

/**
 * Go `checkErr`: prints `error <doing>: <message>` to stderr and exits
 * (62 for deadlines, 125 for cancellations, else 1).
 */
export function checkErr (ctl: { io: RunIO }, doing: string, err: unknown): never {
  const msg = err instanceof Error ? err.message : String(err)
  ctl.io.stderr.write(`error ${doing}: ${msg}\n`)
  const name = (err as Error | undefined)?.name
  if (name === DeadlineExceededError.name) throw new ExitError(62)
  if (name === CanceledError.name) throw new ExitError(125)
  throw new ExitError(1)
}

/** Prints a decoded value in JSON mode (4-space indent) or with its text formatter. */
export function printValue<T> (ctl: Ctl, value: T, text: (v: T) => string): void {
  ctl.io.stdout.write(ctl.enc === 'json' ? goJsonIndent(value) + '\n' : text(value))
}

/**
 * Go `formatResponse` for an error: API errors print the error block (or JSON
 * object) on stdout and exit 2 (1 when the code is 0); other errors go
 * through `checkErr("")`.
 */
export function failWith (ctl: Ctl, err: unknown): never {
  if (err instanceof ExitError) throw err
  if (!(err instanceof ApiError)) checkErr(ctl, '', err)
  if (ctl.enc === 'json') ctl.io.stdout.write(goJsonIndent({ code: err.code, message: err.message } satisfies Json) + '\n')
  else ctl.io.stdout.write(formatError(err.code, err.message))
  throw new ExitError(err.code === 0 ? 1 : 2)
}

/** Runs a client call and prints its result, or fails like `formatResponse`. */
export async function show<T> (ctl: Ctl, call: () => Promise<T>, text: (v: T) => string): Promise<void> {
  let v: T
  try {
    v = await call()
  } catch (err) {
    failWith(ctl, err)
  }
  printValue(ctl, v, text)
}

/**
 * Runs a streaming call printing every item as it arrives, then the error if any.
 * `direct`, when given, is the text of an item straight from its decoded JSON (what
 * `text(norm(item))` gives), for long listings.
 */
export async function showStream (ctl: Ctl, method: string, path: string, norm: (x: unknown) => Json, text: (v: Json) => string,
  direct?: (item: unknown) => string): Promise<void> {
  const out = ctl.io.stdout
  const json = ctl.enc === 'json'
  const onItem = !json && direct != null
    ? (item: unknown): void => { out.write(direct(item)) }
    : (item: unknown): void => {
        const v = norm(item)
        out.write(json ? goJsonIndent(v) + '\n' : text(v))
      }
  try {
    await ctl.client.stream(method, path, onItem)
  } catch (err) {
    failWith(ctl, err)
  }
}
