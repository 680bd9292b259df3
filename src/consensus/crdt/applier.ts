/**
 * Runs merge transactions one at a time and commits them: the pinset first, then the
 * CRDT batch holding the metadata and, last, the processed markers. A crash between
 * the two writes leaves the deltas unprocessed, so they are merged again on restart
 * and write the same pinset values (merging is idempotent). Hooks (tracker calls) run
 * after the commit, in commit order; their errors are logged and undo nothing.
 */
import { decodeDelta } from './proto.js'
import { readNode } from './dag.js'
import { blockId as blockIdOf, cidOfBlockId as cidOfId } from './keys.js'
import { MergeTxn } from './merge.js'
import { KeyFilter, Mutex } from './util.js'
import type { Heads } from './heads.js'
import type { Hook, MergeNode, TxnContext } from './merge.js'
import type { Delta } from './proto.js'
import type { CrdtStore, Op } from './store.js'
import type { PinTracker } from '../../interface/pin-tracker.js'
import type { PinsetStore } from '../../state/types.js'
import type { Logger } from '@libp2p/interface'

const DELTA_CACHE = 8
const NO_BATCH_LIMIT = Number.MAX_SAFE_INTEGER

export interface ApplierContext {
  store: CrdtStore
  heads: Heads
  state: PinsetStore
  tracker: () => PinTracker | undefined
  pendingRoots: { has: (id: string) => boolean }
  log: Logger
}

export class Applier {
  /** Serialises transactions (local writes and remote merges). */
  readonly lock = new Mutex()
  private hookChain: Promise<void> = Promise.resolve()
  private readonly deltas = new Map<string, Delta>()
  /** Keys written since the store was empty (absent when it was not empty at start). */
  private written: KeyFilter | undefined

  constructor (private readonly ctx: ApplierContext) {}

  /**
   * Call with a store that holds no key record: reads of keys not written since are
   * skipped (a bulk import into an empty store then reads nothing).
   */
  storeIsEmpty (): void {
    this.written = new KeyFilter()
  }

  /** A new transaction; use it inside `lock.run`. */
  newTxn (): MergeTxn {
    const txn: TxnContext = {
      store: this.ctx.store,
      heads: this.ctx.heads,
      pendingRoots: this.ctx.pendingRoots,
      loadValue: (id, key) => this.loadValue(id, key),
      maybeStored: (key) => this.written?.has(key) ?? true,
      log: this.ctx.log
    }
    return new MergeTxn(txn)
  }

  /** The decoded delta of a stored block (a few are cached: ties read the same blocks). */
  private delta (id: string): Delta | undefined {
    let d = this.deltas.get(id)
    if (d != null) return d
    const bytes = this.ctx.store.block(id)
    if (bytes == null) return undefined
    try {
      d = decodeDelta(readNode(bytes).data)
    } catch {
      return undefined
    }
    if (this.deltas.size >= DELTA_CACHE) this.deltas.delete(this.deltas.keys().next().value as string)
    this.deltas.set(id, d)
    return d
  }

  /** The greatest value of `key` in the delta of block `id`. */
  private loadValue (id: string, key: string): Uint8Array | undefined {
    let best: Uint8Array | undefined
    for (const e of this.delta(id)?.elements ?? []) {
      if (e.key === key && (best == null || Buffer.compare(e.value, best) > 0)) best = e.value
    }
    return best
  }

  /**
   * Reads, decodes and merges stored blocks `ids` in one transaction (call inside
   * `lock.run`). An undecodable delta is merged as empty (logged) so that the DAG
   * above it is not blocked forever. Returns the hooks' completion (wrapped).
   */
  async mergeStored (ids: string[]): Promise<{ hooks: Promise<void> }> {
    const txn = this.newTxn()
    const nodes: MergeNode[] = []
    const keys: string[] = []
    for (const id of ids) {
      if (txn.isProcessed(id)) continue
      const bytes = this.ctx.store.block(id)
      if (bytes == null) continue
      const node = readNode(bytes)
      let delta: Delta
      try {
        delta = decodeDelta(node.data)
      } catch (err: any) {
        this.ctx.log.error('undecodable delta in block %s: %s', id, err.message)
        delta = { elements: [], tombstones: [], priority: 0 }
      }
      const linkIds = node.links.map((l) => blockIdOf(l))
      const cid = cidOfId(id)
      nodes.push({ id, cid, height: delta.priority, links: node.links, linkIds, elements: delta.elements, tombstones: delta.tombstones })
      keys.push(...MergeTxn.keysOf(delta))
    }
    await txn.prefetch(keys)
    for (const n of nodes) txn.merge(n)
    return await this.commit(txn)
  }

  /**
   * Commits a transaction (inside `lock.run`); `extra` joins the CRDT batch. Returns the
   * hooks' completion, wrapped: awaiting it inside the lock would hold the lock for them.
   */
  async commit (txn: MergeTxn, extra: Op[] = []): Promise<{ hooks: Promise<void> }> {
    const result = txn.finish()
    if (this.written != null) for (const key of txn.touchedKeys()) this.written.add(key)
    if (result.pinset.length > 0) {
      const batch = this.ctx.state.batch({ size: NO_BATCH_LIMIT })
      for (const c of result.pinset) {
        if (c.pin != null) await batch.addStored(c.pin.cid.bytes, c.stored)
        else await batch.rm(c.cid)
      }
      await batch.commit()
    }
    await this.ctx.store.write(extra.length > 0 ? [...extra, ...result.ops] : result.ops)
    this.ctx.heads.apply(result.headChanges)
    return { hooks: this.runHooks(result.hooks) }
  }

  private runHooks (hooks: Hook[]): Promise<void> {
    if (hooks.length === 0) return this.hookChain
    this.hookChain = this.hookChain.then(async () => {
      const tracker = this.ctx.tracker()
      if (tracker == null) return
      let failed = 0
      let first: Error | undefined
      for (const h of hooks) {
        try {
          if (h.type === 'put') await tracker.track(h.pin)
          else await tracker.untrack(h.cid)
        } catch (err: any) {
          failed++
          first ??= err
        }
      }
      // one line per transaction: a full tracker queue would otherwise log once per pin
      if (first != null) this.ctx.log.error('%d tracker calls failed after a merge; first: %s', failed, first.message)
    })
    return this.hookChain
  }

  /** Resolves once every hook queued so far has run. */
  async hooksIdle (): Promise<void> {
    await this.hookChain
  }
}
