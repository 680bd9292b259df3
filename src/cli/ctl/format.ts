/** Text formats of the ctl (ctl spec §5), applied to normalised documents. */
import { ZERO_TIME } from '../../util/time.js'
import { goFixed, humanBytes, relTime } from './humanize.js'

type Json = Record<string, any>

const byteSort = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)
const sorted = (l: string[] | null | undefined): string[] => (l == null ? [] : [...l].sort(byteSort))

/** Go `%-<n>s`: pads to n code points, never truncates. */
export function padRight (s: string, n: number): string {
  let len = 0
  for (const _ of s) len++
  return len >= n ? s : s + ' '.repeat(n - len)
}

/** Go `%<n>s`. */
export function padLeft (s: string, n: number): string {
  let len = 0
  for (const _ of s) len++
  return len >= n ? s : ' '.repeat(n - len) + s
}

/** Error block (stdout) for an API error. */
export function formatError (code: number | bigint, message: string): string {
  return `An error occurred:\n  Code: ${code}\n  Message: ${message}\n`
}

/** ID block (`id`, each `peers ls` item). */
export function formatId (id: Json): string {
  if (id.error !== '') return `${id.id} | ERROR: ${id.error}\n`
  const peers = (id.cluster_peers ?? []).length as number
  let s = `${id.id} | ${id.peername} | Sees ${peers - 1} other peers\n  > Addresses:\n`
  for (const a of sorted(id.addresses)) s += `    - ${a}\n`
  if (id.ipfs.error !== '') return s + `  > IPFS ERROR: ${id.ipfs.error}\n`
  s += `  > IPFS: ${id.ipfs.id ?? ''}\n`
  for (const a of sorted(id.ipfs.addresses)) s += `    - ${a}\n`
  return s
}

/** Status block (`status`, `recover`, `pin add/rm/update`). A null CID prints as `b`, like Go's undefined CID. */
export function formatGlobalPinInfo (g: Json): string {
  let s = g.cid ?? 'b'
  if (g.name !== '') s += ` | ${g.name as string}`
  s += ':\n'
  const pm: Record<string, Json> = g.peer_map ?? {}
  for (const k of Object.keys(pm).sort(byteSort)) {
    const v = pm[k]
    const label = v.peername !== '' ? v.peername as string : k
    s += `    > ${padRight(label, 20)} : ${(v.status as string).toUpperCase()}`
    if (v.error !== '') s += `: ${v.error as string}`
    s += ` | ${v.timestamp as string} | Attempts: ${v.attempt_count as number} | Priority: ${String(v.priority_pin)}\n`
  }
  return s
}

/** `YYYY-MM-DD HH:MM:SS` of an RFC 3339 string in the offset it carries. */
function shortTime (t: string): string {
  return t.slice(0, 10) + ' ' + t.slice(11, 19)
}

/** Pin line (`pin ls`, `--no-status`). */
export function formatPin (p: Json): string {
  let t = (p.type as string).toUpperCase()
  if (p.mode === 'direct') t += '-DIRECT'
  let s = `${p.cid ?? 'b'} | ${p.name as string} | ${t} | `
  const min = p.replication_factor_min
  const max = p.replication_factor_max
  // compare loosely: the factors may be bigint when huge
  if (min == -1 && max == -1) { // eslint-disable-line eqeqeq
    s += 'Repl. Factor: -1 | Allocations: [everywhere]'
  } else {
    s += `Repl. Factor: ${min as number}--${max as number} | Allocations: [${sorted(p.allocations).join(' ')}]`
  }
  const d = p.max_depth
  s += d == 0 ? ' | Direct' : d == -1 ? ' | Recursive' : ` | Recursive-${d as number}` // eslint-disable-line eqeqeq
  s += p.metadata != null && Object.keys(p.metadata).length > 0 ? ' | Metadata: yes' : ' | Metadata: no'
  s += ` | Exp: ${p.expire_at === ZERO_TIME ? '∞' : shortTime(p.expire_at)}`
  s += ` | Added: ${p.timestamp === ZERO_TIME ? 'unknown' : shortTime(p.timestamp)}\n`
  return s
}

/** Version line. */
export function formatVersion (v: Json): string {
  return `${v.version as string}\n`
}

/** Current time in Unix nanoseconds. */
export function nowNs (): bigint {
  return BigInt(Date.now()) * 1_000_000n
}

/** RFC 3339 text → Unix nanoseconds (for relative times). */
export function timeToNs (t: string): bigint {
  const m = /^(.*?)(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:\d{2})$/.exec(t)
  if (m == null) return 0n
  const ms = Date.parse(m[1] + m[3])
  if (Number.isNaN(ms)) return 0n
  return BigInt(ms) * 1_000_000n + BigInt((m[2] ?? '').padEnd(9, '0'))
}

/** Metric line. */
export function formatMetric (m: Json, now: bigint = nowNs()): string {
  let v = m.value as string
  if (m.name === 'freespace' && BigInt(m.weight) > 0n) v = humanBytes(BigInt(m.weight))
  return `${m.peer as string} | ${m.name as string}: ${v} | Expires in: ${relTime(BigInt(m.expire), now)}\n`
}

/** Alert line. */
export function formatAlert (a: Json, now: bigint = nowNs()): string {
  return `${a.peer as string}: ${a.name as string}. Expired at: ${relTime(BigInt(a.expire), now)}. ` +
    `Triggered at: ${relTime(timeToNs(a.triggered_at), now)}\n`
}

/** Bandwidth lines, protocols sorted. */
export function formatBandwidth (b: Record<string, Json> | null): string {
  if (b == null) return ''
  let s = ''
  for (const k of Object.keys(b).sort(byteSort)) {
    const st = b[k]
    s += `${padLeft(k, 25)}: In: ${padLeft(humanBytes(BigInt(st.total_in)), 7)}. Out: ${padLeft(humanBytes(BigInt(st.total_out)), 7)}. ` +
      `RateIn: ${goFixed(st.rate_in, 2)}B/s. RateOut: ${goFixed(st.rate_out, 2)}B/s\n`
  }
  return s
}

/** `ipfs gc` report. */
export function formatRepoGC (g: Json): string {
  const pm: Record<string, Json> = g.peer_map ?? {}
  let s = ''
  for (const peer of Object.keys(pm).sort(byteSort)) {
    const item = pm[peer]
    const label = item.peername !== '' ? item.peername as string : peer
    s += item.error != null && item.error !== '' ? `${padRight(label, 15)} | ERROR: ${item.error as string}\n` : `${padRight(label, 15)}\n`
    s += '  > CIDs:\n'
    for (const key of item.keys ?? []) {
      s += key.error != null && key.error !== '' ? `    - ERROR: ${key.error as string}\n` : `    - ${key.key ?? 'b'}\n`
    }
  }
  return s
}

/** An `add` output line: `added <cid> <name>`, or only `<cid>` when quiet (undefined CIDs print as `b`, as Go). */
export function formatAddedOutput (o: Json, opts: { quiet?: boolean } = {}): string {
  const cid = (o.cid as string | null) ?? 'b'
  return opts.quiet === true ? `${cid}\n` : `added ${cid} ${String(o.name)}\n`
}
