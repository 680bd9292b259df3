/**
 * The allocation decision (Go `Cluster.allocate`, `filterMetrics` and
 * `obtainAllocations` in `allocate.go`; spec pinning-internals §4), as a pure
 * function the orchestrator calls with the monitor's latest metrics.
 */
import { AllocationError } from '../interface/errors.js'
import type { MetricsSet, PinAllocator } from '../interface/allocator.js'
import type { AbortOptions } from '../interface/startable.js'
import type { Metric, PeerIdString } from '../interface/types.js'
import type { ComponentLogger, Logger } from '@libp2p/interface'
import type { CID } from 'multiformats/cid'

/**
 * The replication factors cannot be allocated (rmin + rmax = 0). Message as Go's
 * `bad replication factors: <min>/<max>`.
 */
export class BadReplicationFactorsError extends Error {
  static name = 'BadReplicationFactorsError'
  constructor (message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'BadReplicationFactorsError'
  }
}

export interface AllocateArgs extends AbortOptions {
  /** The CID to allocate; undefined for a block allocation (Go `BlockAllocate` passes `cid.Undef`). */
  cid: CID | undefined
  /** Allocations of the existing pin ([] for a new pin). */
  currentAllocations: PeerIdString[]
  rmin: number
  rmax: number
  /** Peers never to allocate to. */
  blacklist: PeerIdString[]
  /** Preferred peers (user allocations). */
  priorityList: PeerIdString[]
  /** For each of `allocator.metrics()`, the monitor's `latestMetrics(name)`. */
  metricsByName: Map<string, Metric[]>
  allocator: PinAllocator
  isTrusted: (peer: PeerIdString) => boolean
  pinOnlyOnTrustedPeers: boolean
  pinOnlyOnUntrustedPeers: boolean
  /** Receives the "not enough peers" details (Go logs them under `cluster`). */
  logger?: ComponentLogger
}

/** A group of classified peers: their metrics and their order. */
interface Group {
  set: MetricsSet
  peers: PeerIdString[]
}

/** Message of the "not enough peers" error (kept verbatim from Go). */
export function notEnoughPeersMessage (needed: number, wanted: number, available: number): string {
  return 'not enough peers to allocate CID. ' +
    `Needed at least: ${needed}. ` +
    `Wanted at most: ${wanted}. ` +
    `Available candidates: ${available}. ` +
    'See logs for more info.'
}

function allocationError (log: Logger | undefined, cid: CID | undefined, needed: number, wanted: number, candidates: PeerIdString[]): AllocationError {
  log?.error('Not enough candidates to allocate %s:', cid?.toString() ?? '')
  log?.error('  Needed: %d', needed)
  log?.error('  Wanted: %d', wanted)
  log?.error('  Available candidates: %d:', candidates.length)
  for (const c of candidates) log?.error('    - %s', c)
  return new AllocationError(notEnoughPeersMessage(needed, wanted, candidates.length))
}

/**
 * Keeps, in `order`, the peers that have exactly one metric for each of `names`
 * (a peer missing any metric is ignored entirely).
 */
function fillGroup (byPeer: Map<PeerIdString, Metric[]>, order: PeerIdString[], names: string[]): Group {
  const set: MetricsSet = new Map()
  const peers: PeerIdString[] = []
  for (const peer of order) {
    const metrics = byPeer.get(peer)
    if (metrics == null) continue
    const byName = new Map<string, Metric>()
    let complete = metrics.length === names.length
    for (const m of metrics) {
      if (byName.has(m.name)) complete = false
      byName.set(m.name, m)
    }
    if (!complete || names.some((n) => !byName.has(n))) continue
    set.set(peer, byName)
    peers.push(peer)
  }
  return { set, peers }
}

/**
 * Returns the allocations for `cid`: `[]` means "everywhere" (rmin and rmax < 0);
 * the original `currentAllocations` when at least rmin of them are still healthy;
 * the first rmax healthy current peers when over-allocated; otherwise the healthy
 * current peers followed by up to `rmax − current` peers in allocator order.
 * Throws BadReplicationFactorsError when rmin + rmax = 0, AllocationError
 * (`not enough peers to allocate CID. …`) when fewer than rmin peers can be had.
 */
export async function allocate (args: AllocateArgs): Promise<PeerIdString[]> {
  const { cid, rmin, rmax, allocator } = args
  const log = args.logger?.forComponent('cluster')

  if (rmin + rmax === 0) {
    throw new BadReplicationFactorsError(`bad replication factors: ${rmin}/${rmax}`)
  }
  if (rmin < 0 && rmax < 0) return [] // everywhere

  const current = args.currentAllocations
  const names = allocator.metrics()
  const uniqueNames = [...new Set(names)]

  // classify every metric, first matching rule wins (Go filterMetrics)
  const blacklist = new Set(args.blacklist)
  const currentSet = new Set(current)
  const prioritySet = new Set(args.priorityList)
  const curMap = new Map<PeerIdString, Metric[]>()
  const prioMap = new Map<PeerIdString, Metric[]>()
  const candMap = new Map<PeerIdString, Metric[]>()
  const candOrder: PeerIdString[] = []
  const push = (map: Map<PeerIdString, Metric[]>, m: Metric): boolean => {
    const list = map.get(m.peer)
    if (list == null) {
      map.set(m.peer, [m])
      return true
    }
    list.push(m)
    return false
  }
  for (const name of uniqueNames) {
    for (const m of args.metricsByName.get(name) ?? []) {
      // only metrics of the requested name count towards that name
      if (m.name !== name) continue
      const p = m.peer
      if (blacklist.has(p)) continue
      if (args.pinOnlyOnTrustedPeers && !args.isTrusted(p)) continue
      if (args.pinOnlyOnUntrustedPeers && args.isTrusted(p)) continue
      if (currentSet.has(p)) push(curMap, m)
      else if (prioritySet.has(p)) push(prioMap, m)
      else if (push(candMap, m)) candOrder.push(p)
    }
  }
  // group orders: current as allocated (so trimming keeps the first ones),
  // priority as the user listed them, candidates as first seen
  const cur = fillGroup(curMap, [...currentSet], uniqueNames)
  const prio = fillGroup(prioMap, [...prioritySet], uniqueNames)
  const cand = fillGroup(candMap, candOrder, uniqueNames)

  // decide (Go obtainAllocations)
  const nCurrent = cur.peers.length
  const nAvail = prio.peers.length + cand.peers.length
  const needed = rmin - nCurrent
  const wanted = rmax - nCurrent
  log?.('allocate %s: current %d, available %d, needed %d, wanted %d', cid?.toString() ?? '', nCurrent, nAvail, needed, wanted)

  if (wanted < 0) {
    // over-allocated: drop some current peers
    return cur.peers.slice(0, Math.max(0, nCurrent + wanted))
  }
  if (needed <= 0) {
    // enough healthy current peers: leave the allocations as they were
    return [...current]
  }
  if (nAvail < needed) {
    throw allocationError(log, cid, needed, wanted, [...prio.peers, ...cand.peers])
  }

  const finalAllocs = await allocator.allocate(cid, cur.set, cand.set, prio.set, { signal: args.signal })
  if (finalAllocs.length < needed) {
    throw allocationError(log, cid, needed, wanted, finalAllocs)
  }
  return [...cur.peers, ...finalAllocs.slice(0, Math.min(wanted, finalAllocs.length))]
}
