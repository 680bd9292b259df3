/**
 * The REST API client of the ctl (Go `api/rest/client` behaviour): plain
 * node:http/https/unix-socket requests with fail-over between targets,
 * Go-style transport error texts (code 0), NDJSON streams decoded line by line
 * and `X-Stream-Error` trailers turned into a code 500 error.
 */
import http from 'node:http'
import https from 'node:https'
import { ApiError } from './errors.js'
import { normError } from './normalize.js'
import type { ClusterLogger } from '../../util/logger.js'

/** One API endpoint to try. */
export interface Target {
  /** URL scheme as Go prints it: `http`, `https` or `http+unix`. */
  net: 'http' | 'https' | 'http+unix'
  /** `host:port` (or `restapi` for unix sockets), the URL authority. */
  hostname: string
  host?: string
  port?: number
  socketPath?: string
}

/** Client settings (Go `client.Config`). */
export interface ClientInit {
  targets: Target[]
  username?: string
  password?: string
  /** Whole-request timeout in ms; 0 = none. */
  timeout?: number
  noVerifyCert?: boolean
  log?: ClusterLogger
}

/** A received response: status, headers, and a body reader. */
interface Response {
  status: number
  res: http.IncomingMessage
  req: http.ClientRequest
  url: string
}

const OPS: Record<string, string> = { GET: 'Get', POST: 'Post', DELETE: 'Delete', PUT: 'Put', HEAD: 'Head' }

function goQuote (s: string): string {
  return JSON.stringify(s)
}

/** Go's dial/TLS error text for a Node socket error. */
function transportMessage (err: any, target: Target): string {
  const addr = target.net === 'http+unix' ? `unix ${target.socketPath ?? ''}` : `tcp ${target.hostname}`
  switch (err?.code) {
    case 'ECONNREFUSED': return `dial ${addr}: connect: connection refused`
    case 'ENOENT': return `dial ${addr}: connect: no such file or directory`
    case 'EACCES': return `dial ${addr}: connect: permission denied`
    case 'ETIMEDOUT': return `dial ${addr}: connect: connection timed out`
    case 'EHOSTUNREACH': return `dial ${addr}: connect: no route to host`
    case 'ENETUNREACH': return `dial ${addr}: connect: network is unreachable`
    case 'ENOTFOUND': case 'EAI_AGAIN': return `dial tcp: lookup ${target.host ?? ''}: no such host`
    case 'ECONNRESET': return err.message === 'socket hang up' ? 'EOF' : `read ${addr}: read: connection reset by peer`
    case 'EPROTO': case 'ERR_SSL_WRONG_VERSION_NUMBER': return 'http: server gave HTTP response to HTTPS client'
    case 'DEPTH_ZERO_SELF_SIGNED_CERT': case 'SELF_SIGNED_CERT_IN_CHAIN': case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
      return 'tls: failed to verify certificate: x509: certificate signed by unknown authority'
    case 'CERT_HAS_EXPIRED': return 'tls: failed to verify certificate: x509: certificate has expired or is not yet valid'
    case 'ERR_TLS_CERT_ALTNAME_INVALID': return `tls: failed to verify certificate: x509: certificate is not valid for ${target.host ?? ''}`
    default: return String(err?.message ?? err)
  }
}

/** Go `encoding/json` error text for a body that is not valid JSON (approximation). */
function jsonErrorMessage (body: string): string {
  const t = body.trim()
  if (t === '') return 'unexpected end of JSON input'
  const c = t[0]
  if (!'{["-0123456789tfn'.includes(c)) return `invalid character '${c}' looking for beginning of value`
  return 'unexpected end of JSON input'
}

const TIMEOUT_HEADERS = 'context deadline exceeded (Client.Timeout exceeded while awaiting headers)'
const TIMEOUT_BODY = 'context deadline exceeded (Client.Timeout or context cancellation while reading body)'

/** Parses a response body into a value; a failure is an ApiError with the status code. */
export type BodyParser = (text: string) => unknown

/** A request body streamed with chunked transfer encoding. */
export interface RequestBody {
  /** Extra request headers (e.g. the multipart `Content-Type`). */
  headers: Record<string, string>
  /** Opens the body; called again for each fail-over attempt. */
  open: () => AsyncIterable<Uint8Array>
  /** Called with each chunk once the socket no longer needs it (its buffer may be reused). */
  written?: (chunk: Uint8Array) => void
}

/** Local failure while producing a request body (a file that cannot be read). */
class BodyError extends Error {
  static name = 'BodyError'
  constructor (readonly error: unknown) {
    super(String((error as Error | undefined)?.message ?? error))
    this.name = 'BodyError'
  }
}

/** The ctl's REST client. */
export class RestClient {
  private readonly agentHttp: http.Agent
  private readonly agentHttps: https.Agent

  constructor (private readonly init: ClientInit) {
    this.agentHttp = new http.Agent({ keepAlive: true })
    this.agentHttps = new https.Agent({ keepAlive: true, rejectUnauthorized: init.noVerifyCert !== true, minVersion: 'TLSv1.2' })
  }

