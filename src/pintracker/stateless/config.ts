/**
 * `pin_tracker.stateless` section of service.json (config.md §11).
 */
import { InvalidConfigError } from '../../interface/errors.js'
import { formatDuration, parseDuration } from '../../util/duration.js'
import type { StatelessInit } from './index.js'

/** The section as written in service.json. */
export interface StatelessJson {
  /** Omitted when default. */
  max_pin_queue_size?: number
  concurrent_pins?: number
  priority_pin_max_age?: string
  priority_pin_max_retries?: number
}

/** Defaults (Go `stateless.Default*`). */
export const DEFAULTS = Object.freeze({
  max_pin_queue_size: 1_000_000,
  concurrent_pins: 10,
  priority_pin_max_age: '24h0m0s',
  priority_pin_max_retries: 5
})

/** Environment variables of the section (Go `CLUSTER_STATELESS_*`). */
export const ENV_KEYS: Readonly<Record<keyof StatelessJson, string>> = Object.freeze({
  max_pin_queue_size: 'CLUSTER_STATELESS_MAXPINQUEUESIZE',
  concurrent_pins: 'CLUSTER_STATELESS_CONCURRENTPINS',
  priority_pin_max_age: 'CLUSTER_STATELESS_PRIORITYPINMAXAGE',
  priority_pin_max_retries: 'CLUSTER_STATELESS_PRIORITYPINMAXRETRIES'
})

/** Every problem of a config; [] when valid. Messages as Go's `Validate`. */
export function validate (cfg: Required<StatelessInit>): string[] {
  const problems: string[] = []
  if (!(cfg.maxPinQueueSize > 0)) problems.push('statelesstracker.max_pin_queue_size too low')
  if (!(cfg.concurrentPins > 0)) problems.push('statelesstracker.concurrent_pins is too low')
  if (!(cfg.priorityPinMaxAge > 0)) problems.push('statelesstracker.priority_pin_max_age is too low')
  if (!(cfg.priorityPinMaxRetries > 0)) problems.push('statelesstracker.priority_pin_max_retries is too low')
  return problems
}

/**
 * Parses the section like Go: zero numbers and empty durations keep the defaults.
 * Throws InvalidConfigError listing every problem.
 */
export function fromJson (json: StatelessJson): Readonly<Required<StatelessInit>> {
  const problems: string[] = []
  const int = (v: number | undefined, d: number): number => (v == null || v === 0 ? d : v)
  let priorityPinMaxAge = parseDuration(DEFAULTS.priority_pin_max_age)
  if (json.priority_pin_max_age != null && json.priority_pin_max_age !== '') {
    try {
      priorityPinMaxAge = parseDuration(json.priority_pin_max_age)
    } catch (err: any) {
      problems.push(`error parsing stateless.priority_pin_max_age: ${String(err.message)}`)
    }
  }
  const cfg = {
    maxPinQueueSize: int(json.max_pin_queue_size, DEFAULTS.max_pin_queue_size),
    concurrentPins: int(json.concurrent_pins, DEFAULTS.concurrent_pins),
    priorityPinMaxAge,
    priorityPinMaxRetries: int(json.priority_pin_max_retries, DEFAULTS.priority_pin_max_retries)
  }
  problems.push(...validate(cfg))
  if (problems.length > 0) throw new InvalidConfigError(problems)
  return Object.freeze(cfg)
}

/** Renders the section in Go's key order (`max_pin_queue_size` only when not default). */
export function toJson (cfg: Required<StatelessInit>): StatelessJson {
  const out: StatelessJson = {}
  if (cfg.maxPinQueueSize !== DEFAULTS.max_pin_queue_size) out.max_pin_queue_size = cfg.maxPinQueueSize
  out.concurrent_pins = cfg.concurrentPins
  out.priority_pin_max_age = formatDuration(cfg.priorityPinMaxAge)
  out.priority_pin_max_retries = cfg.priorityPinMaxRetries
  return out
}
