/**
 * Route matching with gorilla/mux semantics (spec rest-api §2): path cleaning,
 * registration order, 405 on method mismatch, no match → 404.
 */
import { posix } from 'node:path'
import type { RouteHandler } from './context.js'

/** One route: method, pattern with `{var}` / `{var:regex}` placeholders, handler. */
export interface Route {
  name: string
  method: string
  pattern: string
  handler: RouteHandler
}

interface CompiledRoute extends Route {
  regex: RegExp
  vars: string[]
}

/** Outcome of matching a method and decoded path. */
export type RouteMatch =
  | { kind: 'found', route: Route, params: Record<string, string> }
  | { kind: 'method-not-allowed' }
  | { kind: 'not-found' }

function compile (route: Route): CompiledRoute {
  const vars: string[] = []
  let src = ''
  let last = 0
  const re = /\{([A-Za-z]+)(?::([^}]+))?\}/g
  for (let m = re.exec(route.pattern); m != null; m = re.exec(route.pattern)) {
    src += route.pattern.slice(last, m.index).replace(/[.*+?^$()|[\]\\]/g, '\\$&')
    vars.push(m[1])
    src += `(${m[2] ?? '[^/]+'})`
    last = m.index + m[0].length
  }
  src += route.pattern.slice(last).replace(/[.*+?^$()|[\]\\]/g, '\\$&')
  return { ...route, regex: new RegExp(`^${src}$`), vars }
}

/** gorilla/mux `cleanPath`: `path.Clean` keeping a trailing slash. */
export function cleanPath (p: string): string {
  if (p === '') return '/'
  if (p[0] !== '/') p = '/' + p
  let np = posix.normalize(p)
  if (np.length > 1 && np.endsWith('/')) np = np.slice(0, -1)
  if (p.endsWith('/') && np !== '/') np += '/'
  return np
}

/** An ordered route table. */
export class Router {
  private readonly routes: CompiledRoute[]

  constructor (routes: Route[]) {
    this.routes = routes.map(compile)
  }

  /** The first route matching path and method; 405 when only the path matched. */
  match (method: string, path: string): RouteMatch {
    let pathMatched = false
    for (const r of this.routes) {
      const m = r.regex.exec(path)
      if (m == null) continue
      if (r.method !== method) {
        pathMatched = true
        continue
      }
      const params: Record<string, string> = {}
      r.vars.forEach((v, i) => { params[v] = m[i + 1] })
      return { kind: 'found', route: r, params }
    }
    return pathMatched ? { kind: 'method-not-allowed' } : { kind: 'not-found' }
  }
}
