/**
 * The `add` request body: local paths and URLs as the Go client sends them
 * (go-ipfs-files `NewSerialFile` + `MultiFileReader` with form-data parts,
 * boxo v0.39): one part per file, directory and symlink, depth first, entries
 * in lexical order, streamed from disk.
 */
import { randomBytes } from 'node:crypto'
import { lstat, open, readdir, readlink, realpath, stat } from 'node:fs/promises'
import { posix } from 'node:path'
import { queryEscape } from './query.js'
import type { Stats, BigIntStats } from 'node:fs'

/** One node of the upload tree. */
export type UploadNode =
  | { kind: 'file', name: string, mode: number, mtime?: Mtime, path: string, absPath: string, size: number }
  | { kind: 'web', name: string, url: string }
  | { kind: 'symlink', name: string, mtime?: Mtime, target: string }
  | { kind: 'dir', name: string, mode: number, mtime?: Mtime, path: string, children: () => Promise<UploadNode[]> }

/** A modification time as Go's `time.Time` gives it (`Unix()`, `Nanosecond()`). */
export interface Mtime { sec: bigint, nsec: bigint }

/** What the walk needs from the caller. */
export interface SerialFileOptions {
  /** Include entries whose name starts with `.` inside directories. */
  hidden: boolean
  /** Directories are only accepted when set. */
  recursive: boolean
  /** The environment, for Go's `os.Getwd` (`$PWD` when it is the working directory). */
  env?: NodeJS.ProcessEnv
}

// Go `os.FileMode` bits
const MODE_DIR = 2 ** 31
const MODE_SYMLINK = 2 ** 27
const MODE_DEVICE = 2 ** 26
const MODE_NAMED_PIPE = 2 ** 25
const MODE_SOCKET = 2 ** 24
const MODE_SETUID = 2 ** 23
const MODE_SETGID = 2 ** 22
const MODE_CHAR_DEVICE = 2 ** 21
const MODE_STICKY = 2 ** 20
const MODE_PERM = 0o777

/** Go's `os.FileMode` of a stat result (os/stat_linux.go). */
export function goFileMode (st: Stats | BigIntStats): number {
  const m = Number(st.mode)
  let mode = m & MODE_PERM
  switch (m & 0o170000) {
    case 0o040000: mode += MODE_DIR; break
    case 0o120000: mode += MODE_SYMLINK; break
    case 0o010000: mode += MODE_NAMED_PIPE; break
    case 0o140000: mode += MODE_SOCKET; break
    case 0o020000: mode += MODE_DEVICE + MODE_CHAR_DEVICE; break
    case 0o060000: mode += MODE_DEVICE; break
  }
  if ((m & 0o4000) !== 0) mode += MODE_SETUID
  if ((m & 0o2000) !== 0) mode += MODE_SETGID
  if ((m & 0o1000) !== 0) mode += MODE_STICKY
  return mode
}

/** Go `FileMode.String()`: `-rw-r--r--`, `drwxr-xr-x`, `prw-r--r--`. */
export function goFileModeString (mode: number): string {
  const types = 'dalTLDpSugct?'
  let s = ''
  for (let i = 0; i < types.length; i++) {
    if (Math.floor(mode / 2 ** (31 - i)) % 2 === 1) s += types[i]
  }
  if (s === '') s = '-'
  const rwx = 'rwxrwxrwx'
  for (let i = 0; i < 9; i++) s += (mode & (1 << (8 - i))) !== 0 ? rwx[i] : '-'
  return s
}

function mtimeOf (st: BigIntStats): Mtime {
  const ns = st.mtimeNs
  let sec = ns / 1_000_000_000n
  let nsec = ns % 1_000_000_000n
  if (nsec < 0n) { sec -= 1n; nsec += 1_000_000_000n }
  return { sec, nsec }
}

const GO_ERRNO: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOTDIR: 'not a directory',
  EISDIR: 'is a directory',
  ELOOP: 'too many levels of symbolic links',
  ENAMETOOLONG: 'file name too long',
  EMFILE: 'too many open files',
  EIO: 'input/output error'
}

