/**
 * Splits a byte stream of concatenated JSON values (NDJSON, pretty-printed or
 * whitespace-separated, as Go's json.Decoder accepts) into the text of each
 * top-level value, with bounded memory.
 */

/** Thrown for text that is not a sequence of JSON values. */
export class JsonStreamError extends Error {
  static name = 'JsonStreamError'
  constructor (message: string) {
    super(message)
    this.name = 'JsonStreamError'
  }
}

const isSpace = (c: number): boolean => c === 32 || c === 10 || c === 13 || c === 9

/** Yields the source text of each top-level JSON value (objects, arrays or scalars). */
export async function * jsonValues (source: AsyncIterable<Uint8Array | string>): AsyncGenerator<string> {
  const decoder = new TextDecoder()
  let buf = ''
  let pos = 0 // next char to scan
  let start = -1 // start of the current value, -1 between values
  let depth = 0
  let inString = false
  let escape = false
  let scalar = false
  for await (const chunk of source) {
    buf += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true })
    for (; pos < buf.length; pos++) {
      const c = buf.charCodeAt(pos)
      if (start < 0) {
        if (isSpace(c)) continue
        start = pos
        depth = c === 123 || c === 91 ? 1 : 0
        scalar = depth === 0
        inString = c === 34
        continue
      }
      if (inString) {
        if (escape) escape = false
        else if (c === 92) escape = true
        else if (c === 34) {
          inString = false
          if (scalar) { yield buf.slice(start, pos + 1); start = -1 }
        }
        continue
      }
      if (scalar) {
        if (isSpace(c) || c === 123 || c === 91 || c === 34) {
          yield buf.slice(start, pos)
          start = -1
          pos--
        }
        continue
      }
      if (c === 34) inString = true
      else if (c === 123 || c === 91) depth++
      else if (c === 125 || c === 93) {
        if (--depth === 0) { yield buf.slice(start, pos + 1); start = -1 }
      }
    }
    // keep only the unfinished value
    if (start < 0) {
      buf = ''
      pos = 0
    } else {
      buf = buf.slice(start)
      pos -= start
      start = 0
    }
  }
  if (start >= 0) {
    if (scalar && !inString) { yield buf.slice(start); return }
    throw new JsonStreamError('unexpected EOF')
  }
}
