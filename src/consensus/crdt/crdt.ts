/**
 * The CRDT consensus component: lifecycle, writes (direct, batched, bulk), heads
 * announcements, the repair and rebroadcast loops, peers and trust.
 */
import { CID } from 'multiformats/cid'
import { peerIdFromString } from '@libp2p/peer-id'
import { encodeStoredPin } from '../../state/codec.js'
import { Applier } from './applier.js'
import { Batcher } from './batcher.js'
import { serveFetch } from './dag-service.js'
import { CrdtNotStartedError, RemovePeerUnsupportedError } from './errors.js'
import { Heads } from './heads.js'
import { DB, blockId, pinKey, range } from './keys.js'
import { decodeBroadcast, encodeBroadcast } from './proto.js'
import { CrdtStore } from './store.js'
import { SyncQueue } from './sync.js'
import { crdtTopic } from './topic.js'
import { jitter, sleep } from './util.js'
import { LocalWriter } from './writer.js'
import type { CrdtConsensusComponents, CrdtConsensusInit } from './index.js'
import type { LocalOp } from './merge.js'
import type { BroadcastMessage, CrdtConsensus, CrdtStats } from './types.js'
import type { AbortOptions } from '../../interface/startable.js'
import type { ReadOnlyState } from '../../interface/state.js'
import type { PeerIdString, Pin } from '../../interface/types.js'
import type { Logger } from '@libp2p/interface'

const MiB = 1024 * 1024
const STATS_INTERVAL = 5 * 60_000
/** When our heads are announced after a peer joined through us (ms after its PeerAdd, then after that). */
const JOIN_ANNOUNCE_DELAYS = [1_000, 4_000]
/** Journal items committed per transaction at start. */
const REPLAY_TXN_OPS = 20_000

/**
 * Merkle-CRDT consensus (go-ds-crdt as used by ipfs-cluster, spec consensus §1–§3):
 * writes become deltas in DAG nodes linked to the current heads, heads are broadcast
 * on pubsub, missing nodes are fetched from peers and merged with add-wins rules.
 */
export class CrdtConsensusImpl implements CrdtConsensus {
  readonly topic: string
  private readonly log: Logger
  private readonly store: CrdtStore
  private readonly heads = new Heads()
  private readonly applier: Applier
  private readonly sync: SyncQueue
  private readonly batcher: Batcher | undefined
  private readonly trusted: Set<string>
  private readonly trustAll: boolean
  private readonly maxDeltaSize: number
  private readonly rebroadcastInterval: number
  private readonly repairInterval: number
  private started = false
  private readyResolve!: () => void
  private readonly whenReady: Promise<void>
  private loops: AbortController | undefined
  private workers: Array<Promise<void>> = []
  private unsubscribe: (() => void) | undefined
  private dirty = false
  /** Heads announced by others since the last rebroadcast. */
  private seen = new Set<string>()
  /** Heads announcements for a joining peer (see `addPeer`). */
  private joinAnnounce: Promise<void> | undefined
  private replayed = false
  private readonly writer: LocalWriter

