/**
 * CORS with rs/cors 1.11 semantics (spec rest-api §4): preflights are answered
 * here with 204, actual requests get their headers added and go on.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { canonicalHeaderKey } from './headers.js'

/** CORS options (the `cors_*` config keys; `null` lists take rs/cors defaults). */
export interface CorsOptions {
  allowedOrigins: string[] | null
  allowedMethods: string[] | null
  allowedHeaders: string[] | null
  exposedHeaders: string[] | null
  allowCredentials: boolean
  /** Seconds. */
  maxAge: number
}

/** Handles CORS for one request; `handle` returns true when the request was answered (preflight). */
export interface Cors {
  handle: (req: IncomingMessage, res: ServerResponse) => boolean
}

const PREFLIGHT_VARY = 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers'
const MAX_EMPTY_ELEMENTS = 16

/** Builds the CORS layer, precomputing what rs/cors' `New` precomputes. */
export function createCors (opts: CorsOptions): Cors {
  let originsAll = false
  const origins: string[] = []
  const wildcards: Array<[string, string]> = []
  if (opts.allowedOrigins == null || opts.allowedOrigins.length === 0) {
    originsAll = true
  } else {
    for (const o of opts.allowedOrigins.map((s) => s.toLowerCase())) {
      if (o === '*') {
        originsAll = true
        break
      }
      const i = o.indexOf('*')
      if (i >= 0) wildcards.push([o.slice(0, i), o.slice(i + 1)])
      else origins.push(o)
    }
  }

  let headersAll = false
  // sorted set: request header names must appear lower-case, sorted and unique
  const headerNames = opts.allowedHeaders == null || opts.allowedHeaders.length === 0
    ? ['accept', 'content-type', 'x-requested-with']
    : opts.allowedHeaders.map((h) => h.toLowerCase())
  if (opts.allowedHeaders?.includes('*') === true) headersAll = true
  const headerPos = new Map([...new Set(headerNames)].sort().map((h, i) => [h, i]))

  const methods = opts.allowedMethods == null || opts.allowedMethods.length === 0 ? ['GET', 'POST', 'HEAD'] : opts.allowedMethods
  const exposed = opts.exposedHeaders != null && opts.exposedHeaders.length > 0
    ? opts.exposedHeaders.map(canonicalHeaderKey).join(', ')
    : undefined
  const maxAge = opts.maxAge > 0 ? String(Math.floor(opts.maxAge)) : (opts.maxAge < 0 ? '0' : undefined)

  const originAllowed = (origin: string): boolean => {
    if (originsAll) return true
    const o = origin.toLowerCase()
    if (origins.includes(o)) return true
    return wildcards.some(([p, s]) => o.length >= p.length + s.length && o.startsWith(p) && o.endsWith(s))
  }
  const methodAllowed = (m: string): boolean => {
    if (methods.length === 0) return false
    if (m === 'OPTIONS') return true
    return methods.includes(m)
  }
  const headersAccepted = (values: string[]): boolean => {
    let last = -1
    let empty = 0
    for (const value of values) {
      for (const raw of value.split(',')) {
        const name = raw.replace(/^[ \t]+|[ \t]+$/g, '')
        if (name === '') {
          if (++empty > MAX_EMPTY_ELEMENTS) return false
          continue
        }
        const pos = headerPos.get(name)
        if (pos == null || pos <= last) return false
        last = pos
      }
    }
    return true
  }
  const allowOriginValue = (req: IncomingMessage): string => (originsAll ? '*' : headerValues(req, 'origin')[0])

  const preflight = (req: IncomingMessage, res: ServerResponse): void => {
    res.appendHeader('Vary', PREFLIGHT_VARY)
    const origin = headerValues(req, 'origin')[0] ?? ''
    if (origin === '' || !originAllowed(origin)) return
    const reqMethod = headerValues(req, 'access-control-request-method')[0] ?? ''
    if (!methodAllowed(reqMethod)) return
    const reqHeaders = headerValues(req, 'access-control-request-headers')
    const found = reqHeaders.length > 0
    if (found && !headersAll && !headersAccepted(reqHeaders)) return
    res.setHeader('Access-Control-Allow-Origin', allowOriginValue(req))
    res.setHeader('Access-Control-Allow-Methods', reqMethod)
    if (found && reqHeaders[0] !== '') res.setHeader('Access-Control-Allow-Headers', reqHeaders)
    if (opts.allowCredentials) res.setHeader('Access-Control-Allow-Credentials', 'true')
    if (maxAge != null) res.setHeader('Access-Control-Max-Age', maxAge)
  }

  const actual = (req: IncomingMessage, res: ServerResponse): void => {
    res.appendHeader('Vary', 'Origin')
    const origin = headerValues(req, 'origin')[0] ?? ''
    if (origin === '' || !originAllowed(origin)) return
    if (!methodAllowed(req.method ?? '')) return
    res.setHeader('Access-Control-Allow-Origin', allowOriginValue(req))
    if (exposed != null) res.setHeader('Access-Control-Expose-Headers', exposed)
    if (opts.allowCredentials) res.setHeader('Access-Control-Allow-Credentials', 'true')
  }

  return {
    handle (req, res) {
      if (req.method === 'OPTIONS' && (headerValues(req, 'access-control-request-method')[0] ?? '') !== '') {
        preflight(req, res)
        res.writeHead(204)
        res.end()
        return true
      }
      actual(req, res)
      return false
    }
  }
}

/** All values of a request header, in arrival order (Node merges some; raw headers keep them apart). */
export function headerValues (req: IncomingMessage, lowerName: string): string[] {
  const out: string[] = []
  const raw = req.rawHeaders
  for (let i = 0; i < raw.length; i += 2) {
    if (raw[i].toLowerCase() === lowerName) out.push(raw[i + 1])
  }
  return out
}
