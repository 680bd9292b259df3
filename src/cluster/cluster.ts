import type { CID } from 'multiformats/cid'
import { allocate } from '../allocator/allocate.js'
import { globalPinInfoFromPinInfo } from '../api/common/codec.js'
import { parsePathOrCid } from '../api/common/path.js'
import { expiredAt, isPinEverywhere, pinWithOpts } from '../api/common/pin.js'
import { FollowerModeError, PinNotFoundError, PinRefusedError } from '../interface/errors.js'
import { nowNs } from '../util/time.js'
import { Broadcast } from './broadcast.js'
import { DistanceChecker } from './distance.js'
import { remoteId, remotePeerAdd } from './rpc-client.js'
import { checkRepin, checkReplicationFactors } from './validate.js'
import type { ClusterComponents, ClusterInit } from './index.js'
import type { ClusterAPI } from '../interface/cluster.js'
import type { AbortOptions, Startable } from '../interface/startable.js'
import type {
  Alert, BandwidthByProtocol, ConnectGraph, GlobalPinInfo, GlobalRepoGC, ID, IPFSID, Metric,
  Pin, PinInfo, PinOptions, RepoGC
} from '../interface/types.js'
import type { Logger } from '@libp2p/interface'

export const VERSION = '1.1.6'
export const RPC_PROTOCOL_VERSION = '/ipfscluster/1.0/rpc'
const MAX_ALERTS = 1000
/** Delay of `announceMetrics`: the new peer's subscription to the metrics topic reaches us first. */
const ANNOUNCE_METRICS_DELAY = 1_000

/** The cluster peer. Implements every method the APIs call. */
export class Cluster implements ClusterAPI, Startable {
  private readonly c: ClusterComponents
  private readonly init: Required<ClusterInit>
  private readonly log: Logger & { info?: (...a: any[]) => void, warn?: (...a: any[]) => void }
  private loops: AbortController | undefined
  private readonly alertList: Alert[] = []
  /** Cached IPFS identity (Go: the ping metric value / `Cluster.IPFSID`). */
  private ipfsId: IPFSID = { id: '', addresses: [], error: '' }
  private readyResolve!: () => void
  private ready = false
  /** An informer metrics announcement is scheduled (see `announceMetrics`). */
  private announcing = false
  /** Cluster-wide operations over RPC; undefined for a peer without a network. */
  private readonly broadcast: Broadcast | undefined
  /** Resolves once the peer is ready (consensus ready and IPFS answered). */
  readonly whenReady: Promise<void>

  constructor (components: ClusterComponents, init: ClusterInit) {
    this.c = components
    this.init = {
      replicationFactorMin: -1,
      replicationFactorMax: -1,
      stateSyncInterval: 300_000,
      pinRecoverInterval: 720_000,
      monitorPingInterval: 15_000,
      followerMode: false,
      pinOnlyOnTrustedPeers: false,
      pinOnlyOnUntrustedPeers: false,
      listenAddresses: [],
      leaveOnShutdown: false,
      ...init
    }
    this.log = components.logger.forComponent('cluster:cluster')
    this.whenReady = new Promise((resolve) => { this.readyResolve = resolve })
    const net = components.network
    this.broadcast = net == null
      ? undefined
      : new Broadcast({
        peerId: components.peerId,
        peerName: this.init.peerName,
        rpc: net.rpc,
        consensus: components.consensus,
        monitor: components.monitor,
        followerMode: this.init.followerMode,
        local: {
          id: async (o) => await this.id(o),
          status: async (cid, o) => await this.statusLocal(cid, o),
          statusAll: (filter, o) => this.statusAllLocal(filter, o),
          recover: async (cid, o) => await this.c.tracker.recover(cid, o),
          recoverAll: (o) => this.recoverAllLocal(o),
          repoGC: async (o) => await this.repoGCLocal(o),
          swarmPeers: async (o) => await this.c.ipfs.swarmPeers(o)
        }
      })
  }

  /** The local IPFS identity as cached (used by the tracker for PinInfo). */
  localIPFS (): { id: string, addresses: string[] } {
    return { id: this.ipfsId.id, addresses: this.ipfsId.addresses ?? [] }
  }