  /** Closes pooled connections (so the process can exit). */
  close (): void {
    this.agentHttp.destroy()
    this.agentHttps.destroy()
  }

  /** The URL Go would print for a path on a target. */
  url (target: Target, path: string): string {
    return `${target.net}://${target.hostname}/${path.replace(/^\//, '')}`
  }

  /** Sends a request to one target; rejects with ApiError(0) on transport failures. */
  private send (target: Target, method: string, path: string, signal: AbortSignal, redirects = 0, body?: RequestBody): Promise<Response> {
    const url = this.url(target, path)
    this.init.log?.(`${method}: ${url}`)
    const headers: Record<string, string> = {}
    if (this.init.username != null && this.init.username !== '') {
      headers.Authorization = 'Basic ' + Buffer.from(`${this.init.username}:${this.init.password ?? ''}`).toString('base64')
    }
    if (body != null) Object.assign(headers, body.headers)
    else if (method === 'POST' || method === 'PUT') headers['Content-Length'] = '0'
    const reqPath = '/' + path.replace(/^\//, '')
    const opts: https.RequestOptions = { method, path: reqPath, headers, signal }
    if (target.net === 'http+unix') {
      opts.socketPath = target.socketPath
      opts.agent = false
      headers.Host = 'restapi'
    } else {
      opts.host = target.host
      opts.port = target.port
      opts.agent = target.net === 'https' ? this.agentHttps : this.agentHttp
      if (target.net === 'https' && target.host != null && !/^[\d.:]+$/.test(target.host)) opts.servername = target.host
    }
    const mod = target.net === 'https' ? https : http
    return new Promise((resolve, reject) => {
      const req = mod.request(opts, (res) => {
        const status = res.statusCode ?? 0
        const loc = res.headers.location
        // Go's client follows redirects (the server redirects trailing slashes); a streamed body cannot be replayed
        if (body == null && [301, 302, 303, 307, 308].includes(status) && loc != null && redirects < 10) {
          res.resume()
          const next = new URL(loc, `http://x${reqPath}`)
          const m = [307, 308].includes(status) || method === 'HEAD' ? method : 'GET'
          this.send(target, m, next.pathname + next.search, signal, redirects + 1).then(resolve, reject)
          return
        }
        resolve({ status, res, req, url })
      })
      req.on('error', (err: any) => {
        const msg = err instanceof BodyError ? err.message : signal.aborted ? TIMEOUT_HEADERS : transportMessage(err, target)
        reject(new ApiError(0, `${OPS[method] ?? method} ${goQuote(url)}: ${msg}`, { cause: err instanceof BodyError ? err.error : err }))
      })
      if (body == null) {
        req.end()
        return
      }
      writeBody(req, body).catch((err) => { req.destroy(new BodyError(err)) })
    })
  }

  /** Tries each target in turn while failures are at transport level (Go lbclient `Failover`). */
  private async request (method: string, path: string, signal: AbortSignal, body?: RequestBody): Promise<Response> {
    const targets = this.init.targets
    let last: unknown
    for (let i = 0; i < targets.length; i++) {
      try {
        return await this.send(targets[i], method, path, signal, 0, body)
      } catch (err: any) {
        if (!(err instanceof ApiError) || err.code !== 0) throw err
        last = err
      }
    }
    throw last
  }

  private timeoutSignal (outer?: AbortSignal): { signal: AbortSignal, done: () => void } {
    const ms = this.init.timeout ?? 0
    const ac = new AbortController()
    const onOuter = (): void => { ac.abort(outer?.reason) }
    outer?.addEventListener('abort', onOuter, { once: true })
    const t = ms > 0 ? setTimeout(() => { ac.abort() }, ms) : undefined
    return {
      signal: ac.signal,
      done: () => {
        clearTimeout(t)
        outer?.removeEventListener('abort', onOuter)
      }
    }
  }

  /**
   * A non-streaming call (Go `do`): 202/204 → `null`; 4xx/5xx → ApiError from
   * the error body; otherwise the parsed body. Throws ApiError.
   */
  async call (method: string, path: string, parse: BodyParser = JSON.parse, outer?: AbortSignal): Promise<unknown> {
    const { signal, done } = this.timeoutSignal(outer)
    try {
      const resp = await this.request(method, path, signal)
      let body: string
      try {
        body = await readAll(resp.res)
      } catch (err: any) {
        throw new ApiError(resp.status, signal.aborted ? TIMEOUT_BODY : String(err?.message ?? err), { cause: err })
      }
      return handleBody(resp.status, body, parse)
    } finally {
      done()
    }
  }

  /**
   * A streaming call (Go `doStream`): each NDJSON item is passed to `onItem` as
   * it arrives; trailer errors become ApiError(500). Decode and read failures
   * after the response started are plain Errors (the ctl prints `error : …`).
   */
  async stream (method: string, path: string, onItem: (item: unknown) => void, parse: BodyParser = JSON.parse,
    body?: RequestBody): Promise<void> {
    const { signal, done } = this.timeoutSignal()
    let resp: Response | undefined
    try {
      resp = await this.request(method, path, signal, body)
      await this.readStream(resp, onItem, parse, signal)
    } catch (err) {
      // a file that failed to read while uploading explains the broken response better than the response does
      const bodyErr = resp?.req.errored
      if (bodyErr instanceof BodyError) throw new ApiError(0, `${OPS[method] ?? method} ${goQuote(resp?.url ?? '')}: ${bodyErr.message}`, { cause: bodyErr.error })
      throw err
    } finally {
      done()
    }
  }

  private async readStream (resp: Response, onItem: (item: unknown) => void, parse: BodyParser, signal: AbortSignal): Promise<void> {
    const { status, res } = resp
    if (status > 399 && status < 600) {
      handleBody(status, await readAll(res), parse)
      return
    }
    if (status !== 200 && status !== 204) {
      res.resume()
      throw new ApiError(status, 'expected streaming response with code 200/204')
    }
    await readLines(res, onItem, parse, signal)
    const errs: string[] = []
    const raw = res.rawTrailers
    for (let i = 0; i + 1 < raw.length; i += 2) {
      if (raw[i].toLowerCase() === 'x-stream-error' && raw[i + 1] !== '') errs.push(raw[i + 1])
    }
    if (errs.length > 0) throw new ApiError(500, errs.join('; '))
  }
}

/** Writes a streamed body with back-pressure; stops when the request is gone (e.g. the server answered and closed). */
async function writeBody (req: http.ClientRequest, body: RequestBody): Promise<void> {
  const gone = (): boolean => req.destroyed || req.writableEnded
  for await (const chunk of body.open()) {
    if (gone()) return
    const written = body.written
    if (!req.write(chunk, written == null ? undefined : () => { written(chunk) })) {
      await new Promise<void>((resolve) => {
        const done = (): void => { req.off('drain', done); req.off('close', done); resolve() }
        req.on('drain', done)
        req.on('close', done)
      })
    }
  }
  if (!gone()) req.end()
}

function handleBody (status: number, body: string, parse: BodyParser): unknown {
  if (status === 202 || status === 204) return null
  if (status > 399 && status < 600) {
    let parsed: unknown
    try {
      parsed = JSON.parse(body)
    } catch {
      throw new ApiError(status, body)
    }
    if (parsed !== null && (typeof parsed !== 'object' || Array.isArray(parsed))) throw new ApiError(status, body)
    const e = normError(parsed)
    throw new ApiError(Number(e.code), e.message as string)
  }
  try {
    return parse(body)
  } catch {
    throw new ApiError(status, jsonErrorMessage(body))
  }
}

function readAll (res: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let s = ''
    res.setEncoding('utf8')
    res.on('data', (c: string) => { s += c })
    res.on('end', () => { resolve(s) })
    res.on('error', reject)
    res.on('aborted', () => { reject(new Error('unexpected EOF')) })
  })
}

