/**
 * Bytes in and out of the cluster host per libp2p protocol (Go's libp2p
 * `BandwidthCounter`, shown by `health bandwidth`): a js-libp2p `Metrics` that
 * counts protocol streams and records no other metric.
 *
 * Inbound bytes are counted where the muxer hands them to the stream (`onData`),
 * not with a 'message' listener: a listener makes the stream emit data before the
 * protocol handler reads it, and that data would be lost to the handler.
 */
import type { BandwidthByProtocol } from '../interface/types.js'
import type { Metrics, Stream } from '@libp2p/interface'

/** Rates are updated every second. */
const TICK_MS = 1_000
/** EWMA weight of the last second (time constant of one tick), as go-flow-metrics' meters. */
const ALPHA = 1 - Math.exp(-1)

class Meter {
  total = 0
  rate = 0
  private lastTotal = 0

  tick (seconds: number): void {
    const instant = (this.total - this.lastTotal) / seconds
    this.lastTotal = this.total
    this.rate += (instant - this.rate) * ALPHA
  }
}

/** A metric object that records nothing (libp2p components register their own metrics). */
const ignored: any = new Proxy(function () {}, {
  get: () => ignored,
  apply: () => ignored
})

export class BandwidthCounter implements Metrics {
  private readonly meters = new Map<string, { in: Meter, out: Meter }>()
  private timer: ReturnType<typeof setInterval> | undefined
  private last = 0

  private meter (protocol: string): { in: Meter, out: Meter } {
    let m = this.meters.get(protocol)
    if (m == null) {
      m = { in: new Meter(), out: new Meter() }
      this.meters.set(protocol, m)
    }
    return m
  }

  start (): void {
    if (this.timer != null) return
    this.last = performance.now()
    this.timer = setInterval(() => { this.tick() }, TICK_MS)
    this.timer.unref()
  }

  stop (): void {
    clearInterval(this.timer)
    this.timer = undefined
  }

  private tick (): void {
    const now = performance.now()
    const seconds = Math.max((now - this.last) / 1000, 0.001)
    this.last = now
    for (const m of this.meters.values()) {
      m.in.tick(seconds)
      m.out.tick(seconds)
    }
  }

  trackMultiaddrConnection (): void {}

  trackProtocolStream (stream: Stream): void {
    if (stream.protocol == null || stream.protocol === '') return
    const m = this.meter(stream.protocol)
    const s = stream as Stream & { onData?: (data: { byteLength: number }) => void }
    const onData = s.onData
    if (typeof onData === 'function') {
      s.onData = function (data) {
        m.in.total += data.byteLength
        onData.call(this, data)
      }
    }
    const send = stream.send
    stream.send = function (data) {
      m.out.total += data.byteLength
      return send.call(this, data)
    }
  }

  /** Totals and rates per protocol (Go `BandwidthByProtocol`). */
  byProtocol (): BandwidthByProtocol {
    const out: BandwidthByProtocol = new Map()
    for (const [protocol, m] of this.meters) {
      out.set(protocol, { totalIn: BigInt(m.in.total), totalOut: BigInt(m.out.total), rateIn: m.in.rate, rateOut: m.out.rate })
    }
    return out
  }

  registerMetric (): any { return ignored }
  registerMetricGroup (): any { return ignored }
  registerCounter (): any { return ignored }
  registerCounterGroup (): any { return ignored }
  registerHistogram (): any { return ignored }
  registerHistogramGroup (): any { return ignored }
  registerSummary (): any { return ignored }
  registerSummaryGroup (): any { return ignored }
  traceFunction<F> (_name: string, fn: F): F { return fn }
  createTrace (): any { return undefined }
}
