/**
 * The merge of deltas into the store (go-ds-crdt `set.Merge`, spec consensus §3.2): an
 * add-wins observed-remove set whose values compete by priority, ties broken by the
 * byte-wise greater value.
 *
 * Per key the store keeps one record `k<key>`: the live (not tombstoned) elements as
 * `(block id, priority)`, the winner first. Values are not kept there: the winning
 * value goes to the pinset, and the rare tie needing a loser's bytes reads its block.
 * A tombstone that arrives before its element (only possible from a writer that never
 * saw the element) is remembered under `t<key><id>` and `e<id>`.
 *
 * A transaction merges several deltas against an in-memory overlay, then yields one
 * atomic batch for the CRDT database (processed markers included), the pinset changes
 * and the hooks. Hooks are derived from each key's state before and after the whole
 * transaction: a key that ends with a new winner is tracked, a key that was present and
 * ends absent is untracked. (Go calls the delete hook for every key a tombstone touches,
 * even when a concurrent add keeps it: we do not untrack a pin that is still in the set.)
 */
import { CID } from 'multiformats/cid'
import { decodeStoredWithKey, encodeStoredPin } from '../../state/codec.js'
import { makeNode } from './dag.js'
import { DB, cidBytesOfKey, isValidKey } from './keys.js'
import { encodeDelta, readUvarint, uvarint, varintLength, writeVarint } from './proto.js'
import { MARK } from './store.js'
import { compareBytes } from './util.js'
import type { Block } from './dag.js'
import type { Head, Heads } from './heads.js'
import type { Op, CrdtStore } from './store.js'
import type { Pin } from '../../interface/types.js'
import type { Logger } from '@libp2p/interface'

const EMPTY = new Uint8Array(0)

/** A live element of a key. */
export interface Entry {
  id: string
  prio: number
}

/** Encodes a key record (winner first). */
export function encodeRecord (entries: Entry[]): Uint8Array {
  let size = 0
  for (const e of entries) size += varintLength(e.prio) + varintLength(e.id.length) + e.id.length
  const out = Buffer.allocUnsafe(size)
  let pos = 0
  for (const e of entries) {
    pos = writeVarint(out, pos, e.prio)
    pos = writeVarint(out, pos, e.id.length)
    pos += out.write(e.id, pos, 'latin1')
  }
  return out
}

/** Decodes a key record. */
export function decodeRecord (bytes: Uint8Array): Entry[] {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const out: Entry[] = []
  let pos = 0
  while (pos < buf.length) {
    const [prio, p1] = readUvarint(buf, pos)
    const [len, p2] = readUvarint(buf, p1)
    out.push({ prio, id: buf.toString('latin1', p2, p2 + len) })
    pos = p2 + len
  }
  return out
}

/** An element to merge; `pin` spares decoding `value` (local writes). */
export interface MergeElement {
  key: string
  value: Uint8Array
  pin?: Pin
}

/** A tombstone to merge: element `id` of `key`. */
export interface MergeTombstone {
  key: string
  id: string
}

/** A DAG node to merge. */
export interface MergeNode {
  id: string
  cid: CID
  height: number
  links: CID[]
  linkIds: string[]
  elements: MergeElement[]
  tombstones: MergeTombstone[]
  /** Block bytes to store with the merge (local writes; fetched blocks are stored already). */
  block?: Uint8Array
}

/** A local write. */
export type LocalOp = { type: 'put', key: string, value: Uint8Array, pin: Pin } | { type: 'del', key: string }

/** A tracker call owed after the commit. */
export type Hook = { type: 'put', pin: Pin } | { type: 'del', cid: CID }

/** A pinset write: `pin` to add, or the CID to remove. */
/** A pinset write: a pin with its stored value (the CRDT value, as text), or a removal. */
export type PinsetChange = { pin: Pin, stored: string, cid?: undefined } | { pin?: undefined, stored?: undefined, cid: CID }

/** What a finished transaction writes. */
export interface TxnResult {
  /** CRDT database batch; processed markers come last. */
  ops: Op[]
  pinset: PinsetChange[]
  hooks: Hook[]
  headChanges: Map<string, Head | null>
}

