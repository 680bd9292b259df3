/** Request-target handling as Go's net/url and http.Redirect do it. */
import { posix } from 'node:path'

/** A request target split Go-style. */
export interface RequestTarget {
  /** Escaped path as received. */
  rawPath: string
  /** Decoded path (`URL.Path`). */
  path: string
  /** Everything from `?` on (empty when there is no `?`). */
  search: string
}

/** Thrown for a target Go's server refuses with a plain `400 Bad Request`. */
export class BadRequestTargetError extends Error {
  static name = 'BadRequestTargetError'
  constructor (message = 'invalid URL escape', options?: ErrorOptions) {
    super(message, options)
    this.name = 'BadRequestTargetError'
  }
}

/** Go `PathUnescape`: `%XX` to bytes, then UTF-8 (invalid sequences become U+FFFD). */
export function pathUnescape (raw: string): string {
  if (!raw.includes('%')) return raw
  if (/%(?![0-9a-fA-F]{2})/.test(raw)) throw new BadRequestTargetError(`invalid URL escape in ${JSON.stringify(raw)}`)
  try {
    return decodeURIComponent(raw)
  } catch {
    const bytes: number[] = []
    for (let i = 0; i < raw.length; i++) {
      if (raw[i] === '%') {
        bytes.push(parseInt(raw.slice(i + 1, i + 3), 16))
        i += 2
      } else {
        bytes.push(...Buffer.from(raw[i], 'utf8'))
      }
    }
    return Buffer.from(bytes).toString('utf8')
  }
}

/** Splits and decodes `req.url` (origin-form or absolute-form). */
export function parseTarget (url: string): RequestTarget {
  let target = url
  if (!target.startsWith('/') && target !== '*') {
    try {
      const u = new URL(target)
      target = u.pathname + u.search
    } catch (err) {
      throw new BadRequestTargetError('invalid request URI', { cause: err })
    }
  }
  const q = target.indexOf('?')
  const rawPath = q < 0 ? target : target.slice(0, q)
  const search = q < 0 ? '' : target.slice(q)
  return { rawPath, path: pathUnescape(rawPath), search }
}

const PATH_SAFE = /[A-Za-z0-9\-_.~$&+,/:;=@]/

/** Go `url.URL.EscapedPath` for a path with no usable raw form. */
export function escapePath (path: string): string {
  let out = ''
  for (const ch of path) {
    if (PATH_SAFE.test(ch)) {
      out += ch
    } else {
      for (const b of Buffer.from(ch, 'utf8')) out += '%' + b.toString(16).toUpperCase().padStart(2, '0')
    }
  }
  return out
}

/**
 * The `Location` of the trailing-slash redirect: the escaped path without its
 * last `/`, made absolute and cleaned as `http.Redirect` does, query kept.
 */
export function trailingSlashLocation (t: RequestTarget): string {
  let url = t.rawPath.endsWith('/') ? t.rawPath.slice(0, -1) : t.rawPath.replace(/%2f$/i, '')
  if (url === '' || !url.startsWith('/')) {
    const oldPath = t.path === '' ? '/' : t.path
    url = oldPath.slice(0, oldPath.lastIndexOf('/') + 1) + url
  }
  const trailing = url.endsWith('/')
  url = posix.normalize(url)
  if (url.length > 1 && url.endsWith('/') && !trailing) url = url.slice(0, -1)
  if (trailing && !url.endsWith('/')) url += '/'
  return url + t.search
}

/** Go's `htmlEscape` for the redirect body. */
export function htmlEscape (s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;' })[c] as string)
}
