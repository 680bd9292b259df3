/**
 * Tags informer (Go `informer/tags`, spec pinning-internals §6): publishes one
 * partitionable `tag:<name>` metric per configured tag, so that the balanced
 * allocator can spread pins across groups. Config key: `informer.tags`.
 */
import { TagsInformer } from './tags.js'
import type { Informer } from '../../interface/informer.js'
import type { ComponentLogger } from '@libp2p/interface'

export interface TagsInit {
  /** Metric lifetime in ms. @default 30_000 */
  metricTtl?: number
  /** Tag name → value. @default { group: 'default' } */
  tags?: Record<string, string>
}

export interface TagsComponents {
  logger?: ComponentLogger
}

/**
 * Creates the tags informer. `getMetrics` returns a valid `tag:<name>` metric per tag
 * (weight 0, partitionable) or, with no tags, a single invalid `tag:none` metric.
 */
export function tagsInformer (init: TagsInit = {}): (components?: TagsComponents) => Informer {
  return (components = {}) => new TagsInformer(components, init)
}