/** What a transaction reads besides the database. */
export interface TxnContext {
  store: CrdtStore
  heads: Heads
  /** Announced roots awaiting processing (their `q` entry goes with the merge). */
  pendingRoots: { has: (id: string) => boolean }
  /** The value of `key` in the delta of block `id` (ties and recomputed winners). */
  loadValue: (id: string, key: string) => Uint8Array | undefined
  /** False when `key` has certainly no record in the database (reads are skipped). */
  maybeStored: (key: string) => boolean
  log: Logger
}

interface KeyState {
  entries: Entry[]
  initialPresent: boolean
  /** The winner changed (new element or recomputed). */
  changed: boolean
  /** The record must be written. */
  dirty: boolean
  /** Winner value when known (set in this transaction or loaded). */
  value?: Uint8Array
  pin?: Pin
}

export class MergeTxn {
  private readonly keys = new Map<string, KeyState>()
  private readonly loaded = new Map<string, Uint8Array | undefined>()
  private readonly ops: Op[] = []
  private readonly markers: Op[] = []
  private readonly processed = new Set<string>()
  private readonly nonHeads = new Set<string>()
  private readonly earlyTombs = new Set<string>()
  private readonly earlyIds = new Set<string>()
  readonly headChanges = new Map<string, Head | null>()
  /** Deltas merged so far. */
  merged = 0
  /** Elements and tombstones merged so far. */
  items = 0

  constructor (private readonly ctx: TxnContext) {}

  /** Reads the records of `keys` in one database call (before merging them). */
  async prefetch (keys: Iterable<string>): Promise<void> {
    const want: string[] = []
    for (const k of keys) {
      // keys certainly not stored are left out: `state` does not read them either
      if (!this.keys.has(k) && !this.loaded.has(k) && this.ctx.maybeStored(k)) {
        this.loaded.set(k, undefined)
        want.push(k)
      }
    }
    if (want.length === 0) return
    if (want.length <= 16) {
      // a few point reads are cheaper synchronous than one thread-pool round trip
      for (const k of want) this.loaded.set(k, this.ctx.store.get(DB.record(k)))
      return
    }
    const values = await this.ctx.store.getMany(want.map(DB.record))
    for (let i = 0; i < want.length; i++) this.loaded.set(want[i], values[i])
  }

  isProcessed (id: string): boolean {
    return this.processed.has(id) || this.ctx.store.isProcessed(id)
  }

  private isHead (id: string): boolean {
    const change = this.headChanges.get(id)
    return change !== undefined ? change !== null : this.ctx.heads.has(id)
  }

  /** The heads as this transaction sees them, sorted by id. */
  currentHeads (): Array<[string, Head]> {
    const out: Array<[string, Head]> = []
    for (const [id, h] of this.ctx.heads.list()) if (this.headChanges.get(id) !== null) out.push([id, h])
    for (const [id, h] of this.headChanges) if (h != null && !this.ctx.heads.has(id)) out.push([id, h])
    return out.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
  }

  private state (key: string): KeyState {
    let st = this.keys.get(key)
    if (st != null) return st
    const raw = this.loaded.has(key) ? this.loaded.get(key) : this.ctx.maybeStored(key) ? this.ctx.store.get(DB.record(key)) : undefined
    const entries = raw != null && raw.length > 0 ? decodeRecord(raw) : []
    st = { entries, initialPresent: entries.length > 0, changed: false, dirty: false }
    this.keys.set(key, st)
    return st
  }

  private winnerValue (key: string, st: KeyState): Uint8Array {
    st.value ??= this.ctx.loadValue(st.entries[0].id, key) ?? EMPTY
    return st.value
  }

  /** Keys that merging `node` reads (for `prefetch`). */
  static keysOf (node: { elements: Array<{ key: string }>, tombstones: Array<{ key: string }> }): string[] {
    const out: string[] = []
    for (const e of node.tombstones) out.push(e.key)
    for (const e of node.elements) out.push(e.key)
    return out
  }

