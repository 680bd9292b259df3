/**
 * Pin queue informer (Go `informer/pinqueue`, spec pinning-internals §6): publishes
 * the number of queued pins of the local tracker as the `pinqueue` metric, with a
 * weight that prefers shorter queues. Config key: `informer.pinqueue`.
 */
import { PinQueueInformer } from './pinqueue.js'
import type { Informer } from '../../interface/informer.js'
import type { ComponentLogger } from '@libp2p/interface'

export interface PinQueueInit {
  /** Metric lifetime in ms. @default 30_000 */
  metricTtl?: number
  /** The weight is −queued / weightBucketSize (truncated); 0 disables bucketing. @default 100_000 */
  weightBucketSize?: number
}

export interface PinQueueComponents {
  /** Number of pins in the tracker's queued phase (Go `PinTracker.PinQueueSize`). */
  pinQueueSize: () => Promise<number>
  logger?: ComponentLogger
}

/**
 * Creates the pinqueue informer. `getMetrics` returns one `pinqueue` metric, invalid
 * when `pinQueueSize` fails or after `stop`.
 */
export function pinQueueInformer (init: PinQueueInit = {}): (components: PinQueueComponents) => Informer {
  return (components) => new PinQueueInformer(components, init)
}
