import { partitionMetrics } from './partition.js'
import type { MetricsByName } from './partition.js'
import type { BalancedAllocatorComponents, BalancedAllocatorInit } from './index.js'
import type { MetricsSet, PinAllocator } from '../../interface/allocator.js'
import type { AbortOptions } from '../../interface/startable.js'
import type { PeerIdString } from '../../interface/types.js'
import type { Logger } from '@libp2p/interface'
import type { CID } from 'multiformats/cid'

/** The default `allocate_by`. */
export const DEFAULT_ALLOCATE_BY: readonly string[] = Object.freeze(['tag:group', 'freespace'])

/** Regroups peer → name → metric as name → metrics (the shape Go's allocator works on). */
function byName (set: MetricsSet): MetricsByName {
  const out: MetricsByName = new Map()
  for (const [peer, metrics] of set) {
    for (const [name, m] of metrics) {
      let list = out.get(name)
      if (list == null) {
        list = []
        out.set(name, list)
      }
      // the map key is authoritative for the peer
      list.push(m.peer === peer ? m : { ...m, peer })
    }
  }
  return out
}

/** Go `allocator/balanced.Allocator`. */
export class BalancedAllocator implements PinAllocator {
  private readonly allocateBy: string[]
  private readonly log?: Logger

  constructor (components: BalancedAllocatorComponents, init: BalancedAllocatorInit) {
    this.allocateBy = [...(init.allocateBy ?? DEFAULT_ALLOCATE_BY)]
    this.log = components.logger?.forComponent('cluster:allocator')
  }

  metrics (): string[] {
    return [...this.allocateBy]
  }

  async allocate (_cid: CID | undefined, _current: MetricsSet, candidates: MetricsSet, priority: MetricsSet, _options: AbortOptions = {}): Promise<PeerIdString[]> {
    if (this.allocateBy.length === 0) return []
    // the current set does not take part: those peers are kept by the caller
    const candidateTree = partitionMetrics(byName(candidates), this.allocateBy)
    const priorityTree = partitionMetrics(byName(priority), this.allocateBy)
    if (this.log?.enabled === true) this.log('Balanced allocator partitions:\n%s', candidateTree.toString())
    const first = priorityTree.sortedPeers()
    const last = candidateTree.sortedPeers()
    return [...first, ...last]
  }
}