  /**
   * Merges one node: its tombstones, then its elements, then the head and processed
   * bookkeeping. Returns false when the node was processed already.
   */
  merge (node: MergeNode): boolean {
    if (this.isProcessed(node.id)) return false
    if (node.block != null) this.ops.push({ type: 'put', key: DB.block(node.id), value: node.block })
    for (const t of node.tombstones) {
      if (isValidKey(t.key) && isValidKey(t.id)) this.tombstone(t.key, t.id)
    }
    const early = this.earlyIds.has(node.id) || this.ctx.store.has(DB.early(node.id))
    for (const e of node.elements) {
      if (!isValidKey(e.key)) {
        this.ctx.log.error('ignoring element with invalid key %s in %s', e.key, node.cid.toString())
        continue
      }
      if (early && this.isTombstoned(e.key, node.id)) continue
      this.element(e, node.id, node.height)
    }
    this.items += node.elements.length + node.tombstones.length
    this.merged++
    this.processed.add(node.id)
    // a node reached from a processed successor is no head any more; this one is,
    // unless something processed already links to it (a local write over an adopted head)
    for (const link of node.linkIds) {
      if (!this.nonHeads.has(link)) {
        this.nonHeads.add(link)
        this.ops.push({ type: 'put', key: DB.nonHead(link), value: MARK })
      }
      if (this.isHead(link)) {
        this.headChanges.set(link, null)
        this.ops.push({ type: 'del', key: DB.head(link) })
      }
    }
    if (!this.nonHeads.has(node.id) && !this.ctx.store.has(DB.nonHead(node.id))) {
      this.headChanges.set(node.id, { cid: node.cid, height: node.height })
      this.ops.push({ type: 'put', key: DB.head(node.id), value: uvarint(node.height) })
    }
    this.markers.push({ type: 'put', key: DB.processed(node.id), value: MARK })
    if (this.ctx.pendingRoots.has(node.id)) this.markers.push({ type: 'del', key: DB.pending(node.id) })
    return true
  }

  private isTombstoned (key: string, id: string): boolean {
    const k = DB.tomb(key, id)
    return this.earlyTombs.has(k) || this.ctx.store.has(k)
  }

  private tombstone (key: string, id: string): void {
    const st = this.state(key)
    const idx = st.entries.findIndex((e) => e.id === id)
    if (idx < 0) {
      // the element is gone already, or not merged yet: remember the tombstone for it
      if (!this.isProcessed(id)) {
        const k = DB.tomb(key, id)
        if (!this.earlyTombs.has(k)) {
          this.earlyTombs.add(k)
          this.earlyIds.add(id)
          this.ops.push({ type: 'put', key: k, value: MARK }, { type: 'put', key: DB.early(id), value: MARK })
        }
      }
      return
    }
    st.entries.splice(idx, 1)
    st.dirty = true
    if (idx === 0) this.recompute(key, st)
  }

  /** Picks the best surviving element after the winner was tombstoned. */
  private recompute (key: string, st: KeyState): void {
    st.changed = true
    st.pin = undefined
    st.value = undefined
    if (st.entries.length === 0) return
    let best = 0
    for (let i = 1; i < st.entries.length; i++) {
      const e = st.entries[i]
      const b = st.entries[best]
      if (e.prio > b.prio) {
        best = i
        st.value = undefined
      } else if (e.prio === b.prio) {
        const bv: Uint8Array = st.value ?? this.ctx.loadValue(b.id, key) ?? EMPTY
        const ev = this.ctx.loadValue(e.id, key) ?? EMPTY
        if (compareBytes(ev, bv) > 0) {
          best = i
          st.value = ev
        } else {
          st.value = bv
        }
      }
    }
    if (best !== 0) st.entries.unshift(...st.entries.splice(best, 1))
  }

