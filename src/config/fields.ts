/**
 * Field readers shared by the section codecs. They implement Go's merge
 * conventions (set-if-not-default, verbatim copy, `config.ParseDurations`,
 * lenient durations) and record problems instead of throwing, so that one
 * load reports every problem at once.
 */
import { multiaddr } from '@multiformats/multiaddr'
import { peerIdFromString } from '@libp2p/peer-id'
import { parseDuration, formatDuration } from '../util/duration.js'

/** A JSON object as read from service.json. */
export type JsonObject = Record<string, unknown>

/** Collects problems and warnings while parsing one configuration. */
export interface ParseContext {
  /** Every problem found so far (validation and parse errors). */
  problems: string[]
  /** Non-fatal notices (lenient durations, empty secret...). */
  warnings: string[]
  /** Absolute folder holding service.json; relative paths resolve against it. */
  baseDir: string
}

/** Creates an empty context for `baseDir`. */
export function parseContext (baseDir: string): ParseContext {
  return { problems: [], warnings: [], baseDir }
}

function typeName (v: unknown): string {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'array'
  return typeof v
}

function wrongType (ctx: ParseContext, comp: string, key: string, want: string, v: unknown): void {
  ctx.problems.push(`${comp}.${key}: cannot unmarshal ${typeName(v)} into a ${want}`)
}

/** `true` when `v` is a non-null, non-array object. */
export function isObject (v: unknown): v is JsonObject {
  return v != null && typeof v === 'object' && !Array.isArray(v)
}

/** Reads a string (missing or null → ''). Wrong type → problem, ''. */
export function str (ctx: ParseContext, comp: string, json: JsonObject, key: string): string {
  const v = json[key]
  if (v == null) return ''
  if (typeof v !== 'string') {
    wrongType(ctx, comp, key, 'string', v)
    return ''
  }
  return v
}

/** Reads a number (missing or null → 0). Wrong type → problem, 0. */
export function num (ctx: ParseContext, comp: string, json: JsonObject, key: string): number {
  const v = json[key]
  if (v == null) return 0
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    wrongType(ctx, comp, key, 'number', v)
    return 0
  }
  return v
}

/** Reads a boolean verbatim (missing → false, as Go's zero value). */
export function bool (ctx: ParseContext, comp: string, json: JsonObject, key: string): boolean {
  const v = json[key]
  if (v == null) return false
  if (typeof v !== 'boolean') {
    wrongType(ctx, comp, key, 'bool', v)
    return false
  }
  return v
}

/** Set-if-not-default for strings: '' keeps `base`. */
export function strOr (ctx: ParseContext, comp: string, json: JsonObject, key: string, base: string): string {
  const v = str(ctx, comp, json, key)
  return v === '' ? base : v
}

/** Set-if-not-default for numbers: 0 keeps `base`. */
export function numOr (ctx: ParseContext, comp: string, json: JsonObject, key: string, base: number): number {
  const v = num(ctx, comp, json, key)
  return v === 0 ? base : v
}

/** Set-if-not-default for booleans: only `true` overrides. */
export function boolOr (ctx: ParseContext, comp: string, json: JsonObject, key: string, base: boolean): boolean {
  return bool(ctx, comp, json, key) ? true : base
}

/**
 * Go's `config.ParseDurations`: '' keeps `base`; any valid value (including
 * "0s") is taken; a malformed one is a problem `error parsing <comp>.<name>: …`.
 */
export function dur (ctx: ParseContext, comp: string, json: JsonObject, key: string, base: number, name = key): number {
  const v = str(ctx, comp, json, key)
  if (v === '') return base
  try {
    return parseDuration(v)
  } catch (err: any) {
    ctx.problems.push(`error parsing ${comp}.${name}: ${err.message}`)
    return base
  }
}

/** Lenient duration: unparsable or empty → 0 (Go ignores the parse error). */
export function durZero (ctx: ParseContext, comp: string, json: JsonObject, key: string): number {
  const v = str(ctx, comp, json, key)
  try {
    return v === '' ? 0 : parseDuration(v)
  } catch {
    return 0
  }
}

