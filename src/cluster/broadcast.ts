/**
 * Cluster-wide operations over peer-to-peer RPC (spec pinning-internals §11): `Peers`,
 * `Status`, `StatusAll`, `Recover`, `RecoverAll`, `RepoGC`. The local peer answers in
 * process; peers that fail get error entries named from their last `ping` metric; peers
 * that refuse (authorization) are left out.
 */
import { mergePinInfo } from '../api/common/codec.js'
import { isPinEverywhere } from '../api/common/pin.js'
import { statusBit } from '../api/common/status.js'
import { mergeSorted, mergeUnsorted } from './merge.js'
import all from 'it-all'
import { remoteId, remotePeers, remoteRecover, remoteRecoverAllLocal, remoteRepoGCLocal, remoteStatus, remoteStatusAll, remoteSwarmPeers } from './rpc-client.js'
import type { PeerStream } from './merge.js'
import type { Consensus } from '../interface/consensus.js'
import type { PeerMonitor } from '../interface/peer-monitor.js'
import type { AbortOptions } from '../interface/startable.js'
import type { ConnectGraph, GlobalPinInfo, GlobalRepoGC, ID, Pin, PinInfo, RepoGC, TrackerStatus } from '../interface/types.js'
import type { Rpc } from '../rpc/types.js'
import type { CID } from 'multiformats/cid'

/** Per-peer timeout of `Peers`, `Status` and `Recover` calls (Go: 15 s). */
const CALL_TIMEOUT = 15_000
/** Tracker statuses derived from the state: a listing with any of them is in key order. */
const STATE_DERIVED: TrackerStatus[] = ['pinned', 'unexpectedly_unpinned', 'sharded', 'remote']

export interface BroadcastComponents {
  peerId: string
  peerName: string
  rpc: Rpc
  consensus: Consensus
  monitor: PeerMonitor
  followerMode: boolean
  /** The local peer's answers (no RPC for self). */
  local: {
    id: (options: AbortOptions) => Promise<ID>
    status: (cid: CID, options: AbortOptions) => Promise<PinInfo>
    statusAll: (filter: number, options: AbortOptions) => AsyncIterable<PinInfo>
    recover: (cid: CID, options: AbortOptions) => Promise<PinInfo>
    recoverAll: (options: AbortOptions) => AsyncIterable<PinInfo>
    repoGC: (options: AbortOptions) => Promise<RepoGC>
    swarmPeers: (options: AbortOptions) => Promise<string[]>
  }
}

/** What a peer's last ping says about it. */
export interface PeerPing { peerName: string, ipfsId: string, ipfsAddresses: string[], clusterAddresses: string[] }

const isAuthError = (err: any): boolean => err?.name === 'RpcAuthorizationError'

export class Broadcast {
  constructor (private readonly c: BroadcastComponents) {}

  /** Name and IPFS identity from a peer's latest ping metric (even expired). */
  ping (peer: string): PeerPing {
    const m = this.c.monitor.latestForPeer('ping', peer)
    try {
      const v = JSON.parse(m?.value ?? '{}')
      const strings = (x: unknown): string[] => Array.isArray(x) ? x.filter((a): a is string => typeof a === 'string') : []
      return { peerName: v.peer_name ?? '', ipfsId: v.ipfs_id ?? '', ipfsAddresses: strings(v.ipfs_addresses), clusterAddresses: strings(v.cluster_addresses) }
    } catch {
      return { peerName: '', ipfsId: '', ipfsAddresses: [], clusterAddresses: [] }
    }
  }

  private async members (options: AbortOptions): Promise<string[]> {
    return this.c.followerMode ? [this.c.peerId] : await this.c.consensus.peers(options)
  }

  /** A locally made entry for `peer` (remote, unpinned, or cluster_error). */
  private entry (peer: string, cid: CID, status: TrackerStatus, like?: Pin | GlobalPinInfo, error = ''): PinInfo {
    const p = peer === this.c.peerId ? { peerName: this.c.peerName, ipfsId: '', ipfsAddresses: [] as string[] } : this.ping(peer)
    return {
      cid,
      peer,
      status,
      error,
      peerName: p.peerName,
      ipfsPeerId: p.ipfsId,
      ipfsPeerAddresses: p.ipfsAddresses,
      timestamp: new Date(),
      attemptCount: 0,
      priorityPin: false,
      name: like?.name ?? '',
      allocations: like?.allocations,
      origins: like?.origins,
      created: like != null && 'created' in like ? like.created : undefined,
      metadata: like?.metadata
    }
  }

  /** Go `Peers`: every consensus peer's ID; failures become entries with `error`. */
  async * peers (options: AbortOptions = {}): AsyncGenerator<ID> {
    const members = await this.members(options)
    const results = await Promise.all(members.map(async (peer): Promise<ID | undefined> => {
      if (peer === this.c.peerId) return await this.c.local.id(options)
      try {
        return await remoteId(this.c.rpc, peer, { ...options, timeout: CALL_TIMEOUT })
      } catch (err: any) {
        if (isAuthError(err)) return undefined
        const p = this.ping(peer)
        return {
          id: peer, addresses: [], clusterPeers: [], clusterPeersAddresses: [], version: '', commit: '',
          rpcProtocolVersion: '', error: err.message, ipfs: { id: p.ipfsId, addresses: p.ipfsAddresses, error: '' }, peerName: p.peerName
        }
      }
    }))
    for (const id of results) if (id != null) yield id
  }

