import { newMetric, invalidMetric } from '../metric.js'
import type { NumPinComponents, NumPinInit } from './index.js'
import type { Informer } from '../../interface/informer.js'
import type { AbortOptions } from '../../interface/startable.js'
import type { Metric } from '../../interface/types.js'
import type { Logger } from '@libp2p/interface'

/** The metric name. */
export const NUMPIN_METRIC = 'numpin'

/** Go `informer/numpin.Informer`. */
export class NumPinInformer implements Informer {
  private readonly components: NumPinComponents
  private readonly metricTtl: number
  private readonly log?: Logger
  private stopped = false

  constructor (components: NumPinComponents, init: NumPinInit) {
    this.components = components
    this.metricTtl = init.metricTtl ?? 10_000
    this.log = components.logger?.forComponent('cluster:numpin')
  }

  name (): string {
    return NUMPIN_METRIC
  }

  start (): void {
    this.stopped = false
  }

  stop (): void {
    this.stopped = true
  }

  async getMetrics (options: AbortOptions = {}): Promise<Metric[]> {
    if (this.stopped) return [invalidMetric(NUMPIN_METRIC)]

    let n = 0
    let valid = true
    try {
      for await (const _ of this.components.ipfs.pinLs(['recursive', 'direct'], options)) n++
    } catch (err: any) {
      // as Go: the count so far is still reported, but marked invalid
      this.log?.error('pin ls failed: %e', err)
      valid = false
    }
    return [newMetric({ name: NUMPIN_METRIC, value: String(n), valid, partitionable: false }, this.metricTtl)]
  }
}