  private element (e: MergeElement, id: string, prio: number): void {
    const st = this.state(e.key)
    let idx = st.entries.findIndex((x) => x.id === id)
    if (idx < 0) {
      st.entries.push({ id, prio })
      st.dirty = true
      if (st.entries.length === 1) {
        this.win(st, e)
        return
      }
      idx = st.entries.length - 1
    }
    // idx 0 here is the same key twice in one delta: the greater value wins
    const w = st.entries[0]
    if ((idx > 0 && prio > w.prio) || (prio === w.prio && compareBytes(e.value, this.winnerValue(e.key, st)) > 0)) {
      if (idx > 0) st.entries.unshift(...st.entries.splice(idx, 1))
      this.win(st, e)
    }
  }

  private win (st: KeyState, e: MergeElement): void {
    st.value = e.value
    st.pin = e.pin
    st.changed = true
  }

  /**
   * Builds a local delta from `ops` over the current heads and merges it. A delete
   * tombstones every live element of its key (nothing when it has none); a put
   * after a delete of the same key keeps both; a later put of a key replaces an
   * earlier one. Returns the new block, or undefined when there was nothing to write.
   */
  addLocal (ops: LocalOp[]): Block | undefined {
    const puts = new Map<string, LocalOp & { type: 'put' }>()
    const dels = new Set<string>()
    for (const op of ops) {
      if (op.type === 'put') {
        puts.delete(op.key)
        puts.set(op.key, op)
      } else {
        puts.delete(op.key)
        dels.add(op.key)
      }
    }
    const tombstones: MergeTombstone[] = []
    for (const key of dels) {
      for (const e of this.state(key).entries) tombstones.push({ key, id: e.id })
    }
    if (tombstones.length === 0 && puts.size === 0) return undefined
    const heads = this.currentHeads()
    let priority = 0
    for (const [, h] of heads) if (h.height > priority) priority = h.height
    priority++
    const elements = [...puts.values()]
    const delta = encodeDelta({
      elements: elements.map((e) => ({ key: e.key, id: '', value: e.value })),
      tombstones: tombstones.map((t) => ({ key: t.key, id: t.id, value: EMPTY })),
      priority
    })
    const links = heads.map(([, h]) => h.cid)
    const block = makeNode(delta, links)
    this.merge({
      id: block.id,
      cid: block.cid,
      height: priority,
      links,
      linkIds: heads.map(([id]) => id),
      elements,
      tombstones,
      block: block.bytes
    })
    return block
  }

  /** Keys whose record this transaction read or wrote. */
  touchedKeys (): IterableIterator<string> {
    return this.keys.keys()
  }

  /** Ends the transaction: the database batch, pinset changes and hooks. */
  finish (): TxnResult {
    const pinset: PinsetChange[] = []
    const hooks: Hook[] = []
    for (const [key, st] of this.keys) {
      const present = st.entries.length > 0
      if (st.dirty) {
        this.ops.push(present
          ? { type: 'put', key: DB.record(key), value: encodeRecord(st.entries) }
          : { type: 'del', key: DB.record(key) })
      }
      if (present && st.changed) {
        const v = this.winnerValue(key, st)
        let stored = Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('utf8')
        let pin = st.pin
        if (pin == null) {
          const d = this.decode(key, stored)
          pin = d?.pin
          // a value whose CID text is not its key's is stored re-encoded (listings show that text)
          if (d != null && !d.canonical) stored = encodeStoredPin(d.pin)
        }
        if (pin != null) {
          pinset.push({ pin, stored })
          hooks.push({ type: 'put', pin })
        } else {
          pinset.push({ cid: CID.decode(cidBytesOfKey(key)) })
        }
      } else if (!present && st.initialPresent) {
        const cid = CID.decode(cidBytesOfKey(key))
        pinset.push({ cid })
        hooks.push({ type: 'del', cid })
      }
    }
    return { ops: this.ops.concat(this.markers), pinset, hooks, headChanges: this.headChanges }
  }

  private decode (key: string, text: string): { pin: Pin, canonical: boolean } | undefined {
    try {
      return decodeStoredWithKey(text, cidBytesOfKey(key))
    } catch (err: any) {
      this.ctx.log.error('undecodable value for key %s: %s', key, err.message)
      return undefined
    }
  }
}

