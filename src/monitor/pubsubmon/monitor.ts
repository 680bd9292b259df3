import { setTimeout as sleep } from 'node:timers/promises'
import { AlertQueue } from './alert-queue.js'
import { Checker } from './checker.js'
import { decodeMetric, encodeMetric } from './codec.js'
import { discard, MetricsStore } from './store.js'
import type { PubsubMonitorComponents, PubsubMonitorInit } from './index.js'
import type { PeerMonitor } from '../../interface/peer-monitor.js'
import type { AbortOptions } from '../../interface/startable.js'
import type { Alert, Metric, PeerIdString } from '../../interface/types.js'
import type { Logger } from '@libp2p/interface'

/** Go `monitor/pubsubmon.Monitor`, without a peerset filter (CRDT behaviour). */
export class PubsubMonitor implements PeerMonitor {
  private readonly components: PubsubMonitorComponents
  private readonly checkInterval: number
  private readonly log: Logger & { warn?: (fmt: string, ...args: any[]) => void }
  private readonly store = new MetricsStore()
  private readonly queue = new AlertQueue()
  private readonly checker = new Checker(this.store, this.queue)
  private controller?: AbortController
  private loop?: Promise<void>
  private legacyWarned = false

  constructor (components: PubsubMonitorComponents, init: PubsubMonitorInit) {
    this.components = components
    this.checkInterval = init.checkInterval ?? 15_000
    this.log = components.logger.forComponent('cluster:monitor')
  }

  start (): void {
    if (this.controller != null) return
    this.queue.open()
    const controller = new AbortController()
    this.controller = controller
    this.loop = this.watch(controller.signal)
  }

  async stop (): Promise<void> {
    const controller = this.controller
    if (controller == null) return
    this.controller = undefined
    controller.abort()
    await this.loop
    this.loop = undefined
    this.queue.close()
  }

  /** Go `Checker.Watch` without a peerset function: `checkAll` every interval. */
  private async watch (signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        await sleep(this.checkInterval, undefined, { signal })
      } catch {
        return
      }
      try {
        this.checker.checkAll()
      } catch (err: any) {
        // the alert buffer is full: the pass stops, the next one retries
        this.log('check pass stopped: %e', err)
      }
    }
  }

  async logMetric (metric: Metric, _options: AbortOptions = {}): Promise<void> {
    const stored = this.store.add(metric)
    this.log.trace('logged metric %s of %s: %s', stored.name, stored.peer, stored.value)
    // a fresh valid metric ends the failure streak of (peer, name)
    if (!discard(stored)) this.checker.resetAlerts(stored.peer, stored.name)
  }

  async publishMetric (metric: Metric, options: AbortOptions = {}): Promise<void> {
    if (discard(metric)) {
      this.logWarn('discarding invalid metric: %s of %s', metric.name, metric.peer)
      return
    }
    // informers leave the peer empty; a published metric is always about this peer
    const data = encodeMetric(metric.peer === '' ? { ...metric, peer: this.components.peerId } : metric)
    // the publisher stores its own metric through the receive path, as the Go
    // peer does when pubsub delivers its own message back
    await this.receive(data)
    if (this.components.publish != null) {
      options.signal?.throwIfAborted()
      await this.components.publish(data)
    }
  }

  /**
   * Handles a payload received on the `monitor.metrics` topic: decodes it (also in
   * the legacy multicodec wrapping) and stores it. Undecodable payloads are logged
   * and dropped, as in Go.
   */
  async handleMessage (data: Uint8Array): Promise<void> {
    try {
      await this.receive(data)
    } catch (err: any) {
      this.log.error('dropping metric message: %e', err)
    }
  }

  private async receive (data: Uint8Array): Promise<void> {
    const { metric, legacy } = decodeMetric(data)
    if (legacy && !this.legacyWarned) {
      this.legacyWarned = true
      this.logWarn('Peers in versions <= v0.13.3 detected. These peers will not receive metrics from this or other newer peers. Please upgrade them.')
    }
    const known = this.store.peerLatest(metric.name, metric.peer)
    const joined = metric.name === 'ping' && metric.peer !== this.components.peerId && !discard(metric) &&
      (known == null || discard(known))
    await this.logMetric(metric)
    if (joined) this.components.onNewPeer?.(metric.peer)
  }

  async latestMetrics (name: string, _options: AbortOptions = {}): Promise<Metric[]> {
    return this.store.latestValid(name)
  }

  latestForPeer (name: string, peer: PeerIdString): Metric | undefined {
    return this.store.peerLatest(name, peer)
  }

  async metricNames (_options: AbortOptions = {}): Promise<string[]> {
    return this.store.metricNames()
  }

  alerts (): AsyncIterable<Alert> {
    return this.queue.iterate()
  }

  private logWarn (fmt: string, ...args: any[]): void {
    if (typeof this.log.warn === 'function') this.log.warn(fmt, ...args)
    else this.log(fmt, ...args)
  }
}
