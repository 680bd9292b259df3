/**
 * The cluster peer orchestrator (Go `Cluster`, spec pinning-internals §2–§4, §9, §11):
 * pin/unpin flows, allocation, status and recover views, background loops.
 * Config section: `cluster`.
 */
import { Cluster } from './cluster.js'
import type { PinAllocator } from '../interface/allocator.js'
import type { Consensus } from '../interface/consensus.js'
import type { Informer } from '../interface/informer.js'
import type { IPFSConnector } from '../interface/ipfs-connector.js'
import type { PeerMonitor } from '../interface/peer-monitor.js'
import type { PinTracker } from '../interface/pin-tracker.js'
import type { AbortOptions } from '../interface/startable.js'
import type { BandwidthByProtocol } from '../interface/types.js'
import type { Rpc } from '../rpc/types.js'
import type { ComponentLogger } from '@libp2p/interface'

export interface ClusterInit {
  peerName: string
  /** @default -1 */
  replicationFactorMin?: number
  /** @default -1 */
  replicationFactorMax?: number
  /** ms. @default 300_000 */
  stateSyncInterval?: number
  /** ms. @default 720_000 */
  pinRecoverInterval?: number
  /** ms. @default 15_000 */
  monitorPingInterval?: number
  followerMode?: boolean
  /** Ask the consensus to remove this peer on a clean shutdown (`leave_on_shutdown`, `--leave`). */
  leaveOnShutdown?: boolean
  pinOnlyOnTrustedPeers?: boolean
  pinOnlyOnUntrustedPeers?: boolean
  /** Cluster swarm addresses announced in `ID.addresses` (without /p2p). */
  listenAddresses?: string[]
}

/** The cluster's libp2p side, for the peer-to-peer operations (absent: a lone peer). */
export interface ClusterNetwork {
  rpc: Rpc
  /** The host's announced addresses, each ending in `/p2p/<self>`. */
  addresses: () => string[]
  /** Known addresses of `peers` (`…/p2p/<id>`). */
  peerAddresses: (peers: string[]) => string[]
  /** Connects to a `/p2p/` multiaddress (keeping it in the peer store); resolves with the peer ID. */
  connect: (addr: string, options?: AbortOptions) => Promise<string>
  /** Keeps other peers' addresses (`…/p2p/<id>`) in the peer store, for later dials. */
  learn: (addrs: string[]) => Promise<void>
  /** Bytes in and out of the cluster host per libp2p protocol. */
  bandwidth: () => BandwidthByProtocol
}

export interface ClusterComponents {
  peerId: string
  consensus: Consensus
  tracker: PinTracker
  ipfs: IPFSConnector
  monitor: PeerMonitor
  allocator: PinAllocator
  informers: Informer[]
  logger: ComponentLogger
  network?: ClusterNetwork
}

export { Cluster }

export function cluster (init: ClusterInit): (components: ClusterComponents) => Cluster {
  return (components) => new Cluster(components, init)
}
