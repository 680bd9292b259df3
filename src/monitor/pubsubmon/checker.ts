/**
 * Failure detection (Go `monitor/metrics.Checker`, spec pinning-internals §7.3):
 * raises an alert when the latest metric of a (peer, name) has expired.
 */
import { AlertChannelFullError } from './errors.js'
import { expired } from './store.js'
import type { AlertQueue } from './alert-queue.js'
import type { MetricsStore } from './store.js'
import type { PeerIdString } from '../../interface/types.js'

/** Alerts actually emitted per failure streak. Go `MaxAlertThreshold`. */
export const MAX_ALERT_THRESHOLD = 1

/** Raise attempts after which a (peer, name) counter is cleared, so a dead peer re-alerts. */
export const ALERT_COUNTER_RESET = 300

export class Checker {
  private readonly store: MetricsStore
  private readonly queue: AlertQueue
  /** peer → metric name → raise attempts since the last valid metric. */
  private readonly failedPeers = new Map<PeerIdString, Map<string, number>>()

  constructor (store: MetricsStore, queue: AlertQueue) {
    this.store = store
    this.queue = queue
  }

  /**
   * One pass without a peerset (CRDT, Go `CheckAll`): for the latest metric of
   * every (name, peer) whose valid flag is set, alert if it has expired.
   * Throws AlertChannelFullError (the pass stops there).
   */
  checkAll (): void {
    for (const m of this.store.allMetrics()) {
      if (this.failedMetric(m.name, m.peer)) this.alert(m.peer, m.name)
    }
  }

  /** True when the latest metric of (peer, name) is expired, or there is none. */
  failedMetric (name: string, peer: PeerIdString): boolean {
    const latest = this.store.peerLatest(name, peer)
    // Go compares against a zero metric (expire 0), which is expired
    return latest == null || expired(latest)
  }

  /** Forgets the failure streak of (peer, name): the next failure alerts again. */
  resetAlerts (peer: PeerIdString, name: string): void {
    const failed = this.failedPeers.get(peer)
    if (failed == null) return
    failed.delete(name)
    if (failed.size === 0) this.failedPeers.delete(peer)
  }

  /** Go `Checker.alert`. Throws AlertChannelFullError. */
  alert (peer: PeerIdString, name: string): void {
    let failed = this.failedPeers.get(peer)
    if (failed == null) {
      failed = new Map()
      this.failedPeers.set(peer, failed)
    }
    const count = (failed.get(name) ?? 0) + 1
    failed.set(name, count)
    if (count > MAX_ALERT_THRESHOLD) {
      // already alerted for this streak; clear eventually so that it alerts again
      if (count >= ALERT_COUNTER_RESET) this.resetAlerts(peer, name)
      return
    }
    const last = this.store.peerLatest(name, peer) ??
      { name, peer, value: '', expire: 0n, valid: false, weight: 0n, partitionable: false, receivedAt: 0n }
    if (!this.queue.push({ ...last, triggeredAt: new Date() })) {
      throw new AlertChannelFullError()
    }
  }
}
