import { newMetric, invalidMetric } from '../metric.js'
import type { DiskComponents, DiskInit } from './index.js'
import type { Informer } from '../../interface/informer.js'
import type { AbortOptions } from '../../interface/startable.js'
import type { Metric } from '../../interface/types.js'
import type { Logger } from '@libp2p/interface'

/** Go `informer/disk.Informer`: free space or repository size of the IPFS repo. */
export class DiskInformer implements Informer {
  private readonly components: DiskComponents
  private readonly metricTtl: number
  private readonly metricType: 'freespace' | 'reposize'
  private readonly log?: Logger
  private stopped = false

  constructor (components: DiskComponents, init: DiskInit) {
    this.components = components
    this.metricTtl = init.metricTtl ?? 30_000
    this.metricType = init.metricType ?? 'freespace'
    this.log = components.logger?.forComponent('cluster:diskinfo')
  }

  name (): string {
    return this.metricType
  }

  start (): void {
    this.stopped = false
  }

  stop (): void {
    // as Go's Shutdown, which drops the RPC client: metrics become invalid
    this.stopped = true
  }

  async getMetrics (options: AbortOptions = {}): Promise<Metric[]> {
    if (this.stopped) return [invalidMetric(this.name())]

    let value = ''
    let weight = 0n
    let valid = true
    try {
      const stat = await this.components.ipfs.repoStat(options)
      const size = BigInt(stat.repoSize)
      const total = BigInt(stat.storageMax)
      if (this.metricType === 'freespace') {
        if (size < total) {
          weight = total - size
        } else {
          // no underflow: a full repo stops being an allocation candidate
          weight = 0n
          valid = false
          this.log?.error('reported freespace is 0')
        }
        value = weight.toString()
      } else {
        // smaller repositories are preferred
        weight = -size
        value = size.toString()
      }
    } catch (err: any) {
      this.log?.error('repo stat failed: %e', err)
      valid = false
    }
    return [newMetric({ name: this.name(), value, valid, weight, partitionable: false }, this.metricTtl)]
  }
}