/** Silently ignored errors, '' keeps `base` (crdt section). */
export function durQuiet (ctx: ParseContext, comp: string, json: JsonObject, key: string, base: number): number {
  const v = str(ctx, comp, json, key)
  if (v === '') return base
  try {
    return parseDuration(v)
  } catch {
    return base
  }
}

/** Raft style: parse error warns; a zero result keeps `base` (set-if-not-default). */
export function durRaft (ctx: ParseContext, comp: string, json: JsonObject, key: string, base: number): number {
  const v = str(ctx, comp, json, key)
  let d = 0
  try {
    d = v === '' ? 0 : parseDuration(v)
  } catch {
    d = 0
  }
  if (v !== '' && d === 0) ctx.warnings.push(`${v} is not a valid duration. Default will be used`)
  return d === 0 ? base : d
}

/** Renders ms as a Go duration string. */
export function goDur (ms: number): string {
  return formatDuration(ms)
}

/** Reads a list of strings (missing or null → []). */
export function strList (ctx: ParseContext, comp: string, json: JsonObject, key: string): string[] {
  const v = json[key]
  if (v == null) return []
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) {
    wrongType(ctx, comp, key, '[]string', v)
    return []
  }
  return [...v] as string[]
}

/** Go's `config.Strings`: a single string or a list of strings. */
export function strings (ctx: ParseContext, comp: string, json: JsonObject, key: string): string[] {
  const v = json[key]
  if (typeof v === 'string') return v === '' ? [] : [v]
  return strList(ctx, comp, json, key)
}

/** Output of `config.Strings`: [] → [], one entry → string, several → array. */
export function stringsOut (list: readonly string[]): string | string[] {
  return list.length === 1 ? list[0] : [...list]
}

/** Reads a map of strings; returns `null` when missing or null. */
export function strMap (ctx: ParseContext, comp: string, json: JsonObject, key: string): Record<string, string> | null {
  const v = json[key]
  if (v == null) return null
  if (!isObject(v) || Object.values(v).some((x) => typeof x !== 'string')) {
    wrongType(ctx, comp, key, 'map[string]string', v)
    return null
  }
  return { ...(v as Record<string, string>) }
}

/** Reads a map of string lists (`headers`); missing → {}. */
export function strListMap (ctx: ParseContext, comp: string, json: JsonObject, key: string): Record<string, string[]> {
  const v = json[key]
  if (v == null) return {}
  if (!isObject(v) || Object.values(v).some((x) => !Array.isArray(x) || x.some((y) => typeof y !== 'string'))) {
    wrongType(ctx, comp, key, 'map[string][]string', v)
    return {}
  }
  const out: Record<string, string[]> = {}
  for (const [k, list] of Object.entries(v)) out[k] = [...(list as string[])]
  return out
}

/** Reads a nested object; missing or null → undefined. */
export function obj (ctx: ParseContext, comp: string, json: JsonObject, key: string): JsonObject | undefined {
  const v = json[key]
  if (v == null) return undefined
  if (!isObject(v)) {
    wrongType(ctx, comp, key, 'object', v)
    return undefined
  }
  return v
}

/**
 * Returns an error message when `addr` is not a multiaddress, else undefined.
 * `/unix/<path>` is accepted with a plain path, as Go does.
 */
export function multiaddrError (addr: string): string | undefined {
  if (addr.startsWith('/unix/') && addr.length > '/unix/'.length) return undefined
  try {
    multiaddr(addr)
    return undefined
  } catch (err: any) {
    return err.message ?? String(err)
  }
}

/** Checks every address; problems are `error parsing <what>: <err>`. Returns the list. */
export function checkAddrs (ctx: ParseContext, what: string, addrs: string[]): string[] {
  for (const a of addrs) {
    const e = multiaddrError(a)
    if (e != null) ctx.problems.push(`error parsing ${what}: ${a}: ${e}`)
  }
  return addrs
}

/** Returns an error message when `id` is not a peer ID, else undefined. */
export function peerIdError (id: string): string | undefined {
  try {
    peerIdFromString(id)
    return undefined
  } catch (err: any) {
    return err.message ?? String(err)
  }
}
