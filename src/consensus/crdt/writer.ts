/**
 * Local writes: each becomes part of a delta over the current heads, merged at once
 * (visible when the call resolves) and announced. Unbatched writes that wait for the
 * lock together share one delta; a bulk import fills 1 MiB deltas and commits one
 * transaction while it encodes the pins of the next.
 */
import { encodeStoredPin } from '../../state/codec.js'
import { pinKey } from './keys.js'
import { elementSize } from './proto.js'
import type { Applier } from './applier.js'
import type { LocalOp } from './merge.js'
import type { AbortOptions } from '../../interface/startable.js'
import type { Pin } from '../../interface/types.js'

/** Full deltas per transaction of a bulk import. */
const IMPORT_TXN_DELTAS = 2
/** Grouped unbatched writes per transaction at most. */
const GROUP_OPS = 20_000
// a delete's tombstones are unknown until commit: count one of an id's length
const TOMBSTONE_ID = '/' + 'A'.repeat(55)

export interface WriterContext {
  applier: Applier
  maxDeltaSize: number
  /** Broadcasts the heads. */
  announce: () => Promise<void>
}

interface Waiter {
  op: LocalOp
  size: number
  resolve: () => void
  reject: (err: Error) => void
}

/** Estimated delta bytes of an op. */
export function opSize (op: LocalOp): number {
  return elementSize(op.key, op.type === 'del' ? TOMBSTONE_ID : '', op.type === 'put' ? op.value : undefined)
}

/** Splits ops into runs of at most `max` estimated delta bytes (at least one op each). */
function * chunks (ops: LocalOp[], max: number): Generator<LocalOp[]> {
  let start = 0
  let bytes = 0
  for (let i = 0; i < ops.length; i++) {
    const s = opSize(ops[i])
    if (i > start && bytes + s > max) {
      yield ops.slice(start, i)
      start = i
      bytes = 0
    }
    bytes += s
  }
  if (start < ops.length) yield ops.slice(start)
}

export class LocalWriter {
  private queue: Waiter[] = []
  private draining: Promise<void> | undefined

  constructor (private readonly ctx: WriterContext) {}

  /** Commits `op` (grouped with the writes waiting alongside). Resolves once it is visible. */
  async submit (op: LocalOp): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.queue.push({ op, size: opSize(op), resolve, reject })
      this.draining ??= this.drain()
    })
  }

  /** Resolves once the submitted writes are done. */
  async idle (): Promise<void> {
    await this.draining
  }

  private async drain (): Promise<void> {
    try {
      while (this.queue.length > 0) {
        let bytes = 0
        let n = 0
        while (n < this.queue.length && n < GROUP_OPS && (n === 0 || bytes + this.queue[n].size <= this.ctx.maxDeltaSize)) {
          bytes += this.queue[n].size
          n++
        }
        const group = this.queue.splice(0, n)
        try {
          await this.commit(group.map((w) => w.op))
          for (const w of group) w.resolve()
        } catch (err: any) {
          for (const w of group) w.reject(err)
        }
      }
    } finally {
      this.draining = undefined
    }
  }

  /**
   * Commits ops as deltas (≤ maxDeltaSize each) in one transaction, deleting the
   * `journal` keys in the same write; then announces the heads (unless `announce` is
   * false) and waits for the hooks.
   */
  async commit (ops: LocalOp[], journal: string[] = [], opts: { announce?: boolean } = {}): Promise<void> {
    const applier = this.ctx.applier
    let made = 0
    const { hooks } = await applier.lock.run(async () => {
      const txn = applier.newTxn()
      await txn.prefetch(ops.map((o) => o.key))
      for (const chunk of chunks(ops, this.ctx.maxDeltaSize)) {
        if (txn.addLocal(chunk) != null) made++
      }
      return await applier.commit(txn, journal.map((key) => ({ type: 'del', key })))
    })
    if (made > 0 && opts.announce !== false) await this.ctx.announce()
    await hooks
  }

  /** Bulk import (see `CrdtConsensus.importPins`). Resolves with the number of pins read. */
  async importPins (pins: AsyncIterable<Pin> | Iterable<Pin>, options: AbortOptions = {}): Promise<number> {
    const applier = this.ctx.applier
    let count = 0
    let delta: LocalOp[] = []
    let bytes = 0
    let deltas: LocalOp[][] = []
    let inflight: Promise<void> = Promise.resolve()
    const flush = (): void => {
      const batch = deltas
      deltas = []
      inflight = inflight.then(async () => {
        await applier.lock.run(async () => {
          const txn = applier.newTxn()
          await txn.prefetch(batch.flatMap((d) => d.map((o) => o.key)))
          for (const d of batch) txn.addLocal(d)
          // hooks are not awaited: offline there is no tracker; online it catches up
          await applier.commit(txn)
        })
      })
      inflight.catch(() => {})
    }
    try {
      for await (const pin of pins) {
        options.signal?.throwIfAborted()
        const op: LocalOp = { type: 'put', key: pinKey(pin.cid), value: Buffer.from(encodeStoredPin(pin), 'utf8'), pin }
        const size = opSize(op)
        if (delta.length > 0 && bytes + size > this.ctx.maxDeltaSize) {
          deltas.push(delta)
          delta = []
          bytes = 0
          if (deltas.length === IMPORT_TXN_DELTAS) {
            // the previous transaction must be in before the next one starts
            await inflight
            flush()
          }
        }
        delta.push(op)
        bytes += size
        count++
      }
      if (delta.length > 0) deltas.push(delta)
      if (deltas.length > 0) flush()
    } finally {
      await inflight
    }
    if (count > 0) await this.ctx.announce()
    return count
  }
}
