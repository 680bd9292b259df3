import type { AbortOptions, Startable } from './startable.js'
import type { Alert, Metric, PeerIdString } from './types.js'

/** The peer monitor (Go `PeerMonitor`, spec pinning-internals §7). */
export interface PeerMonitor extends Startable {
  /** Stores a metric locally. */
  logMetric: (metric: Metric, options?: AbortOptions) => Promise<void>
  /** Sends a metric to every peer (and stores it locally). */
  publishMetric: (metric: Metric, options?: AbortOptions) => Promise<void>
  /** Latest valid, non-expired metric of every peer for `name`, sorted by peer. */
  latestMetrics: (name: string, options?: AbortOptions) => Promise<Metric[]>
  /** Latest metric of `peer` for `name`, even if expired; undefined if none. */
  latestForPeer: (name: string, peer: PeerIdString) => Metric | undefined
  /** Every metric name ever seen. */
  metricNames: (options?: AbortOptions) => Promise<string[]>
  /** Alerts raised for expired metrics. */
  alerts: () => AsyncIterable<Alert>
}
