/**
 * Environment overrides as Go's envconfig applies them to a section's JSON
 * form: `<PREFIX>_<FIELD>` where FIELD is the JSON key without underscores,
 * upper case; nested objects add a level (`CLUSTER_PUBSUB_DFACTOR`).
 */
import type { JsonObject, ParseContext } from './fields.js'
import { isObject } from './fields.js'

/**
 * How an environment value is parsed into the JSON form:
 * string verbatim; number decimal; bool true/false/1/0; list `a,b,c`
 * (also used for Strings fields); map `k:v,k2:v2`; maplist `k:v` → {k:[v]}.
 */
export type FieldKind = 'string' | 'number' | 'bool' | 'list' | 'map' | 'maplist' | EnvSchema

/** JSON key → kind, for every key of a section (including omitted ones). */
export interface EnvSchema { [jsonKey: string]: FieldKind }

/** The environment variable name for a JSON key under a prefix. */
export function envName (prefix: string, key: string): string {
  return `${prefix}_${key.replace(/_/g, '').toUpperCase()}`
}

function parseMap (value: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const pair of value.split(',')) {
    if (pair === '') continue
    const i = pair.indexOf(':')
    if (i < 0) throw new Error(`invalid map item: "${pair}"`)
    out[pair.slice(0, i)] = pair.slice(i + 1)
  }
  return out
}

function parseValue (kind: Exclude<FieldKind, EnvSchema>, value: string): unknown {
  switch (kind) {
    case 'string':
      return value
    case 'number': {
      const n = Number(value.trim())
      if (value.trim() === '' || !Number.isFinite(n)) throw new Error(`converting '${value}' to a number`)
      return n
    }
    case 'bool': {
      const v = value.trim().toLowerCase()
      if (v === 'true' || v === '1' || v === 't') return true
      if (v === 'false' || v === '0' || v === 'f') return false
      throw new Error(`converting '${value}' to a bool`)
    }
    case 'list':
      return value === '' ? [] : value.split(',')
    case 'map':
      return parseMap(value)
    case 'maplist': {
      const out: Record<string, string[]> = {}
      for (const [k, v] of Object.entries(parseMap(value))) out[k] = [v]
      return out
    }
  }
}

/**
 * Overwrites fields of `json` (in place) from `env`. Unparsable values are
 * recorded as problems and leave the field untouched. Returns `json`.
 */
export function applyEnv (json: JsonObject, prefix: string, schema: EnvSchema, env: NodeJS.ProcessEnv, ctx: ParseContext): JsonObject {
  for (const [key, kind] of Object.entries(schema)) {
    const name = envName(prefix, key)
    if (typeof kind === 'object') {
      const nested = isObject(json[key]) ? { ...(json[key] as JsonObject) } : {}
      const before = JSON.stringify(nested)
      applyEnv(nested, name, kind, env, ctx)
      if (isObject(json[key]) || JSON.stringify(nested) !== before) json[key] = nested
      continue
    }
    const raw = env[name]
    if (raw == null) continue
    try {
      json[key] = parseValue(kind, raw)
    } catch (err: any) {
      ctx.problems.push(`envconfig: assigning ${name}: ${err.message}`)
    }
  }
  return json
}
