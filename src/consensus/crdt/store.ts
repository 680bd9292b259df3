/**
 * The CRDT's own LevelDB (classic-level): DAG blocks, per-key element records, heads,
 * processed markers, pending roots, the batching journal, the dirty flag and version.
 * Layout in keys.ts. Writes of one merge go in one atomic batch.
 */
import { ClassicLevel } from 'classic-level'
import { LockedError } from '../../interface/errors.js'
import { CrdtNotStartedError } from './errors.js'
import { DB } from './keys.js'

/** One write of a batch. */
export type Op = { type: 'put', key: string, value: Uint8Array } | { type: 'del', key: string }

type Level = ClassicLevel<string, Uint8Array>

// delta blocks are up to 1 MiB: with LevelDB's 4 MiB memtable and 2 MiB tables a bulk
// import flushed and compacted every few blocks (3x the CPU of the pinset itself)
const WRITE_BUFFER = 64 * 1024 * 1024
const MAX_FILE = 32 * 1024 * 1024

/** Data-format version (go-ds-crdt's is 1 too). */
const VERSION = 1
const EMPTY = new Uint8Array(0)

export class CrdtStore {
  private level: Level | undefined

  constructor (readonly path: string) {}

  async open (): Promise<void> {
    if (this.level != null) return
    const level: Level = new ClassicLevel<string, Uint8Array>(this.path, { keyEncoding: 'utf8', valueEncoding: 'view', writeBufferSize: WRITE_BUFFER, maxFileSize: MAX_FILE })
    try {
      await level.open()
    } catch (err: any) {
      if (err?.cause?.code === 'LEVEL_LOCKED') {
        throw new LockedError(`the crdt store at ${this.path} is in use by another process`, { cause: err })
      }
      throw err
    }
    this.level = level
    if (level.getSync(DB.version) == null) await level.put(DB.version, Uint8Array.of(VERSION + 1))
  }

  async close (): Promise<void> {
    const level = this.level
    this.level = undefined
    await level?.close()
  }

  get isOpen (): boolean {
    return this.level != null
  }

  /** The open database. Throws CrdtNotStartedError. */
  get db (): Level {
    if (this.level == null) throw new CrdtNotStartedError()
    return this.level
  }

  get (key: string): Uint8Array | undefined {
    return this.db.getSync(key) ?? undefined
  }

  has (key: string): boolean {
    return this.db.getSync(key) != null
  }

  async getMany (keys: string[]): Promise<Array<Uint8Array | undefined>> {
    if (keys.length === 0) return []
    return await this.db.getMany(keys)
  }

  async write (ops: Op[]): Promise<void> {
    if (ops.length === 0) return
    await this.db.batch(ops)
  }

  async put (key: string, value: Uint8Array = EMPTY): Promise<void> {
    await this.db.put(key, value)
  }

  async del (key: string): Promise<void> {
    await this.db.del(key)
  }

  /** Entries of a key range, in pages (bounded memory). */
  async * entries (range: { gte: string, lt: string }, options: { reverse?: boolean, limit?: number } = {}): AsyncGenerator<[string, Uint8Array]> {
    const it = this.db.iterator({ ...range, ...options })
    try {
      while (true) {
        const page = await it.nextv(1000)
        if (page.length === 0) return
        yield * page
      }
    } finally {
      await it.close()
    }
  }

  /** True when no key lies in `range`. */
  async isEmpty (range: { gte: string, lt: string }): Promise<boolean> {
    const it = this.db.keys({ ...range, limit: 1 })
    try {
      return (await it.next()) === undefined
    } finally {
      await it.close()
    }
  }

  block (id: string): Uint8Array | undefined {
    return this.get(DB.block(id))
  }

  isProcessed (id: string): boolean {
    return this.has(DB.processed(id))
  }

  /** Deletes everything. */
  async clear (): Promise<void> {
    await this.db.clear()
    await this.db.put(DB.version, Uint8Array.of(VERSION + 1))
  }
}

/** An empty value (markers). */
export const MARK = EMPTY
