/**
 * `allocator.balanced` section of service.json (config.md §13).
 */
import { InvalidConfigError } from '../../interface/errors.js'

/** The section as written in service.json. */
export interface BalancedJson {
  allocate_by?: string[] | null
}

/** Defaults as written by `init`. */
export const DEFAULTS: Readonly<{ allocate_by: readonly string[] }> = Object.freeze({
  allocate_by: Object.freeze(['tag:group', 'freespace'])
})

/** What the daemon uses when the section is absent (legacy compatibility). */
export const ABSENT_SECTION_ALLOCATE_BY: readonly string[] = Object.freeze(['freespace'])

/** The validated config in code form. */
export interface BalancedConfig {
  allocateBy: string[]
}

/** Parses the section: an empty or missing list keeps the default. Throws InvalidConfigError. */
export function fromJson (json: BalancedJson): Readonly<BalancedConfig> {
  const list = json.allocate_by
  if (list != null && !Array.isArray(list)) throw new InvalidConfigError('metricalloc.allocate_by is invalid')
  if (list != null && list.some((n) => typeof n !== 'string')) throw new InvalidConfigError('metricalloc.allocate_by is invalid')
  const allocateBy = list != null && list.length > 0 ? [...list] : [...DEFAULTS.allocate_by]
  return Object.freeze({ allocateBy })
}

/** Renders the section in Go's form. */
export function toJson (cfg: BalancedConfig): { allocate_by: string[] } {
  return { allocate_by: [...cfg.allocateBy] }
}
