/**
 * `informer.tags` section of service.json (config.md §14).
 */
import { InvalidConfigError } from '../../interface/errors.js'
import { formatDuration, parseDuration } from '../../util/duration.js'

/** The section as written in service.json. */
export interface TagsJson {
  metric_ttl?: string
  tags?: Record<string, string> | null
}

/** Defaults as written by `init`. */
export const DEFAULTS: Readonly<{ metric_ttl: string, tags: Readonly<Record<string, string>> }> = Object.freeze({
  metric_ttl: '30s',
  tags: Object.freeze({ group: 'default' })
})

/** The validated config in code form (ms durations). */
export interface TagsConfig {
  metricTtl: number
  tags: Record<string, string>
}

/**
 * Parses the section like Go: an empty TTL keeps the default, a malformed one is an
 * error (`config.ParseDurations`); `tags` is copied verbatim (missing → no tags).
 * Throws InvalidConfigError.
 */
export function fromJson (json: TagsJson): Readonly<TagsConfig> {
  const problems: string[] = []
  let metricTtl = parseDuration(DEFAULTS.metric_ttl)
  if (typeof json.metric_ttl === 'string' && json.metric_ttl !== '') {
    try {
      metricTtl = parseDuration(json.metric_ttl)
    } catch (err: any) {
      problems.push(`error parsing tags.metric_ttl: ${String(err.message)}`)
    }
  }
  if (problems.length === 0 && metricTtl <= 0) problems.push('tags.metric_ttl is invalid')
  const tags: Record<string, string> = {}
  if (json.tags != null && typeof json.tags === 'object') {
    for (const [k, v] of Object.entries(json.tags)) {
      if (typeof v !== 'string') problems.push(`tags.tags.${k} must be a string`)
      else tags[k] = v
    }
  }
  if (problems.length > 0) throw new InvalidConfigError(problems)
  return Object.freeze({ metricTtl, tags: Object.freeze(tags) })
}

/** Renders the section in Go's form (map keys sorted, as Go's encoder does). */
export function toJson (cfg: TagsConfig): { metric_ttl: string, tags: Record<string, string> } {
  const tags: Record<string, string> = {}
  for (const k of Object.keys(cfg.tags).sort()) tags[k] = cfg.tags[k]
  return { metric_ttl: formatDuration(cfg.metricTtl), tags }
}
