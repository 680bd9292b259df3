/**
 * The partition tree of the balanced allocator (spec pinning-internals §5.1–§5.2,
 * Go `allocator/balanced`: `partitionMetrics`, `partitionValues`, `chooseNext`).
 */
import type { Metric, PeerIdString } from '../../interface/types.js'

/** Metrics grouped by name (Go `api.MetricsSet`). */
export type MetricsByName = Map<string, Metric[]>

interface Partition {
  value: string
  weight: bigint
  aggregatedWeight: bigint
  /** peer → already chosen. */
  peers: Map<PeerIdString, boolean>
  /** Partitions by the next metric, restricted to this partition's peers. */
  sub?: PartitionedMetric
}

/** One level of the tree: the partitions of a metric, with a round-robin cursor. */
export class PartitionedMetric {
  readonly metricName: string
  readonly partitions: Partition[]
  private cursor = 0
  private noMore = false

  constructor (metricName: string, partitions: Partition[]) {
    this.metricName = metricName
    this.partitions = partitions
  }

  /** The next peer in balanced order, or undefined when none is left. */
  chooseNext (): PeerIdString | undefined {
    const n = this.partitions.length
    if (n === 0 || this.noMore) return undefined
    for (let tried = 0; tried < n; tried++) {
      const part = this.partitions[this.cursor]
      let peer: PeerIdString | undefined
      if (part.sub != null) {
        peer = part.sub.chooseNext()
      } else {
        for (const [pid, used] of part.peers) {
          if (!used) {
            peer = pid
            part.peers.set(pid, true)
            break
          }
        }
      }
      // the cursor moves after every attempt, successful or not
      this.cursor = (this.cursor + 1) % n
      if (peer != null) return peer
    }
    this.noMore = true
    return undefined
  }

  /** The tree as indented text (Go `printPartition`), for debug logs. */
  toString (indent = 0): string {
    let out = ''
    for (const p of this.partitions) {
      const peers = [...p.peers].map(([pid, used]) => `${pid}|${String(used)}, `).join('')
      out += `${' '.repeat(indent + 2)} | ${this.metricName}:${p.value} - ${p.weight} - [${peers}]\n`
      if (p.sub != null) out += p.sub.toString(indent + 2)
    }
    return out
  }

  /** Every peer, in balanced order (Go `sortedPeers`). */
  sortedPeers (): PeerIdString[] {
    const out: PeerIdString[] = []
    for (let p = this.chooseNext(); p != null; p = this.chooseNext()) out.push(p)
    return out
  }
}

/**
 * Groups metrics of one name: a non-partitionable metric is its own partition,
 * partitionable ones are bucketed by value with summed weights.
 */
function partitionValues (metrics: Metric[]): Partition[] {
  const partitions: Partition[] = []
  const byValue = new Map<string, Partition>()
  for (const m of metrics) {
    if (!m.partitionable) {
      // equal values stay apart so that their weights are not summed
      partitions.push({ value: m.value, weight: m.weight, aggregatedWeight: m.weight, peers: new Map([[m.peer, false]]) })
      continue
    }
    const p = byValue.get(m.value)
    if (p != null) {
      p.peers.set(m.peer, false)
      p.weight += m.weight
      p.aggregatedWeight += m.weight
    } else {
      byValue.set(m.value, { value: m.value, weight: m.weight, aggregatedWeight: m.weight, peers: new Map([[m.peer, false]]) })
    }
  }
  partitions.push(...byValue.values())
  return partitions
}

/**
 * Weight descending, then aggregated weight descending, then value ascending as a
 * string (so "10" < "9", as Go compares strings by bytes).
 */
function comparePartitions (a: Partition, b: Partition): number {
  if (a.weight !== b.weight) return a.weight > b.weight ? -1 : 1
  if (a.aggregatedWeight !== b.aggregatedWeight) return a.aggregatedWeight > b.aggregatedWeight ? -1 : 1
  return Buffer.compare(Buffer.from(a.value), Buffer.from(b.value))
}

/** Builds the partition tree of `set` for the metric names `by` (non-empty). */
export function partitionMetrics (set: MetricsByName, by: string[]): PartitionedMetric {
  const [root, ...rest] = by
  const partitions = partitionValues(set.get(root) ?? [])
  if (rest.length > 0) {
    for (const part of partitions) {
      const filtered: MetricsByName = new Map()
      for (const [name, metrics] of set) {
        if (name === root) continue
        const kept = metrics.filter((m) => part.peers.has(m.peer))
        if (kept.length > 0) filtered.set(name, kept)
      }
      part.sub = partitionMetrics(filtered, rest)
      for (const sp of part.sub.partitions) part.aggregatedWeight += sp.aggregatedWeight
    }
  }
  partitions.sort(comparePartitions)
  return new PartitionedMetric(root, partitions)
}
