/**
 * The configuration manager: turns the service.json object into typed
 * section values (defaults for absent sections, "loaded" flags, environment
 * overrides, validation) and renders section values back to service.json.
 */
import type { JsonObject, ParseContext } from './fields.js'
import { isObject } from './fields.js'
import { applyEnv } from './env.js'
import { goEscape } from '../util/gojson.js'
import { GROUP_ORDER, SECTIONS } from './registry.js'
import type { SectionName } from './registry.js'
import type { SectionCodec } from './section.js'

/** Section values by name. */
export type SectionValues = Record<SectionName, any>

/** Result of parsing a service.json object. */
export interface ParsedSections {
  values: SectionValues
  loaded: Record<SectionName, boolean>
  /** Legacy `cluster.id` / `cluster.private_key`, when present. */
  legacyIdentity?: { id: string, private_key: string }
}

/** Finds the JSON object of a section inside the service.json object, or undefined. */
export function sectionJson (root: JsonObject, codec: SectionCodec<unknown>): JsonObject | undefined | null {
  if (codec.group === 'cluster') {
    const v = root.cluster
    return v == null ? undefined : isObject(v) ? v : null
  }
  const group = root[codec.group]
  if (!isObject(group)) return undefined
  const v = group[codec.key]
  return v == null ? undefined : isObject(v) ? v : null
}

/** Applies environment overrides to one section value and re-merges it. */
export function applySectionEnv<C> (codec: SectionCodec<C>, value: C, env: NodeJS.ProcessEnv, ctx: ParseContext): C {
  const json = applyEnv(codec.toJson(value), codec.envPrefix, codec.envSchema, env, ctx)
  return codec.parse(json, value, ctx)
}

/**
 * Parses every registered section of `root` (Go loading rules 2.2): present
 * sections are merged over defaults, absent ones get defaults and
 * `loaded = false`; then environment overrides (components first, cluster
 * last) and validation. Problems are pushed into `ctx.problems`.
 */
export function parseSections (root: JsonObject, env: NodeJS.ProcessEnv, ctx: ParseContext): ParsedSections {
  const values = {} as SectionValues
  const loaded = {} as Record<SectionName, boolean>
  for (const codec of SECTIONS) {
    const json = sectionJson(root, codec)
    if (json === null) {
      ctx.problems.push(`${codec.key}: section must be a JSON object`)
    }
    const base = codec.defaults(ctx)
    loaded[codec.key] = json != null
    values[codec.key] = json != null ? codec.parse(json, base, ctx) : base
  }
  const ordered = [...SECTIONS.filter((c) => c.key !== 'cluster'), ...SECTIONS.filter((c) => c.key === 'cluster')]
  for (const codec of ordered) {
    values[codec.key] = applySectionEnv(codec, values[codec.key], env, ctx)
  }
  for (const codec of SECTIONS) {
    codec.validate(values[codec.key], ctx)
  }
  const out: ParsedSections = { values, loaded }
  const cl = root.cluster
  if (isObject(cl) && typeof cl.id === 'string' && cl.id !== '' && typeof cl.private_key === 'string' && cl.private_key !== '') {
    out.legacyIdentity = { id: cl.id, private_key: cl.private_key }
  }
  return out
}

/**
 * Renders the sections named in `include` to the service.json object: groups
 * in Go's order, component keys alphabetical, only included sections.
 */
export function renderSections (values: Partial<SectionValues>, include: ReadonlySet<SectionName>): JsonObject {
  const root: JsonObject = {}
  for (const group of GROUP_ORDER) {
    const codecs = SECTIONS.filter((c) => c.group === group && include.has(c.key) && values[c.key] !== undefined)
    if (codecs.length === 0) continue
    if (group === 'cluster') {
      root.cluster = codecs[0].toJson(values.cluster)
      continue
    }
    const obj: JsonObject = {}
    for (const codec of [...codecs].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))) {
      obj[codec.key] = codec.toJson(values[codec.key])
    }
    root[group] = obj
  }
  return root
}

/** service.json text: 2-space indentation as Go's `DefaultJSONMarshal`, HTML characters escaped. */
export function serviceJsonText (root: JsonObject): string {
  return goEscape(JSON.stringify(root, null, 2))
}
