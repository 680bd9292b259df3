/**
 * Disk informer (Go `informer/disk`, spec pinning-internals §6): publishes the
 * `freespace` (StorageMax − RepoSize) or `reposize` metric of the IPFS repository.
 * Config key: `informer.disk`.
 */
import { DiskInformer } from './disk.js'
import type { Informer } from '../../interface/informer.js'
import type { IPFSConnector } from '../../interface/ipfs-connector.js'
import type { ComponentLogger } from '@libp2p/interface'

export interface DiskInit {
  /** Metric lifetime in ms. @default 30_000 */
  metricTtl?: number
  /** Which metric to produce. @default 'freespace' */
  metricType?: 'freespace' | 'reposize'
}

export interface DiskComponents {
  ipfs: Pick<IPFSConnector, 'repoStat'>
  logger?: ComponentLogger
}

/**
 * Creates the disk informer. `name()` is the metric type. `getMetrics` returns one
 * metric; it is invalid when `repoStat` fails, when the repo is full (freespace), or
 * after `stop`.
 */
export function diskInformer (init: DiskInit = {}): (components: DiskComponents) => Informer {
  return (components) => new DiskInformer(components, init)
}
