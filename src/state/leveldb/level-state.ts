import { ClassicLevel } from 'classic-level'
import { parseCid } from '../../api/common/cid.js'
import { canonicalCidBytes } from '../../api/common/codec.js'
import { LockedError, PinNotFoundError } from '../../interface/errors.js'
import { decodeStoredPin, encodeStoredPin, stateKey, storedJson, storedType } from '../codec.js'
import { StateNotStartedError } from '../errors.js'
import { GroupWriter } from '../../util/group-writer.js'
import type { LevelStateComponents, LevelStateInit } from './index.js'
import type { AbortOptions } from '../../interface/startable.js'
import type { Pin, PinType } from '../../interface/types.js'
import type { PinsetBatch, PinsetStore, StateBatchOptions, StateJsonEntry } from '../types.js'
import type { Logger } from '@libp2p/interface'
import type { CID } from 'multiformats/cid'

type DB = ClassicLevel<Uint8Array, string>

/** Entries read per native call: bounds memory while listing. */
const PAGE = 1000
// classic-level stops a page at 16 KiB by default (~30 pins), which made scans
// ~3x slower; 2 MiB lets a page reach PAGE entries of ~1-2 KiB each
const PAGE_BYTES = 2 * 1024 * 1024
const DEFAULT_BATCH = 10_000

/** What listings read: a LevelDB iterator with keys of type K. */
interface PageSource<K> {
  nextv: (size: number) => Promise<Array<[K, string]>>
  close: () => Promise<void>
}

/** The pinset in LevelDB (classic-level): key = CID bytes, value = tag + stored JSON. */
export class LevelState implements PinsetStore {
  private readonly path: string
  private readonly batchSize: number
  private readonly log: Logger
  private db: DB | undefined
  /** Concurrent `add`/`rm` calls share LevelDB writes (group commit). */
  private readonly writer = new GroupWriter<Uint8Array, string>(() => this.open())

  constructor (components: LevelStateComponents, init: LevelStateInit) {
    this.path = init.path
    this.batchSize = init.batchSize ?? DEFAULT_BATCH
    this.log = components.logger.forComponent('cluster:state')
  }

  async start (): Promise<void> {
    if (this.db != null) return
    // created here, not in the constructor: classic-level opens itself on creation
    const db: DB = new ClassicLevel<Uint8Array, string>(this.path, { keyEncoding: 'view', valueEncoding: 'utf8' })
    try {
      await db.open()
    } catch (err: any) {
      if (err?.cause?.code === 'LEVEL_LOCKED') {
        throw new LockedError(`the state at ${this.path} is in use by another process`, { cause: err })
      }
      throw err
    }
    this.db = db
    this.log('opened pinset at %s', this.path)
  }

  async stop (): Promise<void> {
    // writes already accepted finish before the database closes
    await this.writer.idle()
    const db = this.db
    this.db = undefined
    await db?.close()
  }

  private open (): DB {
    if (this.db == null) throw new StateNotStartedError()
    return this.db
  }

  async add (pin: Pin, options: AbortOptions = {}): Promise<void> {
    options.signal?.throwIfAborted()
    this.open()
    await this.writer.put(stateKey(pin.cid), encodeStoredPin(pin))
  }

  async rm (cid: CID, options: AbortOptions = {}): Promise<void> {
    options.signal?.throwIfAborted()
    this.open()
    await this.writer.del(stateKey(cid))
  }

  async has (cid: CID, options: AbortOptions = {}): Promise<boolean> {
    options.signal?.throwIfAborted()
    // synchronous, as `get`: the pin path asks before every write
    return this.open().getSync(stateKey(cid)) !== undefined
  }

  async get (cid: CID, options: AbortOptions = {}): Promise<Pin> {
    options.signal?.throwIfAborted()
    const key = stateKey(cid)
    // a synchronous read: a point lookup is a few microseconds, far less than the
    // thread-pool round trip of the asynchronous one (the pin path reads before each write)
    const value = this.open().getSync(key)
    if (value === undefined) throw new PinNotFoundError()
    return decodeStoredPin(value, key)
  }

  /** Pages of raw entries in key order; the iterator is closed when the caller stops. */
  private async * pages (options: AbortOptions): AsyncGenerator<Array<[Uint8Array, string]>> {
    yield * this.pagesOf<Uint8Array>(this.open().iterator({ highWaterMarkBytes: PAGE_BYTES }) as unknown as PageSource<Uint8Array>, options)
  }

  /**
   * Pages of values in key order, with keys read as (meaningless) UTF-8 text: LevelDB
   * hands a key over as bytes only by creating a Buffer for it, which made that
   * half of the cost of a listing; a short string costs little.
   */
  private async * valuePages (options: AbortOptions): AsyncGenerator<Array<[string, string]>> {
    const it = this.open().iterator<string, string>({ highWaterMarkBytes: PAGE_BYTES, keyEncoding: 'utf8' })
    yield * this.pagesOf<string>(it as unknown as PageSource<string>, options)
  }

