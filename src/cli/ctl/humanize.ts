/**
 * go-humanize v1.0.1 `Bytes` (SI units) and `Time` (relative time), as the
 * ctl prints them in metric, alert and bandwidth lines.
 */

const SIZES = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB']

/**
 * Go's `%.<digits>f`: correctly rounded, ties to even on the exact binary value
 * (JS `toFixed` breaks exact ties upwards, e.g. 12.5 → "13" where Go prints "12").
 */
export function goFixed (x: number, digits: number): string {
  const fixed = x.toFixed(digits)
  // exact decimal expansion of the double; a tie is "…5000…" right after the cut
  const exact = Math.abs(x).toFixed(100)
  const dot = exact.indexOf('.')
  const rest = exact.slice(dot + 1 + digits)
  if (!/^50*$/.test(rest)) return fixed
  const down = Math.abs(x).toFixed(100).slice(0, digits === 0 ? dot : dot + 1 + digits)
  const lastDigit = Number(down[down.length - 1])
  if (lastDigit % 2 === 0) return (x < 0 ? '-' : '') + down
  return fixed
}

/** `humanize.Bytes`: `0 B`, `999 B`, `1.0 kB`, `54 GB`. */
export function humanBytes (n: number | bigint): string {
  const v = typeof n === 'bigint' ? n : BigInt(Math.trunc(n))
  if (v < 10n) return `${v} B`
  // integer exponent: avoids float log rounding at exact powers of 1000
  let e = 0
  let p = 1n
  while (e < SIZES.length - 1 && p * 1000n <= v) {
    p *= 1000n
    e++
  }
  const val = Math.floor(Number(v) / Number(p) * 10 + 0.5) / 10
  return `${goFixed(val, val < 10 ? 1 : 0)} ${SIZES[e]}`
}

const SECOND = 1_000_000_000n
const MINUTE = 60n * SECOND
const HOUR = 60n * MINUTE
const DAY = 24n * HOUR
const WEEK = 7n * DAY
const MONTH = 30n * DAY
const YEAR = 12n * MONTH
const LONG_TIME = 37n * YEAR

/** [bound, format, divisor]: the first row whose bound exceeds the difference wins. */
const MAGNITUDES: Array<[bigint, string, bigint]> = [
  [SECOND, 'now', SECOND],
  [2n * SECOND, '1 second %s', 1n],
  [MINUTE, '%d seconds %s', SECOND],
  [2n * MINUTE, '1 minute %s', 1n],
  [HOUR, '%d minutes %s', MINUTE],
  [2n * HOUR, '1 hour %s', 1n],
  [DAY, '%d hours %s', HOUR],
  [2n * DAY, '1 day %s', 1n],
  [WEEK, '%d days %s', DAY],
  [2n * WEEK, '1 week %s', 1n],
  [MONTH, '%d weeks %s', WEEK],
  [2n * MONTH, '1 month %s', 1n],
  [YEAR, '%d months %s', MONTH],
  [18n * MONTH, '1 year %s', 1n],
  [2n * YEAR, '2 years %s', 1n],
  [LONG_TIME, '%d years %s', YEAR],
  [(1n << 63n) - 1n, 'a long while %s', 1n]
]

/**
 * `humanize.Time`: the distance between `thenNs` and `nowNs` (Unix nanoseconds)
 * as `3 seconds ago` / `24 seconds from now` / `now`.
 */
export function relTime (thenNs: bigint, nowNs: bigint): string {
  let label = 'ago'
  let diff = nowNs - thenNs
  if (thenNs > nowNs) {
    label = 'from now'
    diff = thenNs - nowNs
  }
  const row = MAGNITUDES.find(([bound]) => bound > diff) ?? MAGNITUDES[MAGNITUDES.length - 1]
  const [, fmt, div] = row
  return fmt.replace('%d', String(diff / div)).replace('%s', label)
}
