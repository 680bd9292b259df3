/**
 * Processing of announced heads (spec consensus §3.3). Every announced root not yet
 * processed is recorded under `q<id>` (so a crash resumes it) and handled by one
 * worker: it collects the unprocessed DAG below all queued roots (fetching what is
 * missing), then merges it bottom-up, children before parents, in transactions. A
 * node is marked processed only once everything below it is, so a walk may stop at
 * the first processed node, and an interrupted sync leaves unprocessed nodes above
 * processed ones, never the reverse. Roots that cannot be completed stay queued as
 * failed (the store is marked dirty); a new announcement or the repair retries them.
 */
import { Collector } from './fetcher.js'
import { DB, blockId, cidOfBlockId, range } from './keys.js'
import { uvarint } from './proto.js'
import type { Applier } from './applier.js'
import type { FetcherContext } from './fetcher.js'
import type { Heads } from './heads.js'
import type { CrdtStore } from './store.js'
import type { CID } from 'multiformats/cid'
import type { Logger } from '@libp2p/interface'

/** Nodes merged per transaction at most. */
const TXN_NODES = 1000
/** Block bytes merged per transaction at most (past one node). */
const TXN_BYTES = 8 * 1024 * 1024

interface Root {
  cid: CID
  from: Set<string>
  state: 'queued' | 'running' | 'failed'
}

export interface SyncContext {
  store: CrdtStore
  heads: Heads
  applier: Applier
  fetch: Pick<FetcherContext, 'transport' | 'peers' | 'log' | 'fetchTimeout' | 'concurrency'>
  /** Marks the store dirty (a root could not be completed or was abandoned). */
  markDirty: () => Promise<void>
  log: Logger
}

export class SyncQueue {
  private readonly roots = new Map<string, Root>()
  private wakeUp: (() => void) | undefined
  private idleWaiters: Array<() => void> = []
  private busy = false

  constructor (private readonly ctx: SyncContext) {}

  /** True while `id` is an announced root not yet processed. */
  has (id: string): boolean {
    return this.roots.has(id)
  }

  /** Roots waiting or being processed. */
  get queued (): number {
    let n = 0
    for (const r of this.roots.values()) if (r.state !== 'failed') n++
    return n
  }

  get failed (): number {
    return this.roots.size - this.queued
  }

  /** Loads the roots left by the previous run. */
  async load (): Promise<void> {
    this.roots.clear()
    for await (const [key, value] of this.ctx.store.entries(range('q'))) {
      const id = key.slice(1)
      const from = Buffer.from(value).toString('utf8')
      this.roots.set(id, { cid: cidOfBlockId(id), from: new Set(from !== '' ? [from] : []), state: 'queued' })
    }
  }

  clear (): void {
    this.roots.clear()
  }

  /** Queues an announced head (no-op when processed already). */
  async enqueue (cid: CID, from?: string): Promise<void> {
    const id = blockId(cid)
    const known = this.roots.get(id)
    if (known != null) {
      if (from != null) known.from.add(from)
      if (known.state === 'failed') known.state = 'queued'
      this.wake()
      return
    }
    if (this.ctx.store.isProcessed(id)) return
    this.roots.set(id, { cid, from: new Set(from != null ? [from] : []), state: 'queued' })
    await this.ctx.store.put(DB.pending(id), Buffer.from(from ?? ''))
    this.wake()
  }

  /** Queues the failed roots again. */
  retryFailed (): void {
    for (const r of this.roots.values()) if (r.state === 'failed') r.state = 'queued'
    this.wake()
  }

  private wake (): void {
    const w = this.wakeUp
    this.wakeUp = undefined
    w?.()
  }

  /** Resolves when nothing is queued or running (failed roots may remain). */
  async idle (signal?: AbortSignal): Promise<void> {
    while (this.busy || this.queued > 0) {
      signal?.throwIfAborted()
      await new Promise<void>((resolve) => {
        this.idleWaiters.push(resolve)
        signal?.addEventListener('abort', () => { resolve() }, { once: true })
      })
    }
  }

