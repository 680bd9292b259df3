/**
 * urfave/cli v1 flags over Go's `flag` package: definitions, help strings and
 * the parser (one or two dashes, `-f=v`, `-f v`, `--` ends options, parsing
 * stops at the first positional argument).
 */
import { parseDurationNs } from '../../util/duration.js'

/** Flag value kinds the ctl uses (urfave BoolFlag, StringFlag, IntFlag, DurationFlag, StringSliceFlag). */
export type FlagKind = 'bool' | 'string' | 'int' | 'duration' | 'stringSlice'

/** A flag definition; `name` holds the comma-separated names, as urfave's `Name: "host, l"`. */
export interface FlagDef {
  name: string
  kind: FlagKind
  usage: string
  /** Default: string for string flags, number for int, ms for duration. */
  value?: string | number
  envVar?: string
}

/** Parsed values by every name of every flag. */
export type FlagValue = boolean | string | number | string[]

/** The result of parsing a flag set. */
export interface ParsedFlags {
  values: Map<string, FlagValue>
  /** Names given on the command line (all names of a flag once normalised). */
  visited: Set<string>
  args: string[]
}

/** A flag-parsing failure; the message is Go's `flag` package text. */
export class FlagParseError extends Error {
  static name = 'FlagParseError'
  constructor (message: string) {
    super(message)
    this.name = 'FlagParseError'
  }
}

/** The names of a flag, trimmed. */
export function flagNames (f: FlagDef): string[] {
  return f.name.split(',').map((n) => n.trim())
}

/** urfave's help flag, appended to apps and commands. */
export const HELP_FLAG: FlagDef = { name: 'help, h', kind: 'bool', usage: 'show help' }
/** urfave's version flag, appended to the root app. */
export const VERSION_FLAG: FlagDef = { name: 'version, v', kind: 'bool', usage: 'print the version' }

/** Go `strconv.Quote` for the ASCII strings used as defaults. */
function goQuote (s: string): string {
  return JSON.stringify(s)
}

/** urfave v1 `stringifyFlag`: `--host value, -l value\t<usage> (default: "…")`. */
export function flagHelp (f: FlagDef): string {
  const placeholder = f.kind === 'bool' ? '' : 'value'
  const names = flagNames(f).map((n) => (n.length === 1 ? '-' : '--') + n + (placeholder !== '' ? ' ' + placeholder : '')).join(', ')
  let def = ''
  if (f.kind === 'string' && f.value != null && f.value !== '') def = ` (default: ${goQuote(String(f.value))})`
  else if (f.kind === 'int') def = ` (default: ${f.value ?? 0})`
  else if (f.kind === 'duration') def = ` (default: ${formatMs(Number(f.value ?? 0))})`
  let s = `${names}\t${(f.usage + def).trim()}`
  if (f.envVar != null) s += ` [$${f.envVar}]`
  return s
}

function formatMs (ms: number): string {
  return ms === 0 ? '0s' : `${ms / 1000}s`
}

const TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True'])
const FALSE = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False'])

/** Go `strconv.ParseInt(s, 0, 64)` for the forms people type. */
function parseGoInt (s: string): number | undefined {
  const m = /^([+-]?)(0[xX][0-9a-fA-F_]+|0[oO]?[0-7_]+|0[bB][01_]+|[1-9][0-9_]*|0)$/.exec(s)
  if (m == null) return undefined
  let body = m[2].replace(/_/g, '')
  let n: number
  if (/^0[xX]/.test(body)) n = parseInt(body.slice(2), 16)
  else if (/^0[bB]/.test(body)) n = parseInt(body.slice(2), 2)
  else if (/^0[oO]/.test(body)) n = parseInt(body.slice(2), 8)
  else if (body.length > 1 && body.startsWith('0')) { body = body.slice(1); n = parseInt(body, 8) } else n = parseInt(body, 10)
  return m[1] === '-' ? -n : n
}

function defaultValue (f: FlagDef, env: NodeJS.ProcessEnv): FlagValue {
  const fromEnv = f.envVar != null ? env[f.envVar] : undefined
  switch (f.kind) {
    case 'bool': return false
    case 'string': return fromEnv ?? String(f.value ?? '')
    case 'int': return Number(f.value ?? 0)
    case 'duration': return Number(f.value ?? 0)
    case 'stringSlice': return fromEnv != null ? fromEnv.split(',').map((s) => s.trim()) : []
  }
}

