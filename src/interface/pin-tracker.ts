import type { AbortOptions, Startable } from './startable.js'
import type { Pin, PinInfo } from './types.js'
import type { CID } from 'multiformats/cid'

/**
 * The pin tracker (Go `PinTracker`, spec pinning-internals §10): makes the local
 * IPFS node match the shared state.
 */
export interface PinTracker extends Startable {
  /** The state gained or updated `pin`. Throws QueueFullError when the queue is full. */
  track: (pin: Pin, options?: AbortOptions) => Promise<void>
  /** The state lost `cid`. */
  untrack: (cid: CID, options?: AbortOptions) => Promise<void>
  /** Streams the status of tracked items matching the filter bit set (0 = all). */
  statusAll: (filter: number, options?: AbortOptions) => AsyncGenerator<PinInfo>
  status: (cid: CID, options?: AbortOptions) => Promise<PinInfo>
  /** Re-queues every item in error, yielding the new status of each. */
  recoverAll: (options?: AbortOptions) => AsyncGenerator<PinInfo>
  recover: (cid: CID, options?: AbortOptions) => Promise<PinInfo>
  /** Number of pin operations in the queued phase. */
  pinQueueSize: (options?: AbortOptions) => Promise<number>
}