  async start (): Promise<void> {
    if (this.loops != null) return
    this.loops = new AbortController()
    const signal = this.loops.signal
    await this.c.consensus.ready({ signal })
    await this.refreshIpfsId()
    // metrics before ready, so that allocations work as soon as the API answers
    await this.sendInformersMetrics({ signal }).catch((err) => { this.log.error('sending metrics: %s', err.message) })
    await this.sendPingMetric({ signal }).catch((err) => { this.log.error('sending ping: %s', err.message) })
    this.ready = true
    this.readyResolve()
    this.every(this.init.monitorPingInterval, async () => {
      await this.refreshIpfsId()
      await this.sendPingMetric({ signal })
      await this.connectSwarms({ signal })
    })
    this.startInformerLoops(signal)
    void this.stateSyncLoop(signal)
    void this.alertsLoop(signal)
  }

  /**
   * Go `Shutdown`'s leave step: with `leave_on_shutdown` (or `--leave`) a peer that became
   * ready asks the consensus to remove it (best effort; the CRDT consensus refuses, logged).
   */
  async beforeStop (): Promise<void> {
    if (!this.init.leaveOnShutdown || !this.ready || this.loops == null) return
    this.log.warn?.('attempting to leave the cluster. This may take some seconds')
    try {
      await this.c.consensus.rmPeer(this.c.peerId)
    } catch (err: any) {
      this.log.error('leaving cluster: %s', err.message)
    }
  }

  async stop (): Promise<void> {
    this.loops?.abort()
    this.loops = undefined
  }

  private every (ms: number, fn: () => Promise<void>): void {
    const signal = this.loops?.signal
    const t = setInterval(() => { fn().catch((err) => { this.log.error('%s', err.message) }) }, ms)
    t.unref()
    signal?.addEventListener('abort', () => { clearInterval(t) }, { once: true })
  }

  private async refreshIpfsId (): Promise<void> {
    try {
      this.ipfsId = await this.c.ipfs.id()
    } catch (err: any) {
      this.ipfsId = { ...this.ipfsId, error: err.message }
    }
  }

  // ---- metrics (spec §2.2, §2.3) ----

  private async sendPingMetric (options: AbortOptions): Promise<void> {
    const value: Record<string, unknown> = { peer_name: this.init.peerName }
    if (this.ipfsId.id !== '') value.ipfs_id = this.ipfsId.id
    const addrs = (this.ipfsId.addresses ?? []).filter(publicOrPrivateAddr)
    if (addrs.length > 0) value.ipfs_addresses = addrs
    // our extension (Go peers ignore it): peers that joined through another one learn
    // each other's cluster addresses from the pings they relay (no DHT here)
    const own = this.c.network?.addresses() ?? []
    if (own.length > 0) value.cluster_addresses = own
    await this.c.monitor.publishMetric(this.pingMetric(this.c.peerId, JSON.stringify(value)), options)
  }

  /** A `ping` metric of `peer`, valid for two ping intervals (spec §2.3). */
  private pingMetric (peer: string, value: string): Metric {
    return {
      name: 'ping',
      peer,
      value,
      expire: nowNs() + BigInt(2 * this.init.monitorPingInterval) * 1_000_000n,
      valid: true,
      weight: 0n,
      partitionable: false,
      receivedAt: 0n
    }
  }

  /**
   * Publishes the informers' metrics soon (once for a burst of calls): a peer that just
   * joined would otherwise lack them until their next tick (half their TTL; Go waits), and
   * allocations on it (e.g. an `add --rmin 2`) would see too few peers.
   */
  announceMetrics (): void {
    if (this.announcing || this.loops == null) return
    this.announcing = true
    const signal = this.loops.signal
    setTimeout(() => {
      this.announcing = false
      if (signal.aborted) return
      this.sendInformersMetrics({ signal }).catch((err) => { this.log.error('sending metrics: %s', err.message) })
    }, ANNOUNCE_METRICS_DELAY).unref()
  }

  /** Go `SendInformersMetrics`: publishes every informer's valid metrics. */
  async sendInformersMetrics (options: AbortOptions = {}): Promise<void> {
    for (const inf of this.c.informers) await this.publishInformer(inf, options)
  }

