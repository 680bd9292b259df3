/**
 * Writing REST responses (spec rest-api §5): JSON documents, error JSON, empty
 * answers, and NDJSON streams with the `X-Stream-Error` trailer.
 */
import type { ServerResponse } from 'node:http'
import type { Logger } from '@libp2p/interface'
import { goJson } from '../../util/gojson.js'
import { errorMessage, statusForError } from './errors.js'
import { setApiHeaders } from './headers.js'

/** Bytes gathered before a stream write; large writes are what makes 1M-pin listings fast. */
const STREAM_CHUNK = 64 * 1024

/** Go writes header values with CR/LF turned into spaces. */
const headerSafe = (s: string): string => s.replace(/[\r\n]/g, ' ')

/** Response writer of one request. */
export class Reply {
  private readonly res: ServerResponse
  private readonly headers: Record<string, string[]>
  private readonly log: Logger

  constructor (res: ServerResponse, headers: Record<string, string[]>, log: Logger) {
    this.res = res
    this.headers = headers
    this.log = log
  }

  /** Adds the configured headers and `Content-Type: application/json`. */
  setHeaders (): void {
    setApiHeaders(this.res, this.headers)
  }

  /** `status` with `value` as one JSON document plus `\n`. */
  json (status: number, value: unknown): void {
    if (this.res.headersSent || this.res.destroyed) return
    const body = goJson(value) + '\n'
    this.setHeaders()
    this.res.setHeader('Content-Length', Buffer.byteLength(body))
    this.res.writeHead(status)
    this.res.end(body)
  }

  /** Error JSON `{"code":…,"message":…}`; the status comes from the error table unless given. */
  error (err: unknown, status?: number): void {
    const code = status ?? statusForError(err)
    const message = errorMessage(err)
    this.log.error('sending error response: %d: %s', code, message)
    this.json(code, { code, message })
  }

  /** A status with no body (`204` for health, peer removal, empty streams). */
  empty (status: number): void {
    if (this.res.headersSent || this.res.destroyed) return
    this.setHeaders()
    this.res.writeHead(status)
    this.res.end()
  }

  /**
   * Streams `lines` (compact JSON documents without newline) as NDJSON, as Go's
   * `StreamResponse`: 204 when empty, 500 error JSON when the source fails before
   * its first item (or `lateErrors` has one), else 200 and the trailer
   * `X-Stream-Error` (`""`, or one value per error). Honours back-pressure and stops
   * pulling from `lines` once the client has gone.
   */
  async stream (lines: AsyncIterable<string>, lateErrors: () => unknown[] = () => []): Promise<void> {
    const res = this.res
    this.setHeaders()
    res.setHeader('Trailer', 'X-Stream-Error')
    const it = lines[Symbol.asyncIterator]()

    let first: IteratorResult<string>
    try {
      first = await it.next()
    } catch (err) {
      // Node refuses a declared trailer on a response that is not chunked
      res.removeHeader('Trailer')
      this.error(err, 500)
      return
    }
    if (first.done === true) {
      res.removeHeader('Trailer')
      const errs = lateErrors()
      if (errs.length > 0) {
        this.log.error('sending error response: %d: %s', 500, errorMessage(errs[0]))
        this.json(500, { code: 500, message: errorMessage(errs[0]) })
      } else if (!res.destroyed) {
        res.writeHead(204)
        res.end()
      }
      return
    }

    let closed = res.destroyed
    let wake: (() => void) | undefined
    const onClose = (): void => {
      closed = true
      wake?.()
    }
    res.on('close', onClose)
    res.on('drain', () => wake?.())

    res.writeHead(200)
    // lines waiting for a write, joined then: appending each to one string made two
    // string pieces per line, and the write copied the result flat once more
    const buf: string[] = [first.value]
    let size = first.value.length
    let needDrain = false
    let immediate: NodeJS.Immediate | undefined
    // flush on size, or once the event loop turns (a slow source still gets each item out promptly)
    const flush = (): void => {
      immediate = undefined
      if (buf.length === 0 || closed) return
      buf.push('')
      if (!res.write(buf.join('\n'))) needDrain = true
      buf.length = 0
      size = 0
    }
    immediate = setImmediate(flush)

    let streamErr: unknown
    let done = false
    try {
      while (!closed) {
        const r = await it.next()
        if (r.done === true) {
          done = true
          break
        }
        buf.push(r.value)
        size += r.value.length + 1
        if (size >= STREAM_CHUNK) flush()
        else if (immediate == null) immediate = setImmediate(flush)
        if (needDrain) {
          await new Promise<void>((resolve) => {
            wake = resolve
            if (closed || !res.writableNeedDrain) resolve()
          })
          wake = undefined
          needDrain = false
        }
      }
    } catch (err) {
      streamErr = err
    } finally {
      if (immediate != null) clearImmediate(immediate)
      res.off('close', onClose)
      // the client left: let the source run its cleanup
      if (!done && streamErr == null) it.return?.().catch(() => {})
    }
    if (closed || res.destroyed) return
    flush()
    const errs = [...(streamErr != null ? [streamErr] : []), ...lateErrors()]
    if (errs.length === 0) {
      res.addTrailers({ 'X-Stream-Error': '' })
    } else {
      for (const e of errs) this.log.error('stream error: %s', errorMessage(e))
      res.addTrailers(errs.map((e): [string, string] => ['X-Stream-Error', headerSafe(errorMessage(e))]))
    }
    res.end()
  }
}
