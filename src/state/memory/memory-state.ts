import { PinNotFoundError } from '../../interface/errors.js'
import { decodeStoredPin, encodeStoredPin, stateKey, storedJson, storedType } from '../codec.js'
import type { AbortOptions } from '../../interface/startable.js'
import type { Pin } from '../../interface/types.js'
import type { PinsetBatch, PinsetStore, StateBatchOptions, StateJsonEntry } from '../types.js'
import type { CID } from 'multiformats/cid'

interface Entry { key: Uint8Array, value: string }

// hex keeps the byte order of the keys, so sorting it sorts like LevelDB
const hexKey = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')

/** Entries per `listJsonPages` page. */
const JSON_PAGE = 1000

/**
 * The pinset in memory, with the same stored encoding as the LevelDB store (so
 * a pin read back has second-precision times, as on disk).
 */
export class MemoryState implements PinsetStore {
  private readonly entries = new Map<string, Entry>()

  start (): void {}
  stop (): void {}

  async add (pin: Pin, options: AbortOptions = {}): Promise<void> {
    options.signal?.throwIfAborted()
    this.putStored(stateKey(pin.cid), encodeStoredPin(pin))
  }

  /** Stores a pin in its stored form under its CID bytes (copied: callers may reuse theirs). */
  private putStored (key: Uint8Array, value: string): void {
    const copy = new Uint8Array(key)
    this.entries.set(hexKey(copy), { key: copy, value })
  }

  async rm (cid: CID, options: AbortOptions = {}): Promise<void> {
    options.signal?.throwIfAborted()
    this.entries.delete(hexKey(stateKey(cid)))
  }

  async has (cid: CID, options: AbortOptions = {}): Promise<boolean> {
    options.signal?.throwIfAborted()
    return this.entries.has(hexKey(stateKey(cid)))
  }

  async get (cid: CID, options: AbortOptions = {}): Promise<Pin> {
    options.signal?.throwIfAborted()
    const e = this.entries.get(hexKey(stateKey(cid)))
    if (e == null) throw new PinNotFoundError()
    return decodeStoredPin(e.value, e.key)
  }

  /** A sorted snapshot of the keys: later writes do not disturb a listing. */
  private * sorted (options: AbortOptions): Generator<Entry> {
    const keys = [...this.entries.keys()].sort()
    for (const k of keys) {
      options.signal?.throwIfAborted()
      const e = this.entries.get(k)
      if (e != null) yield e
    }
  }

  async * list (options: AbortOptions = {}): AsyncGenerator<Pin> {
    for (const e of this.sorted(options)) yield decodeStoredPin(e.value, e.key)
  }

  async * listJson (options: AbortOptions = {}): AsyncGenerator<StateJsonEntry> {
    for (const e of this.sorted(options)) yield { type: storedType(e.value), json: storedJson(e.value), key: e.key }
  }

  async * listJsonPages (options: AbortOptions = {}): AsyncGenerator<StateJsonEntry[]> {
    let page: StateJsonEntry[] = []
    for await (const e of this.listJson(options)) {
      page.push(e)
      if (page.length === JSON_PAGE) {
        yield page
        page = []
      }
    }
    if (page.length > 0) yield page
  }

  async count (): Promise<number> {
    return this.entries.size
  }

  async clean (): Promise<void> {
    this.entries.clear()
  }

  async commit (options: AbortOptions = {}): Promise<void> {
    options.signal?.throwIfAborted()
  }

  batch (_options: StateBatchOptions = {}): PinsetBatch {
    const ops: Array<() => Promise<void>> = []
    return {
      add: async (pin) => { ops.push(async () => { await this.add(pin) }) },
      addStored: async (key, stored) => {
        const copy = new Uint8Array(key)
        ops.push(async () => { this.putStored(copy, stored) })
      },
      rm: async (cid) => { ops.push(async () => { await this.rm(cid) }) },
      commit: async () => {
        for (const op of ops.splice(0)) await op()
      },
      has: async (cid, o) => await this.has(cid, o),
      get: async (cid, o) => await this.get(cid, o),
      list: (o) => this.list(o),
      listJson: (o) => this.listJson(o)
    }
  }
}