  private async publishInformer (inf: ClusterComponents['informers'][number], options: AbortOptions): Promise<bigint> {
    const metrics = await inf.getMetrics(options)
    let ttl = 0n
    for (const m of metrics) {
      const left = m.expire - nowNs()
      if (left > ttl) ttl = left
      if (!m.valid || left <= 0n) continue
      await this.c.monitor.publishMetric({ ...m, peer: this.c.peerId }, options)
    }
    return ttl
  }

  private startInformerLoops (signal: AbortSignal): void {
    for (const inf of this.c.informers) {
      const loop = async (): Promise<void> => {
        while (!signal.aborted) {
          let wait = 30_000
          try {
            const ttl = await this.publishInformer(inf, { signal })
            if (ttl > 0n) wait = Math.max(100, Number(ttl / 1_000_000n) / 2)
          } catch (err: any) {
            this.log.error('informer %s: %s', inf.name(), err.message)
            wait = 7_500
          }
          await sleep(wait, signal)
        }
      }
      void loop()
    }
  }

  private async stateSyncLoop (signal: AbortSignal): Promise<void> {
    // recover runs at start, then both on their own period, never concurrently
    let nextSync = Date.now() + this.init.stateSyncInterval
    let nextRecover = Date.now()
    while (!signal.aborted) {
      const now = Date.now()
      try {
        if (now >= nextRecover) {
          nextRecover = now + this.init.pinRecoverInterval
          for await (const _ of this.recoverAllLocal({ signal })) {} // eslint-disable-line no-unused-vars
        }
        if (now >= nextSync) {
          nextSync = now + this.init.stateSyncInterval
          await this.stateSync({ signal })
        }
      } catch (err: any) {
        if (!signal.aborted) this.log.error('state sync/recover: %s', err.message)
      }
      await sleep(Math.max(10, Math.min(nextSync, nextRecover) - Date.now()), signal)
    }
  }

  /** Go `StateSync`: unpins the expired pins this peer is the closest (trusted) peer of. */
  async stateSync (options: AbortOptions = {}): Promise<void> {
    if (this.init.followerMode) return
    const now = new Date()
    const consensus = this.c.consensus
    const closest = new DistanceChecker(this.c.peerId, await consensus.peers(options), (p) => consensus.isTrustedPeer(p))
    const state = await consensus.state(options)
    for await (const pin of state.list(options)) {
      if (!expiredAt(pin, now) || !closest.isClosest(pin.cid)) continue
      this.log.info?.('unpinning %s: the pin expired', pin.cid.toString())
      try {
        await this.unpin(pin.cid, options)
      } catch (err: any) {
        this.log.error('unpinning expired %s: %s', pin.cid.toString(), err.message)
      }
    }
  }

  private async alertsLoop (signal: AbortSignal): Promise<void> {
    try {
      for await (const alert of this.c.monitor.alerts()) {
        if (signal.aborted) return
        if (this.init.followerMode) continue
        if (this.alertList.length > MAX_ALERTS) this.alertList.length = 0
        this.alertList.push(alert)
      }
    } catch (err: any) {
      if (!signal.aborted) this.log.error('alerts: %s', err.message)
    }
  }

  // ---- identity ----

  async id (options: AbortOptions = {}): Promise<ID> {
    await this.refreshIpfsId().catch(() => {})
    const peers = await this.c.consensus.peers(options)
    return {
      id: this.c.peerId,
      addresses: this.c.network?.addresses() ?? [],
      clusterPeers: peers,
      clusterPeersAddresses: this.c.network?.peerAddresses(peers.filter((p) => p !== this.c.peerId)) ?? [],
      version: VERSION,
      commit: '',
      rpcProtocolVersion: RPC_PROTOCOL_VERSION,
      error: '',
      ipfs: this.ipfsId,
      peerName: this.init.peerName
    }
  }

  version (): string {
    return VERSION
  }

  async * peers (options: AbortOptions = {}): AsyncGenerator<ID> {
    if (this.broadcast != null) {
      yield * this.broadcast.peers(options)
      return
    }
    yield await this.id(options)
  }

  /** Go `PeerAdd` (called by a joining peer): the peer shows up at once through a synthetic ping. */
  async peerAdd (peer: string, options: AbortOptions = {}): Promise<ID> {
    await this.c.consensus.addPeer(peer, options)
    const net = this.c.network
    if (net == null) return { ...(await this.id(options)), id: peer }
    await this.logSyntheticPing(peer, options)
    // its real ping will not look new to the monitor: announce our metrics to it here
    this.announceMetrics()
    try {
      return await remoteId(net.rpc, peer, { ...options, timeout: 15_000 })
    } catch (err: any) {
      return { ...(await this.id(options)), id: peer, error: err.message }
    }
  }

