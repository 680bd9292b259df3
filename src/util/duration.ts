/**
 * Go `time.Duration` text: parse (`300ms`, `1.5h`, `2h45m`, `-1m`, `0`) and
 * format (`0s`, `250ms`, `1m0s`, `1h0m0s`) exactly as Go's `ParseDuration`/`String`.
 * Code works in milliseconds (numbers); exactness is kept through bigint nanoseconds.
 */

const UNITS: Record<string, bigint> = {
  ns: 1n,
  us: 1000n,
  'µs': 1000n,
  'μs': 1000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n
}

/** Thrown for malformed durations; message as Go's. */
export class InvalidDurationError extends Error {
  static name = 'InvalidDurationError'
  constructor (input: string) {
    super(`time: invalid duration "${input}"`)
    this.name = 'InvalidDurationError'
  }
}

/** Parses a Go duration into nanoseconds. Throws InvalidDurationError. */
export function parseDurationNs (input: string): bigint {
  let s = input
  let neg = false
  if (s.startsWith('-') || s.startsWith('+')) {
    neg = s[0] === '-'
    s = s.slice(1)
  }
  if (s === '0') return 0n
  if (s === '') throw new InvalidDurationError(input)
  let total = 0n
  const re = /^([0-9]*)(?:\.([0-9]*))?(ns|us|µs|μs|ms|s|m|h)/
  while (s !== '') {
    const m = re.exec(s)
    if (m == null || (m[1] === '' && (m[2] == null || m[2] === ''))) throw new InvalidDurationError(input)
    const unit = UNITS[m[3]]
    const whole = m[1] === '' ? 0n : BigInt(m[1])
    let frac = 0n
    if (m[2] != null && m[2] !== '') {
      const scale = 10n ** BigInt(m[2].length)
      frac = (BigInt(m[2]) * unit) / scale
    }
    total += whole * unit + frac
    s = s.slice(m[0].length)
  }
  return neg ? -total : total
}

/** Parses a Go duration into milliseconds. Throws InvalidDurationError. */
export function parseDuration (input: string): number {
  return Number(parseDurationNs(input)) / 1e6
}

function fmtFrac (v: bigint, prec: number): string {
  // v has `prec` decimal digits of fraction; print like Go (trailing zeros dropped)
  const scale = 10n ** BigInt(prec)
  const int = v / scale
  let frac = (v % scale).toString().padStart(prec, '0').replace(/0+$/, '')
  if (frac !== '') frac = '.' + frac
  return `${int}${frac}`
}

/** Formats nanoseconds as Go's `Duration.String()`. */
export function formatDurationNs (ns: bigint): string {
  if (ns === 0n) return '0s'
  const neg = ns < 0n
  const u = neg ? -ns : ns
  let out: string
  if (u < 1_000_000_000n) {
    if (u < 1000n) out = `${u}ns`
    else if (u < 1_000_000n) out = `${fmtFrac(u, 3)}µs`
    else out = `${fmtFrac(u, 6)}ms`
  } else {
    const h = u / 3_600_000_000_000n
    const rem = u % 3_600_000_000_000n
    const m = rem / 60_000_000_000n
    const sNs = rem % 60_000_000_000n
    out = ''
    if (h > 0n) out += `${h}h`
    if (h > 0n || m > 0n) out += `${m}m`
    out += `${fmtFrac(sNs, 9)}s`
  }
  return neg ? '-' + out : out
}

/** Formats milliseconds as Go's `Duration.String()`. */
export function formatDuration (ms: number): string {
  return formatDurationNs(BigInt(Math.round(ms * 1e6)))
}