/** Splits a body into lines and parses each one; pretty-printed documents spanning lines are joined. */
function readLines (res: http.IncomingMessage, onItem: (item: unknown) => void, parse: BodyParser, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    let rest = ''
    let pending = ''
    let failed = false
    const fail = (err: unknown): void => {
      if (failed) return
      failed = true
      res.destroy()
      reject(err)
    }
    const handle = (line: string): void => {
      const text = pending === '' ? line : pending + '\n' + line
      if (text.trim() === '') return
      let v: unknown
      try {
        v = parse(text)
      } catch {
        pending = text
        return
      }
      pending = ''
      onItem(v)
    }
    res.setEncoding('utf8')
    res.on('data', (chunk: string) => {
      if (failed) return
      try {
        let start = 0
        let nl = chunk.indexOf('\n')
        if (nl < 0) { rest += chunk; return }
        handle(rest + chunk.slice(0, nl))
        rest = ''
        start = nl + 1
        while ((nl = chunk.indexOf('\n', start)) >= 0) {
          handle(chunk.slice(start, nl))
          start = nl + 1
        }
        rest = chunk.slice(start)
      } catch (err) {
        fail(err)
      }
    })
    res.on('end', () => {
      if (failed) return
      try {
        if (rest !== '') handle(rest)
        if (pending.trim() !== '') throw new Error(jsonErrorMessage(pending) === 'unexpected end of JSON input' ? 'unexpected EOF' : jsonErrorMessage(pending))
        resolve()
      } catch (err) {
        fail(err)
      }
    })
    res.on('aborted', () => { fail(new Error(signal.aborted ? TIMEOUT_BODY : 'unexpected EOF')) })
    res.on('error', (err) => { fail(signal.aborted ? new Error(TIMEOUT_BODY) : err) })
    res.on('close', () => { if (!res.complete) fail(new Error(signal.aborted ? TIMEOUT_BODY : 'unexpected EOF')) })
  })
}
