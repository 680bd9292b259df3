/**
 * Balanced allocator (Go `allocator/balanced`, spec pinning-internals §5): orders
 * candidate peers by partitioning them on the `allocate_by` metrics in turn and
 * taking peers round-robin across partitions, heaviest first.
 * Config key: `allocator.balanced`.
 */
import { BalancedAllocator } from './balanced.js'
import type { PinAllocator } from '../../interface/allocator.js'
import type { ComponentLogger } from '@libp2p/interface'

export interface BalancedAllocatorInit {
  /** Metric names to partition by, in order. @default ['tag:group', 'freespace'] */
  allocateBy?: string[]
}

export interface BalancedAllocatorComponents {
  logger?: ComponentLogger
}

/**
 * Creates the allocator. `allocate` returns the priority peers in balanced order
 * followed by the candidate peers in balanced order; peers lacking a metric of
 * `allocateBy` never appear, and the current set is ignored.
 */
export function balancedAllocator (init: BalancedAllocatorInit = {}): (components?: BalancedAllocatorComponents) => PinAllocator {
  return (components = {}) => new BalancedAllocator(components, init)
}
