/**
 * Number-of-pins informer (Go `informer/numpin`, spec pinning-internals §6): publishes
 * the count of recursive and direct IPFS pins as the `numpin` metric (weight 0).
 * Config key: `informer.numpin` (not registered by the daemon).
 */
import { NumPinInformer } from './numpin.js'
import type { Informer } from '../../interface/informer.js'
import type { IPFSConnector } from '../../interface/ipfs-connector.js'
import type { ComponentLogger } from '@libp2p/interface'

export interface NumPinInit {
  /** Metric lifetime in ms. @default 10_000 */
  metricTtl?: number
}

export interface NumPinComponents {
  ipfs: Pick<IPFSConnector, 'pinLs'>
  logger?: ComponentLogger
}

/**
 * Creates the numpin informer. `getMetrics` returns one `numpin` metric, invalid when
 * listing pins fails or after `stop`.
 */
export function numPinInformer (init: NumPinInit = {}): (components: NumPinComponents) => Informer {
  return (components) => new NumPinInformer(components, init)
}
