/**
 * `informer.numpin` section of service.json (config.md §14). The daemon never
 * registers this informer; the section exists for completeness.
 */
import { InvalidConfigError } from '../../interface/errors.js'
import { formatDuration } from '../../util/duration.js'
import { lenientDuration } from '../config-util.js'

/** The section as written in service.json. */
export interface NumPinJson {
  metric_ttl?: string
}

/** Defaults. */
export const DEFAULTS: Readonly<Required<NumPinJson>> = Object.freeze({ metric_ttl: '10s' })

/** The validated config in code form (ms durations). */
export interface NumPinConfig {
  metricTtl: number
}

/** Parses the section (lenient TTL, as Go). Throws InvalidConfigError. */
export function fromJson (json: NumPinJson): Readonly<NumPinConfig> {
  const metricTtl = lenientDuration(json.metric_ttl)
  // Go reports this section's error under the "disk" name; kept verbatim
  if (metricTtl <= 0) throw new InvalidConfigError('disk.metric_ttl is invalid')
  return Object.freeze({ metricTtl })
}

/** Renders the section in Go's form. */
export function toJson (cfg: NumPinConfig): Required<NumPinJson> {
  return { metric_ttl: formatDuration(cfg.metricTtl) }
}