  constructor (private readonly components: CrdtConsensusComponents, init: CrdtConsensusInit) {
    this.log = components.logger.forComponent('cluster:crdt')
    this.topic = crdtTopic(init.clusterName ?? 'ipfs-cluster')
    this.store = new CrdtStore(init.path)
    this.trustAll = init.trustAll ?? true
    this.trusted = new Set(init.trustedPeers ?? [])
    this.maxDeltaSize = init.maxDeltaSize ?? MiB
    this.rebroadcastInterval = init.rebroadcastInterval ?? 60_000
    this.repairInterval = init.repairInterval ?? 3_600_000
    this.whenReady = new Promise((resolve) => { this.readyResolve = resolve })
    const roots = { has: (id: string) => this.sync.has(id) }
    this.applier = new Applier({
      store: this.store,
      heads: this.heads,
      state: components.state,
      tracker: () => components.tracker?.(),
      pendingRoots: roots,
      log: this.log
    })
    this.sync = new SyncQueue({
      store: this.store,
      heads: this.heads,
      applier: this.applier,
      fetch: {
        transport: components.dagSync,
        peers: async () => (await this.peers()).filter((p) => p !== components.peerId),
        log: this.log,
        fetchTimeout: init.fetchTimeout ?? 120_000,
        concurrency: init.fetchConcurrency ?? 50
      },
      markDirty: async () => { await this.setDirty(true) },
      log: this.log
    })
    this.writer = new LocalWriter({
      applier: this.applier,
      maxDeltaSize: this.maxDeltaSize,
      announce: async () => { await this.broadcastHeads() }
    })
    const b = init.batching
    if (b != null && b.maxBatchSize > 0 && b.maxBatchAge > 0) {
      this.batcher = new Batcher(this.store, async (ops, journal) => { await this.writer.commit(ops, journal) }, {
        maxBatchSize: b.maxBatchSize,
        maxBatchAge: b.maxBatchAge,
        maxQueueSize: b.maxQueueSize > 0 ? b.maxQueueSize : 50_000,
        maxDeltaSize: this.maxDeltaSize
      }, this.log)
    }
  }

  private get online (): boolean {
    return this.components.broadcaster != null
  }

  // ---- lifecycle ----

  async start (): Promise<void> {
    if (this.started) return
    await this.store.open()
    try {
      await this.heads.load(this.store)
      if (await this.store.isEmpty(range('k'))) this.applier.storeIsEmpty()
      await this.sync.load()
      this.dirty = this.store.has(DB.dirty)
      if (this.batcher != null) {
        // acknowledged items of a previous run that never reached a delta
        const left = await this.batcher.load()
        for (let i = 0; i < left.length; i += REPLAY_TXN_OPS) {
          const part = left.slice(i, i + REPLAY_TXN_OPS)
          // announced from afterStart, once the network is up
          await this.writer.commit(part.flatMap((e) => (e.op != null ? [e.op] : [])), part.map((e) => e.key), { announce: false })
        }
        if (left.length > 0) {
          this.log('committed %d batched items left by the previous run', left.length)
          this.replayed = true
        }
        this.batcher.start()
      }
      this.loops = new AbortController()
      this.unsubscribe = this.components.broadcaster?.subscribe((m) => { this.onMessage(m) })
    } catch (err) {
      await this.store.close()
      throw err
    }
    this.started = true
    this.readyResolve()
  }

  async afterStart (): Promise<void> {
    const signal = this.loops?.signal
    if (signal == null || this.workers.length > 0) return
    this.workers.push(this.sync.run(signal))
    if (this.online) this.workers.push(this.rebroadcastLoop(signal))
    this.workers.push(this.repairLoop(signal))
    this.workers.push(this.statsLoop(signal))
    if (this.replayed) await this.broadcastHeads()
  }

  beforeStop (): void {
    this.batcher?.close()
  }

  async stop (): Promise<void> {
    if (!this.started) return
    this.started = false
    const errors: Error[] = []
    const attempt = async (fn: () => Promise<unknown>): Promise<void> => {
      try {
        await fn()
      } catch (err: any) {
        errors.push(err)
      }
    }
    await attempt(async () => { await this.batcher?.stop() })
    await attempt(async () => { await this.writer.idle() })
    this.unsubscribe?.()
    this.unsubscribe = undefined
    this.loops?.abort()
    await attempt(async () => { await Promise.all(this.workers) })
    this.workers = []
    // roots left unprocessed were abandoned: the repair at next start resumes them
    if (this.sync.queued > 0) await attempt(async () => { await this.setDirty(true) })
    await attempt(async () => { await this.applier.lock.run(async () => {}) })
    await attempt(async () => { await this.applier.hooksIdle() })
    await attempt(async () => { await this.store.close() })
    if (errors.length > 0) throw new AggregateError(errors, errors.map((e) => e.message).join('; '))
  }

