/**
 * The shape every section codec follows: defaults, merge a JSON object over
 * a base value, render back to JSON (Go key order), validate.
 */
import type { EnvSchema } from './env.js'
import type { JsonObject, ParseContext } from './fields.js'

/** Top-level groups of service.json, in the order Go writes them. */
export type SectionGroup = 'cluster' | 'consensus' | 'api' | 'ipfs_connector' | 'pin_tracker' | 'monitor' | 'allocator' | 'informer' | 'observations' | 'datastore'

/** A codec for one section of service.json. */
export interface SectionCodec<C> {
  /** Group holding the section (`cluster` is the group itself). */
  group: SectionGroup
  /** Component key inside the group (`restapi`); equal to `group` for `cluster`. */
  key: string
  /** Environment prefix (`CLUSTER_RESTAPI`). */
  envPrefix: string
  /** Every JSON key with its kind, for environment overrides. */
  envSchema: EnvSchema
  /** The default value. */
  defaults: (ctx: ParseContext) => C
  /** Merges `json` over `base` using the section's rules; records problems in `ctx`. */
  parse: (json: JsonObject, base: C, ctx: ParseContext) => C
  /** The JSON form (keys in Go order, omitted fields left out). */
  toJson: (cfg: C) => JsonObject
  /** Pushes every validation problem into `ctx.problems`. */
  validate: (cfg: C, ctx: ParseContext) => void
}
