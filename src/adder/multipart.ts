/**
 * Reads an add's multipart body (spec adder §3, rest-api §10.1) as a stream of
 * `AddEntry`s, in the go-ipfs-files convention Kubo and ipfs-cluster-ctl use: a flat
 * multipart body (`multipart/form-data` or `multipart/mixed`), one part per file,
 * directory (`application/x-directory`) or symlink (`application/symlink`, body = target),
 * each named by the url-query-escaped path in the `filename` parameter of its
 * `Content-Disposition` (`form-data; name="file"` or `attachment`).
 *
 * The body is read only as fast as the entries' content is consumed, so memory stays
 * bounded by one network chunk whatever the upload's size, and back-pressure reaches
 * the socket.
 */
import { make as makeParser } from 'multipasta'
import type { MultipartError, PartInfo } from 'multipasta'
import { InvalidArgumentError } from '../interface/errors.js'
import type { AbortOptions } from '../interface/startable.js'
import type { AddEntry } from './types.js'

/** The request to read: its headers (only `content-type` is used) and its body. */
export interface MultipartRequest {
  headers: Readonly<Record<string, string | string[] | undefined>>
  stream: AsyncIterable<Uint8Array>
}

/** Limits of one upload. Exceeding one fails the read with an InvalidArgumentError. */
export interface MultipartLimits {
  /** Most parts (files, directories and symlinks). @default Infinity */
  maxParts?: number
  /** Most body bytes in all. @default Infinity */
  maxTotalSize?: number
  /** Longest symlink target, in bytes. @default 4096 */
  maxSymlinkTarget?: number
}

export interface ReadMultipartOptions extends AbortOptions {
  limits?: MultipartLimits
}

/** Default `maxSymlinkTarget` (Linux PATH_MAX). */
export const MAX_SYMLINK_TARGET = 4096

const DIRECTORY_TYPE = 'application/x-directory'
const SYMLINK_TYPE = 'application/symlink'

/**
 * Yields the entries of a multipart upload in body order.
 *
 * Contract:
 * - A file entry's `content` can be read only until the generator is resumed: read it
 *   (or stop reading it) before asking for the next entry. Whatever was not read is
 *   skipped when the next entry is requested; reading `content` later throws.
 * - Paths are relative, '/'-separated and validated (see `AddEntry`). A part whose
 *   parent directories were not sent as parts gets them as implicit directory
 *   entries, yielded just before it (Go creates the same "fake" directories). A
 *   directory part for a directory that already exists (implicitly) is not repeated.
 *   Parts of different directories may interleave; a parent always precedes its children.
 *
 * @throws InvalidArgumentError (REST: 400) when the request is not multipart
 * ("request Content-Type isn't multipart/form-data"), has no boundary, a part has no
 * filename, a path is absolute, has empty, `.` or `..` segments, repeats an earlier
 * path or lies under a file, a part is itself multipart, a limit is exceeded, the upload
 * has no parts, or the body ends (or the client goes away) before the closing boundary.
 * Rejects with the signal's reason when `options.signal` aborts.
 */
