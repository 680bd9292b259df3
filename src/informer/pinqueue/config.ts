/**
 * `informer.pinqueue` section of service.json (config.md §14).
 */
import { InvalidConfigError } from '../../interface/errors.js'
import { formatDuration } from '../../util/duration.js'
import { lenientDuration } from '../config-util.js'

/** The section as written in service.json. */
export interface PinQueueJson {
  metric_ttl?: string
  weight_bucket_size?: number
}

/** Defaults as written by `init`. */
export const DEFAULTS: Readonly<Required<PinQueueJson>> = Object.freeze({
  metric_ttl: '30s',
  weight_bucket_size: 100000
})

/** The validated config in code form (ms durations). */
export interface PinQueueConfig {
  metricTtl: number
  weightBucketSize: number
}

/**
 * Parses the section like Go: the TTL leniently (bad or empty → 0 → invalid), the
 * bucket size copied verbatim (missing → 0, no bucketing). Throws InvalidConfigError.
 */
export function fromJson (json: PinQueueJson): Readonly<PinQueueConfig> {
  const problems: string[] = []
  const metricTtl = lenientDuration(json.metric_ttl)
  const weightBucketSize = typeof json.weight_bucket_size === 'number' ? Math.trunc(json.weight_bucket_size) : 0
  if (metricTtl <= 0) problems.push('pinqueue.metric_ttl is invalid')
  if (weightBucketSize < 0) problems.push('pinqueue.WeightBucketSize is invalid')
  if (problems.length > 0) throw new InvalidConfigError(problems)
  return Object.freeze({ metricTtl, weightBucketSize })
}

/** Renders the section in Go's form. */
export function toJson (cfg: PinQueueConfig): Required<PinQueueJson> {
  return { metric_ttl: formatDuration(cfg.metricTtl), weight_bucket_size: cfg.weightBucketSize }
}