  async ready (options: AbortOptions = {}): Promise<void> {
    const signal = options.signal
    if (signal == null) return await this.whenReady
    signal.throwIfAborted()
    await Promise.race([this.whenReady, new Promise<void>((resolve, reject) => {
      signal.addEventListener('abort', () => { reject(signal.reason) }, { once: true })
    })])
  }

  // ---- writes ----

  async logPin (pin: Pin, options: AbortOptions = {}): Promise<void> {
    options.signal?.throwIfAborted()
    const value = Buffer.from(encodeStoredPin(pin), 'utf8')
    await this.write({ type: 'put', key: pinKey(pin.cid), value, pin })
  }

  async logUnpin (pin: Pin, options: AbortOptions = {}): Promise<void> {
    options.signal?.throwIfAborted()
    await this.write({ type: 'del', key: pinKey(pin.cid) })
  }

  private async write (op: LocalOp): Promise<void> {
    if (this.batcher != null) {
      await this.batcher.add(op)
      return
    }
    if (!this.started) throw new CrdtNotStartedError()
    await this.writer.submit(op)
  }

  async importPins (pins: AsyncIterable<Pin> | Iterable<Pin>, options: AbortOptions = {}): Promise<number> {
    if (!this.started) throw new CrdtNotStartedError()
    return await this.writer.importPins(pins, options)
  }

  // ---- network ----

  private onMessage (msg: BroadcastMessage): void {
    if (!this.started || msg.from === this.components.peerId) return
    if (!this.isTrustedPeer(msg.from)) {
      this.log('dropping broadcast from untrusted peer %s', msg.from)
      return
    }
    let heads: CID[] = []
    try {
      heads = decodeBroadcast(msg.data).map((b) => CID.decode(b))
    } catch {}
    if (heads.length === 0) {
      // legacy payload: a bare CID
      try {
        heads = [CID.decode(msg.data)]
      } catch {
        this.log.error('undecodable broadcast from %s', msg.from)
        return
      }
    }
    for (const cid of heads) {
      this.seen.add(blockId(cid))
      this.sync.enqueue(cid, msg.from).catch((err) => { this.log.error('queueing head %s: %s', cid.toString(), err.message) })
    }
  }

  private async broadcastHeads (only?: Set<string>): Promise<void> {
    const b = this.components.broadcaster
    if (b == null) return
    const heads = this.heads.list().filter(([id]) => only == null || only.has(id))
    if (heads.length === 0) return
    try {
      await b.publish(encodeBroadcast(heads.map(([, h]) => h.cid.bytes)))
    } catch (err: any) {
      this.log.error('broadcasting heads: %s', err.message)
    }
  }

