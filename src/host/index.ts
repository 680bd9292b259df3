/**
 * The cluster libp2p host (Go `clusterhost.go`): a js-libp2p node, separate from the
 * embedded IPFS node, that peers use for RPC, pubsub and CRDT sync. TCP transport,
 * a private network from the cluster secret (our own PSK v1 protector, `pnet/`),
 * noise, yamux, identify, ping and gossipsub; no DHT, mDNS, relay, UPnP or AutoNAT.
 * Config key: `cluster` (secret, listen/announce/no_announce_multiaddress,
 * connection_manager, pubsub, dial_peer_timeout); see `fromClusterConfig`.
 */
import { Libp2pClusterHost } from './host.js'
import type { ClusterHost } from './types.js'
import type { ConnMgrConfig, PubSubConfig } from '../config/sections/cluster.js'
import type { ComponentLogger, PrivateKey } from '@libp2p/interface'

export type { ClusterHost, ClusterHostServices } from './types.js'

export interface ClusterHostInit {
  /** The peer's key (`identity.json`); the peer ID derives from it. */
  privateKey: PrivateKey
  /** Multiaddrs to listen on. Those no transport here handles (QUIC, WebSocket) are skipped. */
  listen: string[]
  /** When non-empty, announced instead of the listen addresses. @default [] */
  announce?: string[]
  /** Never announced: exact multiaddrs or `/ipcidr` networks. @default [] */
  noAnnounce?: string[]
  /** The 32-byte cluster secret; empty means an unprotected network. @default empty */
  secret?: Uint8Array
  /** Only `highWater` maps onto js-libp2p (its `maxConnections`). @default js-libp2p's */
  connectionManager?: ConnMgrConfig
  /** Dial timeout in ms (`dial_peer_timeout`). @default 3_000 */
  dialTimeout?: number
  /** Gossipsub settings (durations in ms). @default the cluster's defaults */
  pubsub?: Partial<PubSubConfig>
  /** Send peer exchange on prune (off in follower mode, as in Go). @default true */
  peerExchange?: boolean
  /**
   * mDNS discovery of cluster peers on the LAN (`mdns_interval` > 0; Go's service tag):
   * discovered peers are dialed; the private network refuses other clusters. @default false
   */
  mdns?: boolean
}

export interface ClusterHostComponents {
  logger: ComponentLogger
}

/**
 * Creates the host. Nothing happens until `start`, which rejects with
 * InvalidPreSharedKeyError for a secret that is neither empty nor 32 bytes.
 */
export function clusterHost (init: ClusterHostInit): (components: ClusterHostComponents) => ClusterHost {
  return (components) => new Libp2pClusterHost(components, init)
}
