/**
 * Go `time.Time` text (RFC 3339 with nanoseconds, trailing zeros trimmed, `Z` for
 * UTC else `±hh:mm`). The zero time `0001-01-01T00:00:00Z` is `undefined` in code.
 */

export const ZERO_TIME = '0001-01-01T00:00:00Z'

const pad = (n: number, w = 2): string => String(n).padStart(w, '0')

function offsetString (offsetMin: number): string {
  if (offsetMin === 0) return 'Z'
  const sign = offsetMin > 0 ? '+' : '-'
  const a = Math.abs(offsetMin)
  return `${sign}${pad(Math.floor(a / 60))}:${pad(a % 60)}`
}

/**
 * Formats a time as RFC 3339 nano in the process' local zone (as the Go server does).
 * `undefined` → zero time. With `{ seconds: true }` the fraction is dropped
 * (times read back from the pinset have second precision).
 */
export function formatTime (d: Date | undefined, opts: { seconds?: boolean, utc?: boolean } = {}): string {
  if (d == null || Number.isNaN(d.getTime())) return ZERO_TIME
  const offset = opts.utc === true ? 0 : -d.getTimezoneOffset()
  const local = new Date(d.getTime() + offset * 60_000)
  const ms = local.getUTCMilliseconds()
  let frac = ''
  if (opts.seconds !== true && ms !== 0) frac = '.' + pad(ms, 3).replace(/0+$/, '')
  return `${pad(local.getUTCFullYear(), 4)}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}T` +
    `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}${frac}${offsetString(offset)}`
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:\d{2})$/

/** Thrown for text that is not RFC 3339. */
export class InvalidTimeError extends Error {
  static name = 'InvalidTimeError'
  constructor (input: string) {
    super(`parsing time "${input}" as "2006-01-02T15:04:05Z07:00": cannot parse "${input}" as "2006"`)
    this.name = 'InvalidTimeError'
  }
}

/** Parses RFC 3339 (any fraction length). The zero time and Unix 0 give `undefined`. */
export function parseTime (s: string): Date | undefined {
  const m = RFC3339.exec(s)
  if (m == null) throw new InvalidTimeError(s)
  const [, y, mo, d, h, mi, se, frac, zone] = m
  const ms = frac == null ? 0 : Math.floor(Number(frac.padEnd(9, '0')) / 1e6)
  let t = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(se), ms)
  if (Number(y) < 100) {
    const dt = new Date(t)
    dt.setUTCFullYear(Number(y))
    t = dt.getTime()
  }
  if (zone !== 'Z' && zone !== 'z') {
    const sign = zone[0] === '-' ? -1 : 1
    t -= sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))) * 60_000
  }
  if (Number(y) <= 1 || t === 0) return undefined
  return new Date(t)
}

/**
 * Re-renders an RFC 3339 string in Go's RFC3339Nano form keeping its offset
 * (what a Go client prints after decoding and re-encoding a time).
 */
export function normalizeTimeString (s: string): string {
  const m = RFC3339.exec(s)
  if (m == null) return s
  const [, y, mo, d, h, mi, se, frac, zone] = m
  const f = frac == null ? '' : frac.replace(/0+$/, '')
  const z = zone === 'z' || zone === 'Z' || zone === '+00:00' || zone === '-00:00' ? 'Z' : zone
  return `${y}-${mo}-${d}T${h}:${mi}:${se}${f === '' ? '' : '.' + f}${z}`
}

/** Current time as Unix nanoseconds. */
export function nowNs (): bigint {
  return BigInt(Date.now()) * 1_000_000n
}
