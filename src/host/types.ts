/** The cluster host's public shape. */
import type { GossipSub } from '@libp2p/gossipsub'
import type { Identify } from '@libp2p/identify'
import type { PeerId } from '@libp2p/interface'
import type { Ping } from '@libp2p/ping'
import type { Multiaddr } from '@multiformats/multiaddr'
import type { Libp2p } from 'libp2p'
import type { Startable } from '../interface/startable.js'
import type { BandwidthByProtocol } from '../interface/types.js'

/** The libp2p services the cluster host runs (a type alias: libp2p's ServiceMap needs an index signature). */
export type ClusterHostServices = {
  identify: Identify
  ping: Ping
  pubsub: GossipSub
}

/** The cluster's libp2p node (Go `clusterhost.go`): RPC, pubsub and CRDT sync run over it. */
export interface ClusterHost extends Startable {
  /** The running libp2p node. Throws HostNotStartedError before `start` or after `stop`. */
  readonly libp2p: Libp2p<ClusterHostServices>
  /** This peer's ID (known before `start`). */
  readonly peerId: PeerId
  /** The gossipsub service (signed messages, strict verification). Throws HostNotStartedError when not running. */
  readonly pubsub: GossipSub
  /** Bytes in and out per libp2p protocol since start (totals and per-second rates). */
  bandwidth: () => BandwidthByProtocol
  /** The addresses announced to other peers, each ending in `/p2p/<id>`; empty when not running. */
  addresses: () => Multiaddr[]
  /** Creates the node and listens. Idempotent; rejects when no listen address can be used. */
  start: () => Promise<void>
  /** Closes every connection and stops the node. Idempotent; safe before `start`. */
  stop: () => Promise<void>
}
