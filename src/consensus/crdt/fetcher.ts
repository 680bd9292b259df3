/**
 * The requesting side of DAG sync: collects the unprocessed part of the DAG below a
 * set of roots. Local blocks are walked first; the blocks still missing are asked for
 * in streaming requests (`{roots: missing, have: our heads}`) that the serving peer
 * answers with every block below, so a long chain costs one request, not one round
 * trip per block. Each received block is hashed and accepted only when it is one we
 * want (a root or a link of an accepted block): the hash links verify it. A request
 * goes first to the peers that announced the roots, then to the others; several run
 * at once when many branches are missing.
 */
import { CID } from 'multiformats/cid'
import { MAX_BLOCK_SIZE, hashBlock, nodeHeight, readNode } from './dag.js'
import { DB, blockId } from './keys.js'
import { encodeFetchRequest } from './proto.js'
import type { CrdtStore, Op } from './store.js'
import type { DagSyncTransport } from './types.js'
import type { Logger } from '@libp2p/interface'

/** Received blocks we already have, in a row, before a stream is dropped as wasted. */
const UNWANTED_RUN = 512
/** Missing blocks per request when splitting across concurrent requests. */
const CHUNK = 64
/** Buffered received blocks are written to the database past this many bytes. */
const FLUSH_BYTES = 8 * 1024 * 1024
const FLUSH_BLOCKS = 2048

/** A collected, unprocessed node. */
export interface CollectedNode {
  cid: CID
  links: CID[]
  linkIds: string[]
  height: number
  size: number
}

export interface FetcherContext {
  store: CrdtStore
  transport?: DagSyncTransport
  /** Peers to ask besides the announcers (self excluded by the caller). */
  peers: () => Promise<string[]>
  /** Our heads, sent as `have`. */
  heads: () => CID[]
  /** Called once a root's block is stored (adopting heads). */
  onRoot: (id: string, cid: CID, height: number) => Promise<void>
  log: Logger
  /** Idle timeout of one request, ms. */
  fetchTimeout: number
  /** Concurrent requests at most. */
  concurrency: number
}

export class Collector {
  readonly nodes = new Map<string, CollectedNode>()
  /** Blocks still missing (id → CID). */
  readonly wanted = new Map<string, CID>()
  /** Blocks received from the network. */
  received = 0
  private readonly buffered = new Map<string, Uint8Array>()
  private bufferedBytes = 0
  private readonly roots = new Set<string>()

  constructor (private readonly ctx: FetcherContext) {}

  /** Collects below `roots`; `announcers` are asked first. Missing blocks stay in `wanted`. */
  async collect (roots: Array<{ id: string, cid: CID }>, announcers: string[], signal: AbortSignal): Promise<void> {
    for (const r of roots) this.roots.add(r.id)
    this.visit(roots.map((r) => [r.id, r.cid]))
    for (const r of roots) {
      const n = this.nodes.get(r.id)
      if (n != null) await this.ctx.onRoot(r.id, n.cid, n.height)
    }
    if (this.wanted.size > 0 && this.ctx.transport != null) await this.fetch(announcers, signal)
    await this.flush()
  }

  /** Walks local blocks from `start`, iteratively (chains are long). */
  private visit (start: Array<[string, CID]>): void {
    const stack = start
    while (stack.length > 0) {
      const [id, cid] = stack.pop() as [string, CID]
      if (this.nodes.has(id) || this.wanted.has(id)) continue
      if (this.ctx.store.isProcessed(id)) continue
      const bytes = this.buffered.get(id) ?? this.ctx.store.block(id)
      if (bytes == null) {
        this.wanted.set(id, cid)
        continue
      }
      let node
      try {
        node = readNode(bytes)
      } catch (err: any) {
        this.ctx.log.error('stored block %s is not a dag node: %s', id, err.message)
        continue
      }
      const linkIds = node.links.map(blockId)
      this.nodes.set(id, { cid, links: node.links, linkIds, height: nodeHeight(node), size: bytes.length })
      for (let i = 0; i < node.links.length; i++) stack.push([linkIds[i], node.links[i]])
    }
  }

  private async flush (): Promise<void> {
    if (this.buffered.size === 0) return
    // swapped out first: concurrent requests keep buffering while this write runs
    const ops: Op[] = []
    for (const [id, bytes] of this.buffered) ops.push({ type: 'put', key: DB.block(id), value: bytes })
    this.buffered.clear()
    this.bufferedBytes = 0
    await this.ctx.store.write(ops)
  }