  /** Re-announces our heads that nobody else announced since the last time. */
  private async rebroadcastLoop (signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      await sleep(jitter(this.rebroadcastInterval), signal)
      if (signal.aborted) return
      const mine = new Set(this.heads.list().map(([id]) => id).filter((id) => !this.seen.has(id)))
      this.seen = new Set()
      if (mine.size > 0) await this.broadcastHeads(mine)
    }
  }

  private async repairLoop (signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      await this.repair(signal).catch((err) => { if (!signal.aborted) this.log.error('repair: %s', err.message) })
      if (this.repairInterval <= 0) return
      await sleep(this.repairInterval, signal)
    }
  }

  /** Spec "repair": when dirty, resumes every unprocessed root and head; clears the flag on success. */
  private async repair (signal: AbortSignal): Promise<void> {
    if (!this.dirty && this.sync.queued === 0) return
    this.log('repairing the crdt DAG')
    for (const [id, h] of this.heads.list()) {
      if (!this.store.isProcessed(id)) await this.sync.enqueue(h.cid)
    }
    this.sync.retryFailed()
    await this.sync.idle(signal)
    if (!signal.aborted && this.sync.failed === 0 && this.sync.queued === 0) await this.setDirty(false)
  }

  private async statsLoop (signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      await sleep(STATS_INTERVAL, signal)
      if (signal.aborted) return
      const s = this.stats()
      this.log('heads: %d, max height: %d, queued jobs: %d, dirty: %s', s.heads, s.maxHeight, s.queuedJobs, s.dirty)
    }
  }

  private async setDirty (dirty: boolean): Promise<void> {
    if (this.dirty === dirty || !this.store.isOpen) return
    this.dirty = dirty
    if (dirty) await this.store.put(DB.dirty)
    else await this.store.del(DB.dirty)
  }

  serveFetch (request: Uint8Array, options: AbortOptions = {}): AsyncGenerator<Uint8Array> {
    return serveFetch(this.store, request, options)
  }

  async idle (options: AbortOptions = {}): Promise<void> {
    await this.sync.idle(options.signal)
    await this.applier.hooksIdle()
  }

  stats (): CrdtStats {
    return {
      heads: this.heads.size,
      maxHeight: this.heads.maxHeight(),
      queuedJobs: this.sync.queued,
      dirty: this.dirty,
      batchQueue: this.batcher?.size ?? 0
    }
  }

  // ---- peers and trust ----

  /**
   * The peerset is implicit (spec consensus §7.2). A peer calls this (RPC `PeerAdd`) when it
   * joins through us: it has no heads yet, and would wait for our next rebroadcast (up to
   * `rebroadcast_interval`, 1 min by default) before fetching the DAG. So our heads are
   * announced soon (twice: its pubsub subscription may take a moment to reach us).
   */
  async addPeer (): Promise<void> {
    if (!this.online || this.joinAnnounce != null) return
    const signal = this.loops?.signal
    this.joinAnnounce = (async () => {
      for (const ms of JOIN_ANNOUNCE_DELAYS) {
        await sleep(ms, signal)
        if (signal?.aborted !== false) return
        await this.broadcastHeads()
      }
    })().catch(() => {}).finally(() => { this.joinAnnounce = undefined })
  }

  async rmPeer (): Promise<void> {
    throw new RemovePeerUnsupportedError()
  }

  async peers (options: AbortOptions = {}): Promise<PeerIdString[]> {
    const self = this.components.peerId
    const others = (await this.components.peers?.(options)) ?? []
    return sortPeers([...new Set([self, ...others])])
  }

  isTrustedPeer (peer: PeerIdString): boolean {
    return peer === this.components.peerId || this.trustAll || this.trusted.has(peer)
  }

  trust (peer: PeerIdString): void {
    this.trusted.add(peer)
  }

  distrust (peer: PeerIdString): void {
    this.trusted.delete(peer)
  }

  // ---- state ----

  async state (options: AbortOptions = {}): Promise<ReadOnlyState> {
    await this.ready(options)
    return this.components.state
  }

  async clean (options: AbortOptions = {}): Promise<void> {
    options.signal?.throwIfAborted()
    const opened = !this.store.isOpen
    if (opened) await this.store.open()
    try {
      await this.applier.lock.run(async () => {
        await this.store.clear()
        this.applier.storeIsEmpty()
        this.heads.clear()
        this.sync.clear()
        this.dirty = false
        await this.components.state.clean(options)
      })
    } finally {
      if (opened) await this.store.close()
    }
  }
}

/** Peer IDs sorted by their raw bytes (spec consensus §1); unparsable ones last, by text. */
function sortPeers (peers: string[]): string[] {
  const keyed = peers.map((p) => {
    try {
      return { p, k: Buffer.from(peerIdFromString(p).toMultihash().bytes) }
    } catch {
      return { p, k: undefined }
    }
  })
  keyed.sort((a, b) => {
    if (a.k != null && b.k != null) return Buffer.compare(a.k, b.k)
    if (a.k != null) return -1
    if (b.k != null) return 1
    return a.p < b.p ? -1 : a.p > b.p ? 1 : 0
  })
  return keyed.map((x) => x.p)
}