/** Go's `*fs.PathError` text: `<op> <path>: <errno text>`. */
export function goPathError (op: string, path: string, err: unknown): Error {
  const e = err as NodeJS.ErrnoException | undefined
  const why = GO_ERRNO[e?.code ?? ''] ?? String(e?.message ?? err)
  return new Error(`${op} ${path}: ${why}`, { cause: err })
}

async function wrap<T> (op: string, path: string, p: Promise<T>): Promise<T> {
  try {
    return await p
  } catch (err) {
    throw goPathError(op, path, err)
  }
}

/** Go `filepath.Clean` for slash paths. */
export function cleanPath (p: string): string {
  if (p === '') return '.'
  const n = posix.normalize(p)
  return n.length > 1 && n.endsWith('/') ? n.slice(0, -1) : n
}

/** Go `os.Getwd`: `$PWD` when it names the working directory, else the real path. */
async function getwd (env: NodeJS.ProcessEnv = {}): Promise<string> {
  const cwd = process.cwd()
  const pwd = env.PWD
  if (pwd != null && pwd.startsWith('/') && pwd !== cwd) {
    try {
      const [a, b] = await Promise.all([stat(pwd), stat('.')])
      if (a.dev === b.dev && a.ino === b.ino) return pwd
    } catch {}
  }
  return cwd
}

const isHidden = (name: string): boolean => name !== '' && name !== '.' && name !== '..' && name[0] === '.'

/** Byte-wise order of UTF-8 names (Go `os.ReadDir`). */
const byBytes = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b))

/**
 * Go `NewSerialFileWithOptions` for a path whose lstat result is known: regular
 * files are opened (to fail early, as Go does), directories listed (children
 * built lazily, hidden ones filtered), symlinks read. Throws Go's error texts.
 */
async function serialNode (name: string, path: string, st: BigIntStats, opts: SerialFileOptions, cwd: string): Promise<UploadNode> {
  const mode = goFileMode(st)
  const mtime = mtimeOf(st)
  if (st.isFile()) {
    const fh = await wrap('open', path, open(path, 'r'))
    await fh.close()
    return { kind: 'file', name, mode, mtime, path, absPath: posix.isAbsolute(path) ? path : cleanPath(posix.join(cwd, path)), size: Number(st.size) }
  }
  if (st.isDirectory()) {
    const names = (await wrap('open', path, readdir(path))).sort(byBytes)
    const stats: Array<[string, BigIntStats]> = []
    for (const n of names) stats.push([n, await wrap('lstat', posix.join(path, n), lstat(posix.join(path, n), { bigint: true }))])
    return {
      kind: 'dir',
      name,
      mode,
      mtime,
      path,
      children: async () => {
        const out: UploadNode[] = []
        for (const [n, s] of stats) {
          if (!opts.hidden && isHidden(n)) continue
          out.push(await serialNode(n, posix.join(path, n), s, opts, cwd))
        }
        return out
      }
    }
  }
  if (st.isSymbolicLink()) {
    return { kind: 'symlink', name, mtime, target: await wrap('readlink', path, readlink(path)) }
  }
  throw new Error(`unrecognized file type for ${path}: ${goFileModeString(mode)}`)
}

/** Whether an argument is downloaded by the client (Go: the URL scheme starts with `http`). */
export function isWebArg (arg: string): boolean {
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(arg)
  return m != null && m[1].toLowerCase().startsWith('http')
}

/**
 * Go `url.Parse` checks that also reject local paths: bad `%` escapes and
 * control characters. Returns the Go error text, or undefined.
 */
export function urlParseError (arg: string): string | undefined {
  if (/[\x00-\x1f\x7f]/.test(arg)) return `parse ${JSON.stringify(arg)}: net/url: invalid control character in URL`
  if (arg.startsWith(':')) return `parse ${JSON.stringify(arg)}: missing protocol scheme`
  // without a scheme, a colon in the first path segment would read as one
  const rest = arg.split('#')[0].split('?')[0]
  if (!/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(arg) && !rest.startsWith('/') && rest.split('/')[0].includes(':')) {
    return `parse ${JSON.stringify(arg)}: first path segment in URL cannot contain colon`
  }
  const bad = /%(?![0-9a-fA-F]{2})(.{0,2})/s.exec(arg)
  if (bad != null) return `parse ${JSON.stringify(arg)}: invalid URL escape ${JSON.stringify(bad[0])}`
  return undefined
}