/**
 * Parses `args` against `defs` like Go's `FlagSet.Parse` followed by urfave's
 * `normalizeFlags`. Throws FlagParseError with Go's message.
 */
export function parseFlags (defs: FlagDef[], args: string[], env: NodeJS.ProcessEnv = {}): ParsedFlags {
  const byName = new Map<string, FlagDef>()
  const values = new Map<string, FlagValue>()
  for (const f of defs) {
    for (const n of flagNames(f)) {
      byName.set(n, f)
      values.set(n, defaultValue(f, env))
    }
  }
  const visited = new Set<string>()
  let i = 0
  for (; i < args.length; i++) {
    const a = args[i]
    if (a.length < 2 || a[0] !== '-') break
    let dashes = 1
    if (a[1] === '-') {
      dashes = 2
      if (a.length === 2) { i++; break }
    }
    let name = a.slice(dashes)
    if (name.length === 0 || name[0] === '-' || name[0] === '=') throw new FlagParseError(`bad flag syntax: ${a}`)
    let value: string | undefined
    const eq = name.indexOf('=')
    if (eq >= 0) {
      value = name.slice(eq + 1)
      name = name.slice(0, eq)
    }
    const f = byName.get(name)
    if (f == null) throw new FlagParseError(`flag provided but not defined: -${name}`)
    if (f.kind === 'bool') {
      if (value != null) {
        if (TRUE.has(value)) values.set(name, true)
        else if (FALSE.has(value)) values.set(name, false)
        else throw new FlagParseError(`invalid boolean value "${value}" for -${name}: parse error`)
      } else {
        values.set(name, true)
      }
    } else {
      if (value == null) {
        if (i + 1 >= args.length) throw new FlagParseError(`flag needs an argument: -${name}`)
        value = args[++i]
      }
      values.set(name, convert(f, name, value, values.get(name)))
    }
    visited.add(name)
  }
  normalize(defs, values, visited)
  return { values, visited, args: args.slice(i) }
}

function convert (f: FlagDef, name: string, value: string, previous: FlagValue | undefined): FlagValue {
  switch (f.kind) {
    case 'int': {
      const n = parseGoInt(value)
      if (n == null) throw new FlagParseError(`invalid value "${value}" for flag -${name}: parse error`)
      return n
    }
    case 'duration':
      try {
        return Number(parseDurationNs(value)) / 1e6
      } catch {
        throw new FlagParseError(`invalid value "${value}" for flag -${name}: parse error`)
      }
    case 'stringSlice':
      return [...(Array.isArray(previous) ? previous : []), value]
    default:
      return value
  }
}

/** urfave `normalizeFlags`: one form per flag, copied to its other names. */
function normalize (defs: FlagDef[], values: Map<string, FlagValue>, visited: Set<string>): void {
  for (const f of defs) {
    const names = flagNames(f)
    if (names.length === 1) continue
    let first: string | undefined
    for (const n of names) {
      if (!visited.has(n)) continue
      if (first != null) throw new FlagParseError(`Cannot use two forms of the same flag: ${n} ${first}`)
      first = n
    }
    if (first == null) continue
    for (const n of names) {
      if (visited.has(n)) continue
      values.set(n, values.get(first) as FlagValue)
      visited.add(n)
    }
  }
}

/** urfave `reorderArgs`: moves known command flags (and their values) before positional arguments. */
export function reorderArgs (defs: FlagDef[], args: string[]): string[] {
  const remaining: string[] = []
  const reordered: string[] = []
  let nextMayBeValue = false
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]
    if (nextMayBeValue && !argIsFlag(defs, arg)) {
      nextMayBeValue = false
      reordered.push(arg)
    } else if (arg === '--') {
      remaining.unshift('--')
      remaining.push(...args.slice(i + 1))
      break
    } else if (argIsFlag(defs, arg)) {
      reordered.push(arg)
      nextMayBeValue = !arg.includes('=')
    } else {
      remaining.push(arg)
    }
  }
  return [...reordered, ...remaining]
}

function argIsFlag (defs: FlagDef[], arg: string): boolean {
  if (arg === '-' || arg === '--' || !arg.startsWith('-')) return false
  let a = arg
  // Go: strings.Replace(arg, "-", "", 2) then strings.Replace(arg, "-", "", 1)
  if (a.startsWith('--')) a = a.replace('-', '').replace('-', '')
  if (a.startsWith('-')) a = a.replace('-', '')
  a = a.split('=')[0]
  return defs.some((f) => flagNames(f).includes(a))
}