  /**
   * Go `Join` (spec consensus §7.2): connect to `addr`, ask that peer to add us, show it
   * as a peer at once, publish our metrics, and recover our pins in the background.
   */
  async join (addr: string, options: AbortOptions = {}): Promise<void> {
    const net = this.c.network
    if (net == null) throw new Error('this peer has no cluster network to join')
    const peer = await net.connect(addr, options)
    await this.logSyntheticPing(peer, options)
    await remotePeerAdd(net.rpc, peer, this.c.peerId, { ...options, timeout: 15_000 })
    await this.sendInformersMetrics(options).catch((err) => { this.log.error('join: sending metrics: %s', err.message) })
    await this.sendPingMetric(options).catch((err) => { this.log.error('join: sending ping: %s', err.message) })
    void this.connectSwarms().catch((err) => { this.log.error('join: connecting IPFS: %s', err.message) })
    void (async () => { for await (const _ of this.recoverAllLocal()) {} })().catch((err) => { this.log.error('join: recover: %s', err.message) })
  }

  /**
   * Go `ConnectSwarms`: connects the local IPFS node to the other peers' IPFS nodes (their
   * IDs' addresses), so that content added on one peer can be pinned by another. Runs with
   * the ping loop; asks the peers only when a peer's IPFS node (from its ping) is not a
   * swarm peer yet.
   */
  async connectSwarms (options: AbortOptions = {}): Promise<void> {
    if (this.broadcast == null) return
    for (const m of await this.c.monitor.latestMetrics('ping', options)) await this.learnAddresses(m.peer)
    const connected = new Set(await this.c.ipfs.swarmPeers(options).catch(() => []))
    const wanted = (await this.c.monitor.latestMetrics('ping', options))
      .filter((m) => m.peer !== this.c.peerId)
      .map((m) => this.broadcast?.ping(m.peer).ipfsId ?? '')
    if (wanted.every((id) => id === '' || connected.has(id))) return
    for await (const id of this.broadcast.peers(options)) {
      if (id.id === this.c.peerId || id.ipfs.id === '' || connected.has(id.ipfs.id)) continue
      await this.c.ipfs.connectSwarms(id.ipfs.addresses ?? [], options).catch((err) => { this.log('connecting to the IPFS node of %s: %s', id.id, err.message) })
    }
  }

  /** Keeps the cluster addresses a peer's last ping carries (`cluster_addresses`) in the peer store. */
  async learnAddresses (peer: string): Promise<void> {
    if (this.broadcast == null || peer === this.c.peerId) return
    const addrs = this.broadcast.ping(peer).clusterAddresses
    if (addrs.length > 0) await this.c.network?.learn(addrs)
  }

  /** A local ping metric (no value) for a peer we just connected to (Go `logPingMetric`). */
  private async logSyntheticPing (peer: string, options: AbortOptions): Promise<void> {
    await this.c.monitor.logMetric(this.pingMetric(peer, ''), options)
  }

  async peerRemove (peer: string, options: AbortOptions = {}): Promise<void> {
    await this.c.consensus.rmPeer(peer, options)
  }

  // ---- pinset ----

  async * pins (options: AbortOptions = {}): AsyncGenerator<Pin> {
    const state = await this.c.consensus.state(options)
    yield * state.list(options)
  }

  async * pinsJson (options: AbortOptions = {}): AsyncGenerator<{ type: Pin['type'], json: string }> {
    const state = await this.c.consensus.state(options)
    yield * state.listJson(options)
  }

  async pinGet (cid: CID, options: AbortOptions = {}): Promise<Pin> {
    const state = await this.c.consensus.state(options)
    return await state.get(cid, options)
  }

  private async existing (cid: CID, options: AbortOptions): Promise<Pin | undefined> {
    const state = await this.c.consensus.state(options)
    // most pins are new: asking first spares building a PinNotFoundError (and its stack)
    if (!(await state.has(cid, options))) return undefined
    try {
      return await state.get(cid, options)
    } catch (err: any) {
      if (err.name === 'PinNotFoundError') return undefined
      throw err
    }
  }

