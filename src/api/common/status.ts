/** Tracker status filters (spec pinning-internals §1.3, rest-api §11.3). */
import { TRACKER_STATUS_BITS, TRACKER_STATUS_COMPOSITES } from '../../interface/types.js'
import type { TrackerStatus } from '../../interface/types.js'

/** Bit of a status. */
export function statusBit (s: TrackerStatus): number {
  return TRACKER_STATUS_BITS[s]
}

/**
 * Parses a comma list of status names into a bit set: spaces removed, unknown
 * names ignored, values OR-ed. Returns `{ filter, known }` where `known` tells
 * whether any name was recognised.
 */
export function parseStatusFilter (text: string): { filter: number, known: boolean } {
  let filter = 0
  let known = false
  for (const raw of text.replace(/\s/g, '').split(',')) {
    if (raw === '') continue
    const bit = (TRACKER_STATUS_BITS as Record<string, number>)[raw] ?? TRACKER_STATUS_COMPOSITES[raw]
    if (bit != null) {
      filter |= bit
      known = true
    }
  }
  return { filter, known }
}

/** A status matches a filter when the filter is 0, the status is 0, or they share a bit. */
export function statusMatch (status: TrackerStatus, filter: number): boolean {
  const b = TRACKER_STATUS_BITS[status]
  return filter === 0 || b === 0 || (b & filter) !== 0
}

/** Formats a filter: an exact name, or the comma list of matching single names. */
export function formatStatusFilter (filter: number): string {
  for (const [k, v] of Object.entries(TRACKER_STATUS_BITS)) if (v === filter) return k
  for (const [k, v] of Object.entries(TRACKER_STATUS_COMPOSITES)) if (v === filter) return k
  return Object.entries(TRACKER_STATUS_BITS).filter(([, v]) => v !== 0 && (v & filter) !== 0).map(([k]) => k).join(',')
}