  /** Go `Status(cid)` / `Recover(cid)` (spec §11). */
  async status (cid: CID, pin: Pin | undefined, options: AbortOptions = {}, recover = false): Promise<GlobalPinInfo> {
    const g: GlobalPinInfo = { cid, name: '', allocations: undefined, origins: undefined, created: undefined, metadata: undefined, peerMap: new Map() }
    const members = await this.members(options)
    if (pin == null) {
      for (const peer of members) mergePinInfo(g, this.entry(peer, cid, 'unpinned'))
      return g
    }
    let targets = members
    if (!this.c.followerMode && !isPinEverywhere(pin)) {
      targets = [...pin.allocations]
      for (const peer of members) if (!targets.includes(peer)) mergePinInfo(g, this.entry(peer, cid, 'remote', pin))
    }
    const answers = await Promise.all(targets.map(async (peer): Promise<PinInfo | undefined> => {
      try {
        if (peer === this.c.peerId) return recover ? await this.c.local.recover(cid, options) : await this.c.local.status(cid, options)
        const opts = { ...options, timeout: CALL_TIMEOUT }
        return recover ? await remoteRecover(this.c.rpc, peer, cid, opts) : await remoteStatus(this.c.rpc, peer, cid, opts)
      } catch (err: any) {
        if (isAuthError(err)) return undefined
        return this.entry(peer, cid, 'cluster_error', pin, err.message)
      }
    }))
    for (const a of answers) if (a != null) mergePinInfo(g, a)
    return g
  }

  /** Go `StatusAll(filter)`: every member's tracker listing, grouped by CID. */
  statusAll (filter: number, options: AbortOptions = {}): AsyncGenerator<GlobalPinInfo> {
    const ordered = filter === 0 || STATE_DERIVED.some((s) => (statusBit(s) & filter) !== 0)
    return this.gather(ordered, options, (peer) => peer === this.c.peerId
      ? this.c.local.statusAll(filter, options)
      : remoteStatusAll(this.c.rpc, peer, filter, options))
  }

  /** Go `RecoverAll`: every member's `RecoverAllLocal`, grouped by CID. */
  recoverAll (options: AbortOptions = {}): AsyncGenerator<GlobalPinInfo> {
    return this.gather(true, options, (peer) => peer === this.c.peerId
      ? this.c.local.recoverAll(options)
      : remoteRecoverAllLocal(this.c.rpc, peer, options))
  }

  private async * gather (ordered: boolean, options: AbortOptions, open: (peer: string) => AsyncIterable<PinInfo>): AsyncGenerator<GlobalPinInfo> {
    const streams: PeerStream[] = (await this.members(options)).map((peer) => ({ peer, items: open(peer) }))
    const errorEntry = (peer: string, err: Error, like: GlobalPinInfo): PinInfo | undefined =>
      isAuthError(err) || like.cid == null ? undefined : this.entry(peer, like.cid, 'cluster_error', like, err.message)
    yield * (ordered ? mergeSorted(streams, errorEntry) : mergeUnsorted(streams, errorEntry))
  }

  /**
   * Go `ConnectGraph`: each member's own `Peers` answer gives its cluster links (peers it
   * reached) and its IPFS identity; each member's `SwarmPeers` gives its IPFS links.
   */
  async connectGraph (options: AbortOptions = {}): Promise<ConnectGraph> {
    const self = this.c.peerId
    const g: ConnectGraph = {
      clusterId: self,
      idToPeerName: new Map(),
      ipfsLinks: new Map(),
      clusterLinks: new Map(),
      clusterTrustLinks: new Map(),
      clusterToIpfs: new Map()
    }
    const members = await this.members(options)
    await Promise.all(members.map(async (p) => {
      g.clusterTrustLinks.set(p, p !== self && this.c.consensus.isTrustedPeer(p))
      let ids: ID[] = []
      try {
        ids = p === self ? await all(this.peers(options)) : await all(remotePeers(this.c.rpc, p, options))
      } catch (err: any) {
        g.clusterLinks.set(p, [])
        return
      }
      const links: string[] = []
      let own: ID | undefined
      for (const id of ids) {
        if (id.id === p) own = id
        else if (id.error === '') links.push(id.id)
        if (id.peerName !== '') g.idToPeerName.set(id.id, id.peerName)
      }
      g.clusterLinks.set(p, links)
      if (own == null || own.ipfs.id === '' || own.ipfs.error !== '') return
      g.clusterToIpfs.set(p, own.ipfs.id)
      const swarm = await (p === self ? this.c.local.swarmPeers(options) : remoteSwarmPeers(this.c.rpc, p, options)).catch(() => [])
      g.ipfsLinks.set(own.ipfs.id, swarm)
    }))
    if (!g.idToPeerName.has(self)) g.idToPeerName.set(self, this.c.peerName)
    return g
  }

  /** Go `RepoGC`: every member's `RepoGCLocal`, one after the other. */
  async repoGC (options: AbortOptions = {}): Promise<GlobalRepoGC> {
    const out: GlobalRepoGC = { peerMap: new Map() }
    for (const peer of await this.members(options)) {
      let r: RepoGC
      try {
        r = peer === this.c.peerId ? await this.c.local.repoGC(options) : await remoteRepoGCLocal(this.c.rpc, peer, options)
      } catch (err: any) {
        if (isAuthError(err)) continue
        r = { peer, peerName: this.ping(peer).peerName, keys: [], error: err.message }
      }
      out.peerMap.set(peer, r)
    }
    return out
  }
}
