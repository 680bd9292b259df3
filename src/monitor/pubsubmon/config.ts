/**
 * `monitor.pubsubmon` section of service.json (config.md §12).
 */
import { InvalidConfigError } from '../../interface/errors.js'
import { formatDuration, parseDuration } from '../../util/duration.js'

/** The section as written in service.json (`failure_threshold` of old configs is ignored). */
export interface PubsubMonJson {
  check_interval?: string
  failure_threshold?: unknown
}

/** Defaults as written by `init`. */
export const DEFAULTS: Readonly<{ check_interval: string }> = Object.freeze({ check_interval: '15s' })

/** The validated config in code form (ms durations). */
export interface PubsubMonConfig {
  checkInterval: number
}

/**
 * Parses the section like Go: the interval leniently (unparsable or missing → 0),
 * then validation. Throws InvalidConfigError.
 */
export function fromJson (json: PubsubMonJson): Readonly<PubsubMonConfig> {
  let checkInterval = 0
  try {
    if (typeof json.check_interval === 'string') checkInterval = parseDuration(json.check_interval)
  } catch {
    checkInterval = 0
  }
  if (checkInterval <= 0) throw new InvalidConfigError('pubsubmon.check_interval too low')
  return Object.freeze({ checkInterval })
}

/** Renders the section in Go's form. */
export function toJson (cfg: PubsubMonConfig): { check_interval: string } {
  return { check_interval: formatDuration(cfg.checkInterval) }
}
