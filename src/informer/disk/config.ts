/**
 * `informer.disk` section of service.json (config.md §14).
 */
import { InvalidConfigError } from '../../interface/errors.js'
import { formatDuration } from '../../util/duration.js'
import { lenientDuration } from '../config-util.js'

export type DiskMetricType = 'freespace' | 'reposize'

/** The section as written in service.json. */
export interface DiskJson {
  metric_ttl?: string
  metric_type?: string
}

/** Defaults as written by `init`. */
export const DEFAULTS: Readonly<Required<DiskJson>> = Object.freeze({
  metric_ttl: '30s',
  metric_type: 'freespace'
})

/** The validated config in code form (ms durations). */
export interface DiskConfig {
  metricTtl: number
  metricType: DiskMetricType
}

/**
 * Parses the section like Go's `applyJSONConfig`: the TTL is parsed leniently
 * (bad or empty → 0 → invalid). Throws InvalidConfigError listing every problem.
 */
export function fromJson (json: DiskJson): Readonly<DiskConfig> {
  const problems: string[] = []
  const metricTtl = lenientDuration(json.metric_ttl)
  const metricType = json.metric_type
  if (metricType !== 'freespace' && metricType !== 'reposize') problems.push('disk.metric_type is invalid')
  if (metricTtl <= 0) problems.push('disk.metric_ttl is invalid')
  if (problems.length > 0) throw new InvalidConfigError(problems)
  return Object.freeze({ metricTtl, metricType: metricType as DiskMetricType })
}

/** Renders the section in Go's form. */
export function toJson (cfg: DiskConfig): Required<DiskJson> {
  return { metric_ttl: formatDuration(cfg.metricTtl), metric_type: cfg.metricType }
}