export async function * readMultipart (req: MultipartRequest, options: ReadMultipartOptions = {}): AsyncGenerator<AddEntry> {
  const contentType = headerValue(req.headers['content-type'])
  assertMultipart(req.headers)
  const maxSymlinkTarget = options.limits?.maxSymlinkTarget ?? MAX_SYMLINK_TARGET

  // Events the parser emits while it is fed one chunk; the pump hands them out one by one.
  let events: PartEvent[] = []
  let next = 0
  const parser = makeParser({
    headers: { 'content-type': contentType },
    isFile: () => true, // stream every part, never buffer it as a form field
    maxParts: options.limits?.maxParts,
    maxTotalSize: options.limits?.maxTotalSize,
    onFile: (info) => {
      events.push({ kind: 'part', info })
      return (chunk) => { events.push(chunk == null ? { kind: 'part-end' } : { kind: 'data', chunk }) }
    },
    onField: () => {},
    onError: (error) => { events.push({ kind: 'error', error }) },
    onDone: () => { events.push({ kind: 'done' }) }
  })

  const input = req.stream[Symbol.asyncIterator]()
  let inputEnded = false
  let done = false

  /** The next parser event, reading the body only when none is pending. */
  const pull = async (): Promise<PartEvent> => {
    while (next >= events.length) {
      events = []
      next = 0
      if (done || inputEnded) return { kind: 'eof' }
      options.signal?.throwIfAborted()
      let result: IteratorResult<Uint8Array>
      try {
        result = await raceSignal(input.next(), options.signal)
      } catch (err: any) {
        if (options.signal?.aborted === true) throw err
        throw new InvalidArgumentError(`upload interrupted: ${String(err?.message ?? err)}`, { cause: err })
      }
      if (result.done === true) {
        inputEnded = true
        parser.end()
      } else {
        parser.write(result.value)
      }
    }
    const event = events[next++]
    if (event.kind === 'error') throw errorFor(event.error)
    if (event.kind === 'done') done = true
    return event
  }

  const tree = new PathTree()
  let generation = 0 // bumped whenever the generator resumes: stale content readers fail
  let partOpen = false
  let parts = 0

  try {
    while (true) {
      const event = await pull()
      if (event.kind === 'eof') {
        if (!done) throw new InvalidArgumentError('multipart body ended before its closing boundary (truncated upload)')
        break
      }
      if (event.kind !== 'part') continue // stray data of a part already handled
      parts++
      partOpen = true
      const { info } = event
      const type = info.contentType.toLowerCase()
      if (type.startsWith('multipart/')) {
        throw new InvalidArgumentError(`nested ${type} parts are not supported: send directories as ${DIRECTORY_TYPE} parts`)
      }
      const path = partPath(info)
      const kind = type === DIRECTORY_TYPE ? 'directory' : type === SYMLINK_TYPE ? 'symlink' : 'file'

      for (const dir of tree.missingParents(path)) {
        generation++
        yield { type: 'directory', path: dir }
      }

      if (kind === 'directory') {
        if (tree.add(path, 'directory')) {
          generation++
          yield { type: 'directory', path }
        }
      } else if (kind === 'symlink') {
        const chunks: Uint8Array[] = []
        let size = 0
        let e = await pull()
        for (; e.kind === 'data'; e = await pull()) {
          size += e.chunk.byteLength
          if (size > maxSymlinkTarget) throw new InvalidArgumentError(`symlink target of ${path} is longer than ${maxSymlinkTarget} bytes`)
          chunks.push(e.chunk)
        }
        partOpen = false
        if (e.kind === 'eof' && !done) throw new InvalidArgumentError('multipart body ended before its closing boundary (truncated upload)')
        tree.add(path, 'symlink')
        generation++
        yield { type: 'symlink', path, target: new TextDecoder().decode(concat(chunks, size)) }
      } else {
        tree.add(path, 'file')
        const mine = ++generation
        const content = async function * (): AsyncGenerator<Uint8Array> {
          while (true) {
            if (generation !== mine) throw new Error(`content of ${path} read after the next entry was requested`)
            if (!partOpen) return
            const e = await pull()
            if (e.kind === 'data') {
              yield e.chunk
            } else {
              partOpen = false
              if (e.kind === 'eof' && !done) throw new InvalidArgumentError('multipart body ended before its closing boundary (truncated upload)')
              return
            }
          }
        }
        yield { type: 'file', path, content: content() }
        generation++
      }

      // skip what the consumer did not read of this part
      while (partOpen) {
        const e = await pull()
        if (e.kind !== 'data') {
          partOpen = false
          if (e.kind === 'eof' && !done) throw new InvalidArgumentError('multipart body ended before its closing boundary (truncated upload)')
        }
      }
    }
    if (parts === 0) throw new InvalidArgumentError('empty upload: the multipart body has no parts')
  } finally {
    generation++
    if (!inputEnded && !done) {
      // the caller stopped early or failed: release the body stream
      await input.return?.().catch(() => {})
    }
  }
}

/**
 * Checks that a request carries a multipart body, as net/http `Request.MultipartReader`
 * (which also allows `multipart/mixed`), so that a caller can refuse it before answering.
 *
 * @throws InvalidArgumentError "request Content-Type isn't multipart/form-data"
 */
export function assertMultipart (headers: MultipartRequest['headers']): void {
  const mediaType = headerValue(headers['content-type']).split(';')[0].trim().toLowerCase()
  if (mediaType !== 'multipart/form-data' && mediaType !== 'multipart/mixed') {
    throw new InvalidArgumentError("request Content-Type isn't multipart/form-data")
  }
}

