/**
 * Duration parsing rules shared by the informer configs (config.md §2.3, §14).
 */
import { parseDuration } from '../util/duration.js'

/**
 * Go's lenient `t, _ := time.ParseDuration(s)`: a malformed or empty value becomes 0,
 * which the section's `validate` then rejects.
 */
export function lenientDuration (s: unknown): number {
  if (typeof s !== 'string') return 0
  try {
    return parseDuration(s)
  } catch {
    return 0
  }
}
