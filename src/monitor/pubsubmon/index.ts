/**
 * Peer monitor (Go `monitor/pubsubmon`, spec pinning-internals §7): stores the
 * metrics peers publish on the `monitor.metrics` topic, answers the latest valid
 * ones to the allocator, and raises alerts when a peer's metrics expire.
 * Config key: `monitor.pubsubmon`.
 */
import { PubsubMonitor } from './monitor.js'
import type { PeerMonitor } from '../../interface/peer-monitor.js'
import type { PeerIdString } from '../../interface/types.js'
import type { ComponentLogger } from '@libp2p/interface'

export interface PubsubMonitorInit {
  /** How often expired metrics are looked for, in ms. @default 15_000 */
  checkInterval?: number
}

export interface PubsubMonitorComponents {
  peerId: PeerIdString
  logger: ComponentLogger
  /** Sends an encoded metric to the other peers (the pubsub topic). Optional: one peer. */
  publish?: (data: Uint8Array) => Promise<void>
  /** Called when a `ping` arrives from another peer that had no valid ping: a peer (re)joined. */
  onNewPeer?: (peer: PeerIdString) => void
}

/** The monitor plus the entry point for payloads received from pubsub. */
export interface PubsubPeerMonitor extends PeerMonitor {
  /** Decodes and stores a received payload; bad payloads are logged and dropped (never throws). */
  handleMessage: (data: Uint8Array) => Promise<void>
}

/**
 * Creates the monitor. `start` begins the checker loop (every `checkInterval`),
 * `stop` ends it and ends the `alerts()` iterables. `publishMetric` ignores
 * discarded metrics, fills an empty `peer` with `peerId`, stores the metric locally
 * through the receive path and then calls `publish` (rejecting with its error).
 */
export function pubsubMonitor (init: PubsubMonitorInit = {}): (components: PubsubMonitorComponents) => PubsubPeerMonitor {
  return (components) => new PubsubMonitor(components, init)
}
