import type { AbortOptions } from './startable.js'
import type {
  Alert, BandwidthByProtocol, ConnectGraph, GlobalPinInfo, GlobalRepoGC, ID, Metric,
  PeerIdString, Pin, PinInfo, PinOptions, RepoGC
} from './types.js'
import type { CID } from 'multiformats/cid'

/**
 * What the APIs (REST, proxy, pinning service) need from the cluster peer: the
 * orchestrator's public methods (Go `Cluster`, reached through local RPC).
 */
export interface ClusterAPI {
  id: (options?: AbortOptions) => Promise<ID>
  version: () => string
  peers: (options?: AbortOptions) => AsyncGenerator<ID>
  peerAdd: (peer: PeerIdString, options?: AbortOptions) => Promise<ID>
  peerRemove: (peer: PeerIdString, options?: AbortOptions) => Promise<void>

  /** The shared pinset. */
  pins: (options?: AbortOptions) => AsyncGenerator<Pin>
  /** The shared pinset pre-encoded as REST JSON (fast path for streaming). */
  pinsJson: (options?: AbortOptions) => AsyncGenerator<{ type: Pin['type'], json: string }>
  /** Throws PinNotFoundError. */
  pinGet: (cid: CID, options?: AbortOptions) => Promise<Pin>
  /** Pins a CID with options (Go `Cluster.Pin`); returns the pin as committed. */
  pin: (cid: CID, opts: PinOptions, options?: AbortOptions) => Promise<Pin>
  /** Pins a full Pin object (RPC `Cluster.Pin`): used by the REST `/pins/{cid}` route and adder. */
  pinObject: (pin: Pin, options?: AbortOptions) => Promise<Pin>
  /** Resolves an IPFS path, then pins. */
  pinPath: (path: string, opts: PinOptions, options?: AbortOptions) => Promise<Pin>
  /** Returns the pin as it was before removal. Throws PinNotFoundError. */
  unpin: (cid: CID, options?: AbortOptions) => Promise<Pin>
  unpinPath: (path: string, options?: AbortOptions) => Promise<Pin>

  statusAll: (filter: number, options?: AbortOptions) => AsyncGenerator<GlobalPinInfo>
  statusAllLocal: (filter: number, options?: AbortOptions) => AsyncGenerator<PinInfo>
  status: (cid: CID, options?: AbortOptions) => Promise<GlobalPinInfo>
  statusLocal: (cid: CID, options?: AbortOptions) => Promise<PinInfo>
  recoverAll: (options?: AbortOptions) => AsyncGenerator<GlobalPinInfo>
  recoverAllLocal: (options?: AbortOptions) => AsyncGenerator<PinInfo>
  recover: (cid: CID, options?: AbortOptions) => Promise<GlobalPinInfo>
  recoverLocal: (cid: CID, options?: AbortOptions) => Promise<PinInfo>

  repoGC: (options?: AbortOptions) => Promise<GlobalRepoGC>
  repoGCLocal: (options?: AbortOptions) => Promise<RepoGC>
  connectGraph: (options?: AbortOptions) => Promise<ConnectGraph>
  alerts: (options?: AbortOptions) => Promise<Alert[]>
  bandwidthByProtocol: (options?: AbortOptions) => Promise<BandwidthByProtocol>
  latestMetrics: (name: string, options?: AbortOptions) => Promise<Metric[]>
  metricNames: (options?: AbortOptions) => Promise<string[]>
}