  async pin (cid: CID, opts: PinOptions, options: AbortOptions = {}): Promise<Pin> {
    return await this.pinObject(pinWithOpts(cid, opts), options)
  }

  /** Go internal `pin(pin, blacklist)` (spec §3.2). */
  async pinObject (pin: Pin, options: AbortOptions = {}, blacklist: string[] = []): Promise<Pin> {
    if (this.init.followerMode) throw new FollowerModeError()
    if (pin.cid == null) throw new PinRefusedError('bad pin object')
    if (pin.pinUpdate != null && !pin.pinUpdate.equals(pin.cid)) {
      return await this.pinUpdate(pin.pinUpdate, pin.cid, pin, options)
    }
    const existing = await this.existing(pin.cid, options)
    const p: Pin = { ...pin, allocations: [...pin.allocations] }
    const { rmin, rmax } = this.setupFactors(p)
    p.replicationFactorMin = rmin
    p.replicationFactorMax = rmax
    if (isPinEverywhere(p)) p.allocations = []
    if (existing != null) checkRepin(p, existing)
    p.timestamp = new Date()
    if (p.type !== 'meta-pin' && p.allocations.length === 0) {
      p.allocations = await this.allocate(p, existing, blacklist, options)
    }
    await this.c.consensus.logPin(p, options)
    return p
  }

  /**
   * Go RPC `Cluster.BlockAllocate` (spec adder §5.1): the peers an add should send its
   * blocks to, for a pin with `opts`. Applies the pin setup (replication defaults and
   * checks, expiry); with rmin < 0 (everywhere) returns every peer with a valid `ping`
   * metric, sorted; otherwise runs the normal allocation with no current allocations, no
   * blacklist and the user allocations as priority.
   *
   * @throws FollowerModeError on a follower; PinRefusedError for bad replication factors
   *   or an expiry in the past; AllocationError when not enough peers can be had
   */
  async blockAllocate (opts: PinOptions, options: AbortOptions = {}): Promise<string[]> {
    if (this.init.followerMode) throw new FollowerModeError()
    const { rmin, rmax } = this.setupFactors(opts)
    if (rmin < 0) {
      const metrics = await this.c.monitor.latestMetrics('ping', options)
      return metrics.map((m) => m.peer).sort()
    }
    return await this.runAllocator(undefined, [], rmin, rmax, [], opts.userAllocations ?? [], options)
  }

  /**
   * The pin setup both pins and block allocations apply (Go `setupPin`): replication
   * factors 0 take the cluster's defaults, then must be valid; an expiry must be ahead.
   */
  private setupFactors (opts: Pick<PinOptions, 'replicationFactorMin' | 'replicationFactorMax' | 'expireAt'>): { rmin: number, rmax: number } {
    const rmin = opts.replicationFactorMin === 0 ? this.init.replicationFactorMin : opts.replicationFactorMin
    const rmax = opts.replicationFactorMax === 0 ? this.init.replicationFactorMax : opts.replicationFactorMax
    checkReplicationFactors(rmin, rmax)
    if (opts.expireAt != null && opts.expireAt.getTime() < Date.now()) throw new PinRefusedError('pin.ExpireAt set before current time')
    return { rmin, rmax }
  }

  /** Runs the allocator (spec §4) with the latest metrics it asks for. */
  private async runAllocator (cid: CID | undefined, currentAllocations: string[], rmin: number, rmax: number,
    blacklist: string[], priorityList: string[], options: AbortOptions): Promise<string[]> {
    const metricsByName = new Map<string, Metric[]>()
    for (const name of this.c.allocator.metrics()) {
      metricsByName.set(name, await this.c.monitor.latestMetrics(name, options))
    }
    return await allocate({
      cid,
      currentAllocations,
      rmin,
      rmax,
      blacklist,
      priorityList,
      metricsByName,
      allocator: this.c.allocator,
      isTrusted: (p: string) => this.c.consensus.isTrustedPeer(p),
      pinOnlyOnTrustedPeers: this.init.pinOnlyOnTrustedPeers,
      pinOnlyOnUntrustedPeers: this.init.pinOnlyOnUntrustedPeers
    })
  }