  /**
   * Pages of an iterator. The next page is requested before this one is handed out:
   * LevelDB reads it on its thread while the caller works on this one.
   */
  private async * pagesOf<K> (it: PageSource<K>, options: AbortOptions): AsyncGenerator<Array<[K, string]>> {
    let next: Promise<Array<[K, string]>> | undefined
    try {
      options.signal?.throwIfAborted()
      next = it.nextv(PAGE)
      while (true) {
        const page = await next
        next = undefined
        if (page.length === 0) return
        options.signal?.throwIfAborted()
        next = it.nextv(PAGE)
        yield page
      }
    } finally {
      // a caller that stops early leaves a read in flight: let it end before closing
      await next?.catch(() => {})
      await it.close()
    }
  }

  async * list (options: AbortOptions = {}): AsyncGenerator<Pin> {
    for await (const page of this.pages(options)) {
      for (const [key, value] of page) yield decodeStoredPin(value, key)
    }
  }

  async * listJson (options: AbortOptions = {}): AsyncGenerator<StateJsonEntry> {
    for await (const page of this.listJsonPages(options)) yield * page
  }

  async * listJsonPages (options: AbortOptions = {}): AsyncGenerator<StateJsonEntry[]> {
    for await (const page of this.valuePages(options)) {
      const entries = new Array<StateJsonEntry>(page.length)
      for (let i = 0; i < page.length; i++) entries[i] = new ListedJson(page[i][1])
      yield entries
    }
  }

  async count (options: AbortOptions = {}): Promise<number> {
    const it = this.open().keys({ highWaterMarkBytes: PAGE_BYTES })
    let n = 0
    try {
      while (true) {
        options.signal?.throwIfAborted()
        const page = await it.nextv(10 * PAGE)
        if (page.length === 0) return n
        n += page.length
      }
    } finally {
      await it.close()
    }
  }

  async clean (options: AbortOptions = {}): Promise<void> {
    options.signal?.throwIfAborted()
    await this.open().clear()
  }

  /** Writes are not buffered on the store itself: nothing to commit. */
  async commit (options: AbortOptions = {}): Promise<void> {
    options.signal?.throwIfAborted()
  }

  batch (options: StateBatchOptions = {}): PinsetBatch {
    return new LevelBatch(this, () => this.open(), options.size ?? this.batchSize)
  }
}

/**
 * A `listJson` entry listed without its key: `key` (the CID bytes) is derived from
 * the stored CID text when read. The tracker, the one reader of keys, decodes the text
 * it parses anyway; other readers only want `type` and `json`.
 */
class ListedJson implements StateJsonEntry {
  readonly type: PinType
  readonly json: string

  constructor (value: string) {
    this.type = storedType(value)
    this.json = storedJson(value)
  }

  /** The CID bytes, as `stateKey(cid)` (stored texts are `cid.toString()`). */
  get key (): Uint8Array {
    const text = JSON.parse(this.json).cid
    return canonicalCidBytes(text) ?? parseCid(String(text)).bytes
  }
}

/** A batching view: buffered writes in a LevelDB chained batch; reads go to the store. */
class LevelBatch implements PinsetBatch {
  private pending: ReturnType<DB['batch']> | undefined

  constructor (
    private readonly store: LevelState,
    private readonly db: () => DB,
    private readonly size: number
  ) {}

  private current (): ReturnType<DB['batch']> {
    this.pending ??= this.db().batch()
    return this.pending
  }

  private async flushIfFull (): Promise<void> {
    if (this.pending != null && this.pending.length >= this.size) await this.commit()
  }

  async add (pin: Pin, options: AbortOptions = {}): Promise<void> {
    await this.addStored(stateKey(pin.cid), encodeStoredPin(pin), options)
  }

  async addStored (key: Uint8Array, stored: string, options: AbortOptions = {}): Promise<void> {
    options.signal?.throwIfAborted()
    this.current().put(key, stored)
    await this.flushIfFull()
  }

  async rm (cid: CID, options: AbortOptions = {}): Promise<void> {
    options.signal?.throwIfAborted()
    this.current().del(stateKey(cid))
    await this.flushIfFull()
  }

  async commit (options: AbortOptions = {}): Promise<void> {
    options.signal?.throwIfAborted()
    const batch = this.pending
    this.pending = undefined
    if (batch == null) return
    await batch.write()
  }

  async has (cid: CID, options?: AbortOptions): Promise<boolean> {
    return await this.store.has(cid, options)
  }

  async get (cid: CID, options?: AbortOptions): Promise<Pin> {
    return await this.store.get(cid, options)
  }

  list (options?: AbortOptions): AsyncGenerator<Pin> {
    return this.store.list(options)
  }

  listJson (options?: AbortOptions): AsyncGenerator<StateJsonEntry> {
    return this.store.listJson(options)
  }

  listJsonPages (options?: AbortOptions): AsyncGenerator<StateJsonEntry[]> {
    return this.store.listJsonPages(options)
  }
}
