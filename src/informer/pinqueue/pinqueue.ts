import { newMetric, invalidMetric } from '../metric.js'
import type { PinQueueComponents, PinQueueInit } from './index.js'
import type { Informer } from '../../interface/informer.js'
import type { Metric } from '../../interface/types.js'
import type { Logger } from '@libp2p/interface'

/** The metric name. */
export const PINQUEUE_METRIC = 'pinqueue'

/**
 * Weight of a queue length: smaller queues are preferred, so the weight is the
 * negated length, divided by the bucket size (truncating toward zero, as Go's
 * integer division) when the bucket size is positive.
 */
export function pinQueueWeight (queued: bigint, bucketSize: number): bigint {
  const weight = -queued
  // bigint division truncates toward zero, exactly like Go's int64 division
  return bucketSize > 0 ? weight / BigInt(Math.trunc(bucketSize)) : weight
}

/** Go `informer/pinqueue.Informer`. */
export class PinQueueInformer implements Informer {
  private readonly components: PinQueueComponents
  private readonly metricTtl: number
  private readonly weightBucketSize: number
  private readonly log?: Logger
  private stopped = false

  constructor (components: PinQueueComponents, init: PinQueueInit) {
    this.components = components
    this.metricTtl = init.metricTtl ?? 30_000
    this.weightBucketSize = init.weightBucketSize ?? 100_000
    this.log = components.logger?.forComponent('cluster:pinqueue')
  }

  name (): string {
    return PINQUEUE_METRIC
  }

  start (): void {
    this.stopped = false
  }

  stop (): void {
    this.stopped = true
  }

  async getMetrics (): Promise<Metric[]> {
    if (this.stopped) return [invalidMetric(PINQUEUE_METRIC)]

    let queued = 0n
    let valid = true
    try {
      queued = BigInt(Math.trunc(await this.components.pinQueueSize()))
    } catch (err: any) {
      this.log?.error('pin queue size failed: %e', err)
      valid = false
    }
    return [newMetric({
      name: PINQUEUE_METRIC,
      value: queued.toString(),
      valid,
      weight: pinQueueWeight(queued, this.weightBucketSize),
      partitionable: false
    }, this.metricTtl)]
  }
}