  /** Request rounds until nothing is missing or no peer makes progress. */
  private async fetch (announcers: string[], signal: AbortSignal): Promise<void> {
    const others = await this.ctx.peers().catch(() => [])
    const candidates = [...new Set([...announcers, ...others])]
    if (candidates.length === 0) return
    let offset = 0
    let fruitless = 0
    while (this.wanted.size > 0 && !signal.aborted && fruitless < candidates.length) {
      const before = this.received
      const missing = [...this.wanted.keys()]
      const streams = Math.max(1, Math.min(this.ctx.concurrency, candidates.length * 8, Math.ceil(missing.length / CHUNK)))
      const per = Math.ceil(missing.length / streams)
      const jobs: Array<Promise<void>> = []
      for (let i = 0; i < streams; i++) {
        const chunk = missing.slice(i * per, (i + 1) * per)
        if (chunk.length === 0) break
        jobs.push(this.stream(candidates[(offset + i) % candidates.length], chunk, signal))
      }
      await Promise.all(jobs)
      if (this.received === before) {
        fruitless++
        offset++
      } else {
        fruitless = 0
      }
    }
  }

  /** One request to `peer` for the blocks below `ids`. */
  private async stream (peer: string, ids: string[], signal: AbortSignal): Promise<void> {
    const transport = this.ctx.transport
    if (transport == null) return
    const roots: Uint8Array[] = []
    for (const id of ids) {
      const cid = this.wanted.get(id)
      if (cid != null) roots.push(cid.bytes)
    }
    if (roots.length === 0) return
    const request = encodeFetchRequest({ roots, have: this.ctx.heads().map((c) => c.bytes), max: 0 })
    const ctrl = new AbortController()
    const onAbort = (): void => { ctrl.abort(signal.reason) }
    signal.addEventListener('abort', onAbort, { once: true })
    let timer: NodeJS.Timeout | undefined
    const arm = (): void => {
      clearTimeout(timer)
      timer = setTimeout(() => { ctrl.abort(new Error(`no block from ${peer} in ${this.ctx.fetchTimeout} ms`)) }, this.ctx.fetchTimeout)
    }
    let unwanted = 0
    try {
      arm()
      for await (const bytes of abortable(transport.request(peer, request, { signal: ctrl.signal }), ctrl.signal)) {
        arm()
        if (bytes.length > MAX_BLOCK_SIZE) continue
        const { cid, id } = hashBlock(bytes)
        if (!this.wanted.has(id)) {
          if (++unwanted > UNWANTED_RUN) break
          continue
        }
        let node
        try {
          node = readNode(bytes)
        } catch (err: any) {
          this.ctx.log.error('peer %s sent a block that is not a dag node: %s', peer, err.message)
          continue
        }
        unwanted = 0
        this.wanted.delete(id)
        this.received++
        this.buffered.set(id, bytes)
        this.bufferedBytes += bytes.length
        const linkIds = node.links.map(blockId)
        const height = nodeHeight(node)
        this.nodes.set(id, { cid, links: node.links, linkIds, height, size: bytes.length })
        const next: Array<[string, CID]> = []
        for (let i = 0; i < node.links.length; i++) next.push([linkIds[i], node.links[i]])
        this.visit(next)
        if (this.roots.has(id)) {
          // a root is stored before it can become a head: peers may ask us for it
          await this.flush()
          await this.ctx.onRoot(id, cid, height)
        }
        if (this.bufferedBytes >= FLUSH_BYTES || this.buffered.size >= FLUSH_BLOCKS) await this.flush()
        if (this.wanted.size === 0) break
      }
    } catch (err: any) {
      if (!signal.aborted) this.ctx.log('fetching from %s: %s', peer, err.message)
    } finally {
      clearTimeout(timer)
      signal.removeEventListener('abort', onAbort)
    }
  }
}

/**
 * Iterates `source` until `signal` aborts, even when the source is stuck in `next()`
 * (a transport that ignores the signal must not hold up a shutdown or a timeout).
 */
async function * abortable<T> (source: AsyncIterable<T>, signal: AbortSignal): AsyncGenerator<T> {
  const it = source[Symbol.asyncIterator]()
  let onAbort: (() => void) | undefined
  const aborted = new Promise<IteratorResult<T>>((resolve) => {
    onAbort = () => { resolve({ done: true, value: undefined }) }
    if (signal.aborted) onAbort()
    else signal.addEventListener('abort', onAbort, { once: true })
  })
  let finished = false
  try {
    while (true) {
      const r = await Promise.race([it.next(), aborted])
      if (r.done === true) {
        finished = !signal.aborted
        return
      }
      yield r.value
    }
  } finally {
    if (onAbort != null) signal.removeEventListener('abort', onAbort)
    // closing a stuck source may never settle: do not wait for it then
    if (!finished) it.return?.(undefined)?.catch(() => {})
  }
}
