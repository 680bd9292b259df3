import { newMetric } from '../metric.js'
import type { TagsComponents, TagsInit } from './index.js'
import type { Informer } from '../../interface/informer.js'
import type { Metric } from '../../interface/types.js'

/** Go `informer/tags.Informer`. */
export class TagsInformer implements Informer {
  private readonly metricTtl: number
  private readonly tags: Record<string, string>

  constructor (_components: TagsComponents, init: TagsInit) {
    this.metricTtl = init.metricTtl ?? 30_000
    this.tags = init.tags ?? { group: 'default' }
  }

  name (): string {
    return 'tags'
  }

  async getMetrics (): Promise<Metric[]> {
    const entries = Object.entries(this.tags)
    if (entries.length === 0) {
      // Go still returns one metric so that the informer "produces" something
      return [newMetric({ name: 'tag:none', value: '', valid: false, partitionable: true }, this.metricTtl)]
    }
    return entries.map(([name, value]) =>
      newMetric({ name: `tag:${name}`, value, valid: true, partitionable: true }, this.metricTtl))
  }
}
