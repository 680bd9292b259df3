import type { AbortOptions, Startable } from './startable.js'
import type { Metric, PeerIdString } from './types.js'
import type { CID } from 'multiformats/cid'

/** Metrics of a set of peers: peer → metric name → metric. */
export type MetricsSet = Map<PeerIdString, Map<string, Metric>>

/** The allocator (Go `PinAllocator`, spec pinning-internals §5). */
export interface PinAllocator extends Startable {
  /** Metric names this allocator needs (`allocate_by`). */
  metrics: () => string[]
  /** Ordered peers: priority peers first, then candidates. `cid` is undefined for an add's block allocation. */
  allocate: (cid: CID | undefined, current: MetricsSet, candidates: MetricsSet, priority: MetricsSet, options?: AbortOptions) => Promise<PeerIdString[]>
}