/**
 * Go client `makeSerialFile`: the top-level node for a local path, named by
 * its base name. `.` is the working directory with symlinks resolved.
 */
export async function serialFile (arg: string, opts: SerialFileOptions): Promise<UploadNode> {
  let fpath = arg
  const cwd = await getwd(opts.env)
  if (fpath === '.') fpath = await wrap('lstat', cwd, realpath(cwd))
  fpath = cleanPath(fpath)
  const st = await wrap('lstat', fpath, lstat(fpath, { bigint: true }))
  if (st.isDirectory() && !opts.recursive) throw new Error(`${fpath} is a directory, but Recursive option is not set`)
  return await serialNode(posix.basename(fpath) === '' ? '/' : posix.basename(fpath), fpath, st, opts, cwd)
}

/** Go `files.NewWebFile` named by the base name of the URL path. */
export function webFile (arg: string): UploadNode {
  let pathname = ''
  try {
    pathname = decodeURIComponent(new URL(arg).pathname)
  } catch {}
  const base = pathname === '' ? '.' : posix.basename(pathname) === '' ? '/' : posix.basename(cleanPath(pathname))
  return { kind: 'web', name: base, url: arg }
}

/** Size of the reads of a file's content. */
const FILE_CHUNK = 512 * 1024
/** Read buffers kept for reuse (the socket holds one or two while they are written). */
const POOL_SIZE = 4

/**
 * Read buffers handed back once the socket has written them. A fresh 512 KiB buffer per
 * read made V8 run a full collection every ~20 MB of upload (buffers are external
 * memory), ~15 per 256 MiB. Buffers not given back are simply garbage: a chunk still
 * queued when the request fails costs a new allocation, never a wait.
 */
export class ReadBufferPool {
  private readonly free: Buffer[] = []
  private readonly owned = new WeakSet<ArrayBufferLike>()

  acquire (): Buffer {
    const b = this.free.pop()
    if (b != null) return b
    const fresh = Buffer.allocUnsafeSlow(FILE_CHUNK)
    this.owned.add(fresh.buffer)
    return fresh
  }

  /** Gives back the buffer under `chunk` if it is one of ours; other chunks are ignored. */
  release (chunk: Uint8Array): void {
    if (!this.owned.has(chunk.buffer) || this.free.length >= POOL_SIZE) return
    if (this.free.some((b) => b.buffer === chunk.buffer)) return
    this.free.push(Buffer.from(chunk.buffer, 0, FILE_CHUNK))
  }
}

/** A file's content in chunks read into `pool`'s buffers (a new buffer per read without one). */
async function * fileChunks (path: string, pool?: ReadBufferPool): AsyncGenerator<Buffer> {
  const fh = await open(path, 'r')
  try {
    for (;;) {
      const buf = pool?.acquire() ?? Buffer.allocUnsafeSlow(FILE_CHUNK)
      const { bytesRead } = await fh.read(buf, 0, buf.length, null)
      if (bytesRead === 0) {
        pool?.release(buf)
        return
      }
      yield buf.subarray(0, bytesRead)
    }
  } finally {
    await fh.close()
  }
}

/** Go `multipart.randomBoundary`: 30 random bytes in hex. */
export function randomBoundary (): string {
  return randomBytes(30).toString('hex')
}

/** Byte counts of an upload, for the progress display. */
export interface UploadCounter {
  /** Called with the size of every file chunk read. */
  onBytes?: (n: number) => void
}

