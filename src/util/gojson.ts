/**
 * JSON text as Go's `encoding/json` writes it: `<`, `>`, `&`, U+2028 and U+2029
 * escaped, bigint written as an exact integer. Key order is the insertion order of
 * the objects given (codecs build objects in the reference's declaration order).
 */

declare global {
  interface JSON {
    rawJSON: (text: string) => unknown
  }
}

function replacer (_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? JSON.rawJSON(value.toString()) : value
}

const ESCAPES: Record<string, string> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029'
}
const ESCAPE_RE = /[<>&\u2028\u2029]/g

/** Escapes HTML-sensitive characters like Go (safe on JSON text: they only occur in strings). */
export function goEscape (json: string): string {
  return json.replace(ESCAPE_RE, (c) => ESCAPES[c])
}

/** Compact JSON like Go's `json.Marshal` (no trailing newline). */
export function goJson (value: unknown): string {
  return goEscape(JSON.stringify(value, replacer) ?? 'null')
}

/** Indented JSON like Go's `json.MarshalIndent(v, "", "    ")`. */
export function goJsonIndent (value: unknown, indent = '    '): string {
  return goEscape(JSON.stringify(value, replacer, indent) ?? 'null')
}

/**
 * Parses JSON keeping integers beyond 2^53 exact: such numbers become bigint
 * (the metric `expire`/`received_at` nanosecond fields).
 */
export function parseJsonBig (text: string): unknown {
  return JSON.parse(text, (_key, value, context?: { source?: string }) => {
    if (typeof value === 'number' && !Number.isSafeInteger(value) && context?.source != null && /^-?\d+$/.test(context.source)) {
      return BigInt(context.source)
    }
    return value
  })
}

/** Object with keys sorted byte-wise (Go map encoding). */
export function sortedObject<V> (entries: Iterable<[string, V]>): Record<string, V> {
  const arr = [...entries].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
  const out: Record<string, V> = {}
  for (const [k, v] of arr) out[k] = v
  return out
}