  private async allocate (pin: Pin, existing: Pin | undefined, blacklist: string[], options: AbortOptions): Promise<string[]> {
    if (pin.replicationFactorMin < 0 && pin.replicationFactorMax < 0) return []
    return await this.runAllocator(pin.cid, existing?.allocations ?? [], pin.replicationFactorMin, pin.replicationFactorMax,
      blacklist, pin.userAllocations ?? [], options)
  }


  /** Go `PinUpdate` (spec §3.5). */
  async pinUpdate (from: CID, to: CID, opts: Partial<PinOptions>, options: AbortOptions = {}): Promise<Pin> {
    if (this.init.followerMode) throw new FollowerModeError()
    const old = await this.pinGet(from, options)
    if (old.type !== 'pin') throw new PinRefusedError('this pin type cannot be updated')
    const p: Pin = {
      ...old,
      cid: to,
      pinUpdate: from,
      timestamp: new Date(),
      userAllocations: undefined
    }
    if (opts.name != null && opts.name !== '') p.name = opts.name
    if (opts.expireAt != null && opts.expireAt.getTime() > Date.now()) p.expireAt = opts.expireAt
    await this.c.consensus.logPin(p, options)
    return p
  }

  async pinPath (path: string, opts: PinOptions, options: AbortOptions = {}): Promise<Pin> {
    const cid = await this.resolvePath(path, options)
    return await this.pin(cid, opts, options)
  }

  /** Go `resolveCidFromPath` (spec §3.6). */
  private async resolvePath (path: string, options: AbortOptions): Promise<CID> {
    const p = parsePathOrCid(path)
    if (p.namespace === 'ipfs' && p.rest.length === 0 && p.rootCid != null) return p.rootCid
    return await this.c.ipfs.resolve(p.toString(), options)
  }

  async unpin (cid: CID, options: AbortOptions = {}): Promise<Pin> {
    if (this.init.followerMode) throw new FollowerModeError()
    const pin = await this.pinGet(cid, options)
    switch (pin.type) {
      case 'pin':
        await this.c.consensus.logUnpin(pin, options)
        return pin
      case 'shard-pin':
        throw new PinRefusedError('cannot unpin a shard directly. Unpin content root CID instead')
      case 'clusterdag-pin':
        throw new PinRefusedError('cannot unpin a Cluster DAG directly. Unpin content root CID instead')
      case 'meta-pin':
        // sharded content comes with the add issue; the meta pin itself is removed
        if (pin.reference != null) await this.unpinReferenced(pin.reference, options)
        await this.c.consensus.logUnpin(pin, options)
        return pin
      default:
        throw new PinRefusedError('unrecognized pin type')
    }
  }

  private async unpinReferenced (ref: CID, options: AbortOptions): Promise<void> {
    const dag = await this.existing(ref, options)
    if (dag != null) await this.c.consensus.logUnpin(dag, options)
  }

  async unpinPath (path: string, options: AbortOptions = {}): Promise<Pin> {
    const cid = await this.resolvePath(path, options)
    return await this.unpin(cid, options)
  }

  // ---- status / recover (spec §11; one peer: the local tracker answers) ----

  statusAllLocal (filter: number, options: AbortOptions = {}): AsyncGenerator<PinInfo> {
    // the tracker's generator itself: a delegating layer costs promises per item
    return this.c.tracker.statusAll(filter, options)
  }

  async * statusAll (filter: number, options: AbortOptions = {}): AsyncGenerator<GlobalPinInfo> {
    if (this.broadcast != null) {
      yield * this.broadcast.statusAll(filter, options)
      return
    }
    for await (const info of this.c.tracker.statusAll(filter, options)) {
      if (info.cid == null) continue
      yield globalPinInfoFromPinInfo(info)
    }
  }

  async statusLocal (cid: CID, options: AbortOptions = {}): Promise<PinInfo> {
    return await this.c.tracker.status(cid, options)
  }

  async status (cid: CID, options: AbortOptions = {}): Promise<GlobalPinInfo> {
    if (this.broadcast != null) return await this.broadcast.status(cid, await this.existing(cid, options), options)
    return globalPinInfoFromPinInfo(await this.statusLocal(cid, options))
  }

  async * recoverAllLocal (options: AbortOptions = {}): AsyncGenerator<PinInfo> {
    yield * this.c.tracker.recoverAll(options)
  }