type PartEvent =
  | { kind: 'part', info: PartInfo }
  | { kind: 'data', chunk: Uint8Array }
  | { kind: 'part-end' }
  | { kind: 'done' }
  | { kind: 'error', error: MultipartError }
  | { kind: 'eof' }

/** Which paths the upload has so far, to add implicit parents and refuse repeats. */
class PathTree {
  private readonly kinds = new Map<string, 'directory' | 'file' | 'symlink'>()

  /** Parent directories of `path` not yet known, outermost first (recorded as directories). */
  missingParents (path: string): string[] {
    const segments = path.split('/')
    const missing: string[] = []
    for (let i = 1; i < segments.length; i++) {
      const dir = segments.slice(0, i).join('/')
      const kind = this.kinds.get(dir)
      if (kind == null) {
        this.kinds.set(dir, 'directory')
        missing.push(dir)
      } else if (kind !== 'directory') {
        throw new InvalidArgumentError(`invalid path ${path} in upload: ${dir} is not a directory`)
      }
    }
    return missing
  }

  /** Records `path`; false for a directory that already exists; throws on any other repeat. */
  add (path: string, kind: 'directory' | 'file' | 'symlink'): boolean {
    const existing = this.kinds.get(path)
    if (existing === 'directory' && kind === 'directory') return false
    if (existing != null) throw new InvalidArgumentError(`duplicate path ${path} in upload`)
    this.kinds.set(path, kind)
    return true
  }
}

/** The validated relative path of a part, from its url-query-escaped filename. */
function partPath (info: PartInfo): string {
  const raw = info.filename
  if (raw == null || raw === '') throw new InvalidArgumentError('multipart part has no filename')
  // as go-ipfs-files fileName: an invalid escape keeps the name as sent
  const path = queryUnescape(raw) ?? raw
  if (path.startsWith('/')) throw new InvalidArgumentError(`invalid path ${JSON.stringify(path)} in upload: absolute paths are not allowed`)
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.' || segment === '..') {
      throw new InvalidArgumentError(`invalid path ${JSON.stringify(path)} in upload: empty, "." and ".." segments are not allowed`)
    }
  }
  return path
}

const utf8 = new TextDecoder()

/** Go `url.QueryUnescape`: `+` is a space, `%XX` a byte; undefined on a bad escape. */
function queryUnescape (s: string): string | undefined {
  if (!s.includes('%') && !s.includes('+')) return s
  const bytes: number[] = []
  const encoded = new TextEncoder().encode(s)
  for (let i = 0; i < encoded.length; i++) {
    const b = encoded[i]
    if (b === 0x25) { // %
      const hex = String.fromCharCode(encoded[i + 1] ?? 0, encoded[i + 2] ?? 0)
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) return undefined
      bytes.push(parseInt(hex, 16))
      i += 2
    } else if (b === 0x2b) { // +
      bytes.push(0x20)
    } else {
      bytes.push(b)
    }
  }
  return utf8.decode(new Uint8Array(bytes))
}

function errorFor (error: MultipartError): InvalidArgumentError {
  switch (error._tag) {
    case 'InvalidBoundary': return new InvalidArgumentError('no multipart boundary param in Content-Type')
    case 'BadHeaders': return new InvalidArgumentError(`malformed multipart part headers: ${error.error.reason}`)
    case 'InvalidDisposition': return new InvalidArgumentError('malformed multipart part: form-data Content-Disposition without a name')
    case 'ReachedLimit': return new InvalidArgumentError(`multipart upload too large: ${error.limit} limit reached`)
    case 'EndNotReached': return new InvalidArgumentError('multipart body ended before its closing boundary (truncated upload)')
  }
}

function headerValue (v: string | string[] | undefined): string {
  return Array.isArray(v) ? (v[0] ?? '') : (v ?? '')
}

function concat (chunks: Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size)
  let offset = 0
  for (const c of chunks) {
    out.set(c, offset)
    offset += c.byteLength
  }
  return out
}

/** Settles with `work`, or rejects with the signal's reason when it aborts first. */
async function raceSignal<T> (work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal == null) return await work
  signal.throwIfAborted()
  let onAbort: (() => void) | undefined
  try {
    return await Promise.race([
      work,
      new Promise<never>((_resolve, reject) => {
        onAbort = () => { reject(signal.reason) }
        signal.addEventListener('abort', onAbort, { once: true })
      })
    ])
  } finally {
    if (onAbort != null) signal.removeEventListener('abort', onAbort)
  }
}