  /** The worker: runs until `signal` aborts. */
  async run (signal: AbortSignal): Promise<void> {
    const onAbort = (): void => { this.wake() }
    signal.addEventListener('abort', onAbort, { once: true })
    try {
      while (!signal.aborted) {
        const batch = [...this.roots].filter(([, r]) => r.state === 'queued')
        if (batch.length === 0) {
          this.busy = false
          for (const w of this.idleWaiters.splice(0)) w()
          await new Promise<void>((resolve) => { this.wakeUp = resolve })
          continue
        }
        this.busy = true
        for (const [, r] of batch) r.state = 'running'
        try {
          await this.job(batch, signal)
        } catch (err: any) {
          if (!signal.aborted) this.ctx.log.error('processing heads: %s', err.message)
          for (const [, r] of batch) if (r.state === 'running') r.state = signal.aborted ? 'queued' : 'failed'
          await this.ctx.markDirty().catch(() => {})
        }
      }
    } finally {
      signal.removeEventListener('abort', onAbort)
      this.busy = false
      for (const w of this.idleWaiters.splice(0)) w()
    }
  }

  private async job (batch: Array<[string, Root]>, signal: AbortSignal): Promise<void> {
    const announcers = new Set<string>()
    for (const [, r] of batch) for (const f of r.from) announcers.add(f)
    const collector = new Collector({
      ...this.ctx.fetch,
      store: this.ctx.store,
      // an adopted head is not processed yet: what lies below it may still be missing
      heads: () => this.ctx.heads.list().filter(([id]) => this.ctx.store.isProcessed(id)).map(([, h]) => h.cid),
      onRoot: async (id, cid, height) => { await this.adopt(id, cid, height) }
    })
    const started = Date.now()
    await collector.collect(batch.map(([id, r]) => ({ id, cid: r.cid })), [...announcers], signal)
    if (collector.received > 0) this.ctx.log('fetched %d blocks in %d ms', collector.received, Date.now() - started)
    await this.merge(collector, signal)
    let failed = false
    for (const [id, r] of batch) {
      if (this.ctx.store.isProcessed(id)) {
        this.roots.delete(id)
        // the merge deleted it unless the root was processed before the job
        await this.ctx.store.del(DB.pending(id))
      } else {
        r.state = signal.aborted ? 'queued' : 'failed'
        failed = true
      }
    }
    if (failed) {
      if (!signal.aborted && collector.wanted.size > 0) this.ctx.log.error('%d DAG blocks could not be fetched; will retry', collector.wanted.size)
      await this.ctx.markDirty()
    }
  }

  /** Spec: a peer with no heads adopts the announced ones at once, so its writes build on them. */
  private async adopt (id: string, cid: CID, height: number): Promise<void> {
    if (this.ctx.heads.size > 0) return
    await this.ctx.applier.lock.run(async () => {
      if (this.ctx.heads.size > 0 || this.ctx.store.isProcessed(id)) return
      await this.ctx.store.put(DB.head(id), uvarint(height))
      this.ctx.heads.apply(new Map([[id, { cid, height }]]))
    })
  }

  /** Merges the collected nodes children-first (Kahn's order); nodes above a missing block wait. */
  private async merge (collector: Collector, signal: AbortSignal): Promise<void> {
    const { nodes, wanted } = collector
    const waiting = new Map<string, number>()
    const parents = new Map<string, string[]>()
    const ready: string[] = []
    for (const [id, n] of nodes) {
      let count = 0
      let blocked = false
      for (const l of n.linkIds) {
        if (nodes.has(l)) {
          count++
          const p = parents.get(l)
          if (p == null) parents.set(l, [id])
          else p.push(id)
        } else if (wanted.has(l)) {
          blocked = true
        }
      }
      waiting.set(id, blocked ? Infinity : count)
      if (!blocked && count === 0) ready.push(id)
    }
    let next = 0
    while (next < ready.length && !signal.aborted) {
      // a node taken releases its parents into the same transaction: it merges in order
      const ids: string[] = []
      let bytes = 0
      while (next < ready.length && ids.length < TXN_NODES && (ids.length === 0 || bytes < TXN_BYTES)) {
        const id = ready[next++]
        ids.push(id)
        bytes += nodes.get(id)?.size ?? 0
        for (const p of parents.get(id) ?? []) {
          const left = (waiting.get(p) ?? 0) - 1
          waiting.set(p, left)
          if (left === 0) ready.push(p)
        }
      }
      await this.ctx.applier.lock.run(async () => await this.ctx.applier.mergeStored(ids))
    }
  }
}
