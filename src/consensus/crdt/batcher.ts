/**
 * Batching (spec consensus §3.6) with a durable queue: an item is written to a
 * journal in the CRDT database before `add` resolves (concurrent adds share one
 * write), and the commit of a batch deletes the journal entries of its items in the
 * same atomic write that records the delta. Items journaled but not committed when
 * the process dies are committed at the next start (the reference loses them).
 *
 * A batch commits when it holds `maxBatchSize` items, when `maxBatchAge` has passed
 * since its first item, when the next item would take the delta past `maxDeltaSize`,
 * and on shutdown (after draining the queue).
 */
import { decodeStoredPin } from '../../state/codec.js'
import { GroupWriter } from '../../util/group-writer.js'
import { BatchQueueFullError, BatchShutdownError } from './errors.js'
import { DB, JOURNAL_RANGE, cidBytesOfKey } from './keys.js'
import { readUvarint, varintLength, writeVarint } from './proto.js'
import { opSize } from './writer.js'
import type { LocalOp } from './merge.js'
import type { CrdtStore } from './store.js'
import type { Logger } from '@libp2p/interface'

export interface BatcherOptions {
  maxBatchSize: number
  /** ms */
  maxBatchAge: number
  maxQueueSize: number
  maxDeltaSize: number
}

/** Commits ops as one or more deltas and deletes `journal` keys in the same write. */
export type CommitFn = (ops: LocalOp[], journal: string[]) => Promise<void>

interface Item {
  op: LocalOp
  key: string
  size: number
}

const PUT = 1
const DEL = 2

function encodeEntry (op: LocalOp): Uint8Array {
  const value = op.type === 'put' ? op.value : new Uint8Array(0)
  const out = Buffer.allocUnsafe(1 + varintLength(op.key.length) + op.key.length + value.length)
  out[0] = op.type === 'put' ? PUT : DEL
  let pos = writeVarint(out, 1, op.key.length)
  pos += out.write(op.key, pos, 'latin1')
  out.set(value, pos)
  return out
}

function decodeEntry (bytes: Uint8Array): LocalOp {
  const [len, pos] = readUvarint(bytes, 1)
  const key = Buffer.from(bytes.buffer, bytes.byteOffset + pos, len).toString('latin1')
  if (bytes[0] === DEL) return { type: 'del', key }
  const value = bytes.slice(pos + len)
  const pin = decodeStoredPin(Buffer.from(value).toString('utf8'), cidBytesOfKey(key))
  return { type: 'put', key, value, pin }
}

/** A FIFO with O(1) shift. */
class Fifo<T> {
  private items: T[] = []
  private head = 0

  get length (): number {
    return this.items.length - this.head
  }

  push (item: T): void {
    this.items.push(item)
  }

  shift (): T | undefined {
    if (this.head >= this.items.length) return undefined
    const item = this.items[this.head++]
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head)
      this.head = 0
    }
    return item
  }
}

export class Batcher {
  private readonly queue = new Fifo<Item>()
  private inflight = 0
  private seq = 0
  private batch: Item[] = []
  private batchBytes = 0
  private timer: NodeJS.Timeout | undefined
  private timerFired = false
  private wakeUp: (() => void) | undefined
  private closing = false
  private running: Promise<void> | undefined
  private readonly journal: GroupWriter<string, Uint8Array>

  constructor (
    private readonly store: CrdtStore,
    private readonly commitFn: CommitFn,
    private readonly opts: BatcherOptions,
    private readonly log: Logger
  ) {
    this.journal = new GroupWriter<string, Uint8Array>(() => this.store.db)
  }

  /** Items accepted and not yet committed. */
  get size (): number {
    return this.queue.length + this.inflight + this.batch.length
  }

  /**
   * Reads the journal left by the previous run: its items (in order) with their keys.
   * Entries that cannot be decoded are returned for deletion with no op.
   */
  async load (): Promise<Array<{ key: string, op?: LocalOp }>> {
    const out: Array<{ key: string, op?: LocalOp }> = []
    for await (const [key, value] of this.store.entries(JOURNAL_RANGE)) {
      this.seq = Math.max(this.seq, Number(key.slice(1)))
      try {
        out.push({ key, op: decodeEntry(value) })
      } catch (err: any) {
        this.log.error('dropping undecodable batching journal entry %s: %s', key, err.message)
        out.push({ key })
      }
    }
    return out
  }

  /** Starts the batch worker. */
  start (): void {
    this.closing = false
    this.running ??= this.run()
  }

  /** Refuses new items from now on. */
  close (): void {
    this.closing = true
    this.wake()
  }

  /** Refuses new items, commits everything accepted, and ends the worker. */
  async stop (): Promise<void> {
    this.close()
    await this.running
    this.running = undefined
    await this.journal.idle()
  }

  /**
   * Accepts an item: resolves once it is journaled (not yet visible). Throws
   * BatchShutdownError while shutting down, BatchQueueFullError when full.
   */
  async add (op: LocalOp): Promise<void> {
    if (this.closing || this.running == null) throw new BatchShutdownError()
    if (this.queue.length + this.inflight >= this.opts.maxQueueSize) throw new BatchQueueFullError()
    const key = DB.journal(++this.seq)
    this.inflight++
    try {
      await this.journal.put(key, encodeEntry(op))
    } finally {
      this.inflight--
    }
    this.queue.push({ op, key, size: opSize(op) })
    this.wake()
  }

  private wake (): void {
    const w = this.wakeUp
    this.wakeUp = undefined
    w?.()
  }

  private async run (): Promise<void> {
    while (true) {
      if (this.timerFired) {
        await this.commit()
        continue
      }
      const item = this.queue.shift()
      if (item == null) {
        if (this.closing) break
        await new Promise<void>((resolve) => { this.wakeUp = resolve })
        continue
      }
      if (this.batch.length > 0 && this.batchBytes + item.size > this.opts.maxDeltaSize) await this.commit()
      this.batch.push(item)
      this.batchBytes += item.size
      if (this.batch.length === 1) {
        this.timer = setTimeout(() => {
          this.timerFired = true
          this.wake()
        }, this.opts.maxBatchAge)
      }
      if (this.batch.length >= this.opts.maxBatchSize) await this.commit()
    }
    // shutdown: the queue is drained into batches; commit the last one
    await this.commit()
  }

  private async commit (): Promise<void> {
    clearTimeout(this.timer)
    this.timer = undefined
    this.timerFired = false
    const items = this.batch
    this.batch = []
    this.batchBytes = 0
    if (items.length === 0) return
    try {
      await this.commitFn(items.map((i) => i.op), items.map((i) => i.key))
    } catch (err: any) {
      // the journal keeps the items: they are committed at the next start
      this.log.error('committing a batch of %d items: %s', items.length, err.message)
    }
  }
}
