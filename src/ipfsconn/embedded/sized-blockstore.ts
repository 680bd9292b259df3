/**
 * A blockstore-fs wrapper that keeps a running count of the bytes it stores,
 * so `repoStat` does not walk the disk on every call (the disk is walked once, at open).
 */
import { close as closeCb, fstat as fstatCb, open as openCb, read as readCb } from 'node:fs'
import fs from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'
import { FsBlockstore } from 'blockstore-fs'
import { NextToLast } from 'blockstore-fs/sharding'
import { BlockWriter } from './block-writer.js'
import type { AbortOptions } from '../../interface/startable.js'
import type { Blockstore, InputPair, Pair } from 'interface-blockstore'
import type { CID } from 'multiformats/cid'

/** Most block writes `putMany` keeps in flight. */
const PUT_MANY_WINDOW = 8

/** The on-disk blockstore with a byte counter. */
export class SizedBlockstore implements Blockstore {
  private readonly inner: FsBlockstore
  private readonly sharding = new NextToLast()
  private readonly root: string
  private bytes = 0
  /** Puts of new blocks in flight, by file path, so concurrent puts of one block count once. */
  private readonly inflight = new Map<string, Promise<CID>>()
  /** Callers waiting for a block to be written, by file path. */
  private readonly waiters = new Map<string, Set<() => void>>()
  private readonly writer = new BlockWriter()

  constructor (root: string) {
    this.root = path.resolve(root)
    this.inner = new FsBlockstore(this.root, { shardingStrategy: this.sharding })
  }

  /** Opens the folder and measures what is already stored. */
  async open (): Promise<void> {
    await this.inner.open()
    this.bytes = await folderSize(this.root)
    this.writer.start()
  }

  /** Waits for the puts already started, then stops the writer. */
  async close (): Promise<void> {
    await Promise.allSettled([...this.inflight.values()])
    await this.writer.close()
    await this.inner.close()
  }

  /** Bytes of block data stored. */
  size (): number {
    return this.bytes
  }

  private fileOf (cid: CID): string {
    const { dir, file } = this.sharding.encode(cid)
    return path.join(this.root, dir, file)
  }

  /**
   * Resolves when a put of `cid` has written it (not if it is already stored: check that
   * after calling this). Rejects when `signal` aborts.
   */
  async waitFor (cid: CID, signal: AbortSignal): Promise<void> {
    signal.throwIfAborted()
    const file = this.fileOf(cid)
    await new Promise<void>((resolve, reject) => {
      const set = this.waiters.get(file) ?? new Set()
      this.waiters.set(file, set)
      const onAbort = (): void => {
        set.delete(done)
        if (set.size === 0 && this.waiters.get(file) === set) this.waiters.delete(file)
        reject(signal.reason)
      }
      const done = (): void => {
        signal.removeEventListener('abort', onAbort)
        resolve()
      }
      set.add(done)
      signal.addEventListener('abort', onAbort, { once: true })
    })
  }

  async has (cid: CID, options?: AbortOptions): Promise<boolean> {
    return this.inner.has(cid, options)
  }

  async put (cid: CID, val: Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>, options?: AbortOptions): Promise<CID> {
    const file = this.fileOf(cid)
    const running = this.inflight.get(file)
    if (running != null) return running
    const p = (async () => {
      const bytes = await toBytes(val)
      options?.signal?.throwIfAborted()
      // written as blockstore-fs does (a temporary file, then a rename) on the writer's thread
      if (await this.writer.write(file, bytes)) this.bytes += bytes.byteLength
      const waiting = this.waiters.get(file)
      this.waiters.delete(file)
      for (const w of waiting ?? []) w()
      return cid
    })()
    this.inflight.set(file, p)
    try {
      return await p
    } finally {
      this.inflight.delete(file)
    }
  }

  /**
   * Stores the blocks of `source` with up to `PUT_MANY_WINDOW` writes in flight (one at a
   * time leaves the disk idle between them), yielding the CIDs in source order. On a
   * failure, the writes already started finish (or fail) in the background and the first
   * error is thrown.
   */
  async * putMany (source: Iterable<InputPair> | AsyncIterable<InputPair>, options?: AbortOptions): AsyncGenerator<CID> {
    const pending: Array<Promise<CID>> = []
    try {
      for await (const { cid, bytes } of source) {
        const p = this.put(cid, bytes, options)
        p.catch(() => {}) // observed when its turn comes; not unhandled meanwhile
        pending.push(p)
        if (pending.length >= PUT_MANY_WINDOW) yield await (pending.shift() as Promise<CID>)
      }
      while (pending.length > 0) yield await (pending.shift() as Promise<CID>)
    } finally {
      pending.length = 0
    }
  }

  get (cid: CID, options?: AbortOptions): AsyncGenerator<Uint8Array> {
    return this.inner.get(cid, options)
  }

  /**
   * The first `length` bytes of a stored block (fewer when it is shorter) and its size, or
   * undefined when it is not stored: enough to tell whether a block has links without
   * reading it whole.
   */
  async head (cid: CID, length: number): Promise<{ bytes: Uint8Array, size: number } | undefined> {
    let fd: number
    try {
      fd = await open(this.fileOf(cid), 'r')
    } catch (err: any) {
      if (err.code === 'ENOENT') return undefined
      throw err
    }
    try {
      const buf = Buffer.allocUnsafe(length)
      const n = await read(fd, buf, 0, length)
      return { bytes: buf.subarray(0, n), size: (await fstat(fd)).size }
    } finally {
      await close(fd)
    }
  }

  getMany (source: Iterable<CID> | AsyncIterable<CID>, options?: AbortOptions): AsyncGenerator<Pair> {
    return this.inner.getMany(source, options)
  }

  async delete (cid: CID, options?: AbortOptions): Promise<void> {
    let size = 0
    try {
      size = (await fs.stat(this.fileOf(cid))).size
    } catch {
      return // not stored: nothing to delete
    }
    await this.inner.delete(cid, options)
    this.bytes = Math.max(0, this.bytes - size)
  }

  async * deleteMany (source: Iterable<CID> | AsyncIterable<CID>, options?: AbortOptions): AsyncGenerator<CID> {
    for await (const cid of source) {
      await this.delete(cid, options)
      yield cid
    }
  }

  getAll (options?: AbortOptions): AsyncGenerator<Pair> | Generator<Pair> {
    return this.inner.getAll(options)
  }
}

const open = promisify(openCb)
/** Reads up to `length` bytes from the start of the file into `buffer`; resolves with the bytes read. */
async function read (fd: number, buffer: Uint8Array, offset: number, length: number): Promise<number> {
  return await new Promise((resolve, reject) => {
    readCb(fd, buffer, offset, length, 0, (err, n) => { if (err != null) reject(err); else resolve(n) })
  })
}
const close = promisify(closeCb)
const fstat = promisify(fstatCb)

async function toBytes (val: Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  if (val instanceof Uint8Array) return val
  const chunks: Uint8Array[] = []
  for await (const c of val) chunks.push(c)
  return Buffer.concat(chunks)
}

/** Sum of the sizes of the regular files under `dir` (0 when it does not exist). */
export async function folderSize (dir: string): Promise<number> {
  let entries
  try {
    entries = await fs.readdir(dir, { recursive: true, withFileTypes: true })
  } catch (err: any) {
    if (err.code === 'ENOENT') return 0
    throw err
  }
  let total = 0
  for (const e of entries) {
    if (!e.isFile()) continue
    try {
      total += (await fs.stat(path.join(e.parentPath, e.name))).size
    } catch {
      // removed while we walked
    }
  }
  return total
}
