import type { AbortOptions, Startable } from './startable.js'
import type { Metric } from './types.js'

/** An informer produces metrics about this peer (spec pinning-internals §6). */
export interface Informer extends Startable {
  /** Informer name as in service.json (`disk`, `tags`, `pinqueue`, `numpin`). */
  name: () => string
  /** At least one metric; invalid ones have `valid: false`. `peer` may be left ''. */
  getMetrics: (options?: AbortOptions) => Promise<Metric[]>
}
