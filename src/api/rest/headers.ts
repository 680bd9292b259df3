/** Header helpers shared by the REST layers. */
import type { ServerResponse } from 'node:http'

/** Go's `http.CanonicalHeaderKey`: `x-stream-output` → `X-Stream-Output`. */
export function canonicalHeaderKey (name: string): string {
  // Go leaves keys with spaces or invalid token chars untouched
  if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name)) return name
  return name.toLowerCase().replace(/(^|-)([a-z])/g, (_m, sep: string, c: string) => sep + c.toUpperCase())
}

/**
 * Adds the configured extra headers, then `Content-Type: application/json`
 * (Go `SetHeaders`: both are added, never replaced).
 */
export function setApiHeaders (res: ServerResponse, headers: Record<string, string[]>): void {
  for (const [name, values] of Object.entries(headers)) {
    for (const v of values) res.appendHeader(canonicalHeaderKey(name), v)
  }
  res.appendHeader('Content-Type', 'application/json')
}