  async * recoverAll (options: AbortOptions = {}): AsyncGenerator<GlobalPinInfo> {
    if (this.broadcast != null) {
      yield * this.broadcast.recoverAll(options)
      return
    }
    for await (const info of this.c.tracker.recoverAll(options)) yield globalPinInfoFromPinInfo(info)
  }

  async recoverLocal (cid: CID, options: AbortOptions = {}): Promise<PinInfo> {
    const pin = await this.existing(cid, options)
    if (pin == null) throw new PinNotFoundError()
    return await this.c.tracker.recover(cid, options)
  }

  async recover (cid: CID, options: AbortOptions = {}): Promise<GlobalPinInfo> {
    if (this.broadcast != null) {
      const pin = await this.existing(cid, options)
      if (pin == null) throw new PinNotFoundError()
      return await this.broadcast.status(cid, pin, options, true)
    }
    return globalPinInfoFromPinInfo(await this.recoverLocal(cid, options))
  }

  // ---- IPFS and health ----

  async repoGCLocal (options: AbortOptions = {}): Promise<RepoGC> {
    const out: RepoGC = { peer: this.c.peerId, peerName: this.init.peerName, keys: [], error: '' }
    try {
      for await (const k of this.c.ipfs.repoGC(options)) out.keys?.push(k)
    } catch (err: any) {
      out.error = err.message
    }
    return out
  }

  async repoGC (options: AbortOptions = {}): Promise<GlobalRepoGC> {
    if (this.broadcast != null) return await this.broadcast.repoGC(options)
    const r = await this.repoGCLocal(options)
    return { peerMap: new Map([[this.c.peerId, r]]) }
  }

  async connectGraph (options: AbortOptions = {}): Promise<ConnectGraph> {
    if (this.broadcast != null) return await this.broadcast.connectGraph(options)
    const self = this.c.peerId
    const g: ConnectGraph = {
      clusterId: self,
      idToPeerName: new Map([[self, this.init.peerName]]),
      ipfsLinks: new Map(),
      clusterLinks: new Map(),
      clusterTrustLinks: new Map(),
      clusterToIpfs: new Map()
    }
    for (const p of await this.c.consensus.peers(options)) {
      // no cluster connections before the cluster libp2p host exists
      g.clusterLinks.set(p, [])
      g.clusterTrustLinks.set(p, this.c.consensus.isTrustedPeer(p) && p !== self)
    }
    await this.refreshIpfsId()
    if (this.ipfsId.id !== '' && this.ipfsId.error === '') {
      g.clusterToIpfs.set(self, this.ipfsId.id)
      const swarm = await this.c.ipfs.swarmPeers(options).catch(() => [])
      g.ipfsLinks.set(this.ipfsId.id, swarm)
    }
    return g
  }

  async alerts (): Promise<Alert[]> {
    return [...this.alertList].reverse()
  }

  /** Go `BandwidthByProtocol`: the cluster host's counters (none for a peer without a network). */
  async bandwidthByProtocol (): Promise<BandwidthByProtocol> {
    return this.c.network?.bandwidth() ?? new Map()
  }

  async latestMetrics (name: string, options: AbortOptions = {}): Promise<Metric[]> {
    return await this.c.monitor.latestMetrics(name, options)
  }

  async metricNames (options: AbortOptions = {}): Promise<string[]> {
    return await this.c.monitor.metricNames(options)
  }
}

/** Go keeps DNS addresses and IPs that are not loopback/link-local/multicast/unspecified. */
function publicOrPrivateAddr (addr: string): boolean {
  if (/^\/dns(4|6|addr)?\//.test(addr)) return true
  const m = /^\/ip([46])\/([^/]+)/.exec(addr)
  if (m == null) return false
  const ip = m[2]
  if (m[1] === '4') return !(ip.startsWith('127.') || ip.startsWith('169.254.') || ip === '0.0.0.0' || Number(ip.split('.')[0]) >= 224)
  const l = ip.toLowerCase()
  return !(l === '::1' || l === '::' || l.startsWith('fe80') || l.startsWith('ff'))
}

async function sleep (ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return
  await new Promise<void>((resolve) => {
    const t = setTimeout(done, ms)
    function done (): void {
      clearTimeout(t)
      signal.removeEventListener('abort', done)
      resolve()
    }
    signal.addEventListener('abort', done, { once: true })
  })
}