function contentDisposition (node: UploadNode, filename: string): string {
  const params: string[] = []
  const mode = node.kind === 'symlink' ? MODE_SYMLINK + MODE_PERM : node.kind === 'web' ? 0 : node.mode
  if (mode !== 0) params.push(`mode=0${mode.toString(8)}`)
  const mtime = node.kind === 'web' ? undefined : node.mtime
  if (mtime != null) {
    params.push(`mtime=${mtime.sec}`)
    if (mtime.nsec > 0n) params.push(`mtime-nsecs=${mtime.nsec}`)
  }
  const name = params.length > 0 ? `file?${params.join('&')}` : 'file'
  return `form-data; name="${name}"; filename="${queryEscape(filename)}"`
}

function partHeader (boundary: string, first: boolean, node: UploadNode, filename: string): Buffer {
  const types = { file: 'application/octet-stream', web: 'application/octet-stream', dir: 'application/x-directory', symlink: 'application/symlink' }
  let h = first ? `--${boundary}\r\n` : `\r\n--${boundary}\r\n`
  // headers sorted by canonical key, as Go's multipart writer does
  if (node.kind === 'file') h += `Abspath-Encoded: ${queryEscape(node.absPath)}\r\n`
  if (node.kind === 'web') h += `Abspath-Encoded: ${queryEscape(node.url)}\r\n`
  h += `Content-Disposition: ${contentDisposition(node, filename)}\r\n`
  h += `Content-Type: ${types[node.kind]}\r\n\r\n`
  return Buffer.from(h)
}

async function * webBody (url: string): AsyncGenerator<Uint8Array> {
  let resp: globalThis.Response
  try {
    resp = await fetch(url)
  } catch (err: any) {
    throw new Error(`Get ${JSON.stringify(url)}: ${String(err?.cause?.message ?? err?.message ?? err)}`, { cause: err })
  }
  if (resp.status < 200 || resp.status > 299) {
    await resp.body?.cancel()
    throw new Error(`got non-2XX status code ${resp.status}: ${url}`)
  }
  if (resp.body == null) return
  for await (const chunk of resp.body) yield chunk
}

/**
 * The multipart/form-data body for `nodes` (Go `MultiFileReader` over a slice
 * directory): parts depth first, file contents streamed in 512 KiB chunks (fewer reads
 * and socket writes than 64 KiB ones; memory stays a few chunks).
 * Read failures throw Go-style errors.
 */
export async function * multipartBody (nodes: UploadNode[], boundary: string, counter: UploadCounter = {}, pool?: ReadBufferPool): AsyncGenerator<Uint8Array> {
  let first = true
  async function * walk (list: UploadNode[], dir: string): AsyncGenerator<Uint8Array> {
    for (const node of list) {
      const filename = dir === '' ? node.name : posix.join(dir, node.name)
      yield partHeader(boundary, first, node, filename)
      first = false
      switch (node.kind) {
        case 'file': {
          const chunks = fileChunks(node.path, pool)
          try {
            for (;;) {
              let r: IteratorResult<Buffer>
              try {
                r = await chunks.next()
              } catch (err) {
                throw goPathError('read', node.path, err)
              }
              if (r.done === true) break
              counter.onBytes?.(r.value.length)
              yield r.value
            }
          } finally {
            await chunks.return(undefined) // closes the file when the consumer stops early
          }
          break
        }
        case 'web':
          for await (const chunk of webBody(node.url)) {
            counter.onBytes?.(chunk.length)
            yield chunk
          }
          break
        case 'symlink':
          yield Buffer.from(node.target)
          break
        case 'dir':
          yield * walk(await node.children(), filename)
          break
      }
    }
  }
  yield * walk(nodes, '')
  yield Buffer.from(`\r\n--${boundary}--\r\n`)
}

/** Total bytes of the regular files under `nodes` (the progress bar's 100 %); undefined when a URL is involved. */
export async function totalSize (nodes: UploadNode[]): Promise<number | undefined> {
  let total = 0
  for (const node of nodes) {
    if (node.kind === 'web') return undefined
    if (node.kind === 'file') total += node.size
    if (node.kind === 'dir') {
      const sub = await totalSize(await node.children())
      if (sub == null) return undefined
      total += sub
    }
  }
  return total
}
