/**
 * In-memory metrics store (Go `monitor/metrics.Store` + `Window`, spec
 * pinning-internals §7.2): per (name, peer) a window of the last 25 metrics.
 * Metrics are never purged.
 */
import { peerIdFromString } from '@libp2p/peer-id'
import { nowNs } from '../../util/time.js'
import type { Metric, PeerIdString } from '../../interface/types.js'

/** Metrics kept per (name, peer). Go `DefaultWindowCap`. */
export const WINDOW_CAP = 25

/** Go `Metric.Expired()`: now > expire (a zero expiry is expired). */
export function expired (m: Metric, now: bigint = nowNs()): boolean {
  return now > m.expire
}

/** Go `Metric.Discard()`: invalid or expired. */
export function discard (m: Metric, now: bigint = nowNs()): boolean {
  return !m.valid || expired(m, now)
}

const encoder = new TextEncoder()
const peerBytesCache = new Map<string, Uint8Array>()

/**
 * The raw bytes of a peer ID (its multihash), which is what Go compares when it
 * sorts `peer.ID`s. Strings that are not peer IDs sort by their UTF-8 bytes.
 */
function peerBytes (peer: string): Uint8Array {
  let b = peerBytesCache.get(peer)
  if (b == null) {
    try {
      b = peerIdFromString(peer).toMultihash().bytes
    } catch {
      b = encoder.encode(peer)
    }
    if (peerBytesCache.size > 10_000) peerBytesCache.clear()
    peerBytesCache.set(peer, b)
  }
  return b
}

/** Orders peers by their raw ID bytes (Go `MetricSlice.Less`). */
export function comparePeers (a: string, b: string): number {
  if (a === b) return 0
  return Buffer.compare(peerBytes(a), peerBytes(b))
}

/** Go `MetricSlice` order: by peer ID bytes, then by expiry. */
export function compareMetrics (a: Metric, b: Metric): number {
  const c = comparePeers(a.peer, b.peer)
  if (c !== 0) return c
  return a.expire < b.expire ? -1 : a.expire > b.expire ? 1 : 0
}

/** Stores metrics by name and peer. */
export class MetricsStore {
  private readonly byName = new Map<string, Map<PeerIdString, Metric[]>>()

  /** Adds a copy of `m` stamped with `receivedAt` = now; returns the stored metric. */
  add (m: Metric): Metric {
    const stored: Metric = { ...m, receivedAt: nowNs() }
    let byPeer = this.byName.get(m.name)
    if (byPeer == null) {
      byPeer = new Map()
      this.byName.set(m.name, byPeer)
    }
    let window = byPeer.get(m.peer)
    if (window == null) {
      window = []
      byPeer.set(m.peer, window)
    }
    window.push(stored)
    if (window.length > WINDOW_CAP) window.shift()
    return stored
  }

  /** Newest metric of `peer` for `name`, even if expired; undefined if none. */
  peerLatest (name: string, peer: PeerIdString): Metric | undefined {
    const window = this.byName.get(name)?.get(peer)
    return window == null ? undefined : latestOf(window)
  }

  /** Every stored metric of `peer` for `name`, newest first. */
  peerAll (name: string, peer: PeerIdString): Metric[] {
    return [...(this.byName.get(name)?.get(peer) ?? [])].reverse()
  }

  /** Per peer, the newest metric of `name` if valid and not expired; sorted by peer bytes then expiry. */
  latestValid (name: string): Metric[] {
    const byPeer = this.byName.get(name)
    if (byPeer == null) return []
    const now = nowNs()
    const out: Metric[] = []
    for (const window of byPeer.values()) {
      const m = latestOf(window)
      if (m == null || discard(m, now)) continue
      out.push(m)
    }
    return out.sort(compareMetrics)
  }

  /** Newest metric of every (name, peer) whose `valid` flag is set, even if expired (Go `AllMetrics`). */
  allMetrics (): Metric[] {
    const out: Metric[] = []
    for (const byPeer of this.byName.values()) {
      for (const window of byPeer.values()) {
        const m = latestOf(window)
        if (m != null && m.valid) out.push(m)
      }
    }
    return out
  }

  /** Every metric name ever stored, in order of first appearance. */
  metricNames (): string[] {
    return [...this.byName.keys()]
  }
}

/** Go `Window.Latest`: a metric without a name counts as no metric. */
function latestOf (window: Metric[]): Metric | undefined {
  const m = window[window.length - 1]
  return m == null || m.name === '' ? undefined : m
}
