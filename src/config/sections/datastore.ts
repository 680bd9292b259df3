/**
 * `datastore.{leveldb,pebble,badger,badger3}`. We store data in LevelDB; the
 * other sections are accepted (and written by `init --datastore X`) so that
 * configs stay portable: their `*_options` objects are kept, not interpreted.
 */
import { join, isAbsolute } from 'node:path'
import type { SectionCodec } from '../section.js'
import type { JsonObject, ParseContext } from '../fields.js'
import { dur, goDur, isObject, num, obj, strOr } from '../fields.js'

/** The datastore section names, as Go registers them. */
export type DatastoreKind = 'badger' | 'badger3' | 'leveldb' | 'pebble'
/** Every datastore section name, alphabetical (Go's output order). */
export const DATASTORE_KINDS: readonly DatastoreKind[] = ['badger', 'badger3', 'leveldb', 'pebble']

/** One datastore section in camelCase. */
export interface DatastoreSectionConfig {
  /** As written; defaults to the section name. */
  folder: string
  /** Absolute folder. */
  path: string
  /** The library options object (`leveldb_options`, ...), snake_case as in the file. */
  options: JsonObject
  /** badger/badger3 only: GC discard ratio. */
  gcDiscardRatio?: number
  /** badger/badger3 only: GC interval in ms. */
  gcInterval?: number
  /** badger/badger3 only: GC sleep in ms. */
  gcSleep?: number
}

const LEVELDB_OPTIONS: JsonObject = {
  block_cache_capacity: 0,
  block_cache_evict_removed: false,
  block_restart_interval: 0,
  block_size: 0,
  compaction_expand_limit_factor: 0,
  compaction_gp_overlaps_factor: 0,
  compaction_l0_trigger: 0,
  compaction_source_limit_factor: 0,
  compaction_table_size: 0,
  compaction_table_size_multiplier: 0,
  compaction_table_size_multiplier_per_level: null,
  compaction_total_size: 0,
  compaction_total_size_multiplier: 0,
  compaction_total_size_multiplier_per_level: null,
  compression: 0,
  disable_buffer_pool: false,
  disable_block_cache: false,
  disable_compaction_backoff: false,
  disable_large_batch_transaction: false,
  iterator_sampling_rate: 0,
  no_sync: false,
  no_write_merge: false,
  open_files_cache_capacity: 0,
  read_only: false,
  strict: 0,
  write_buffer: 0,
  write_l0_pause_trigger: 0,
  write_l0_slowdown_trigger: 0
}

function pebbleLevels (): JsonObject[] {
  return Array.from({ length: 7 }, (_, i) => ({
    block_restart_interval: 16,
    block_size: 4096,
    block_size_threshold: 90,
    compression: 2,
    filter_type: 0,
    filter_policy: 10,
    index_block_size: 4096,
    target_file_size: 4194304 * 2 ** i
  }))
}

const PEBBLE_OPTIONS = (): JsonObject => ({
  cache_size_bytes: 1073741824,
  bytes_per_sync: 1048576,
  disable_wal: false,
  flush_delay_delete_range: 0,
  flush_delay_range_key: 0,
  flush_split_bytes: 4194304,
  format_major_version: 16,
  l0_compaction_file_threshold: 750,
  l0_compaction_threshold: 4,
  l0_stop_writes_threshold: 12,
  l_base_max_bytes: 134217728,
  max_open_files: 1000,
  mem_table_size: 67108864,
  mem_table_stop_writes_threshold: 20,
  read_only: false,
  wal_bytes_per_sync: 0,
  levels: pebbleLevels()
})

const BADGER_OPTIONS: JsonObject = {
  dir: '',
  value_dir: '',
  sync_writes: true,
  table_loading_mode: 2,
  value_log_loading_mode: 0,
  num_versions_to_keep: 1,
  max_table_size: 16777216,
  level_size_multiplier: 10,
  max_levels: 7,
  value_threshold: 32,
  num_memtables: 5,
  num_level_zero_tables: 5,
  num_level_zero_tables_stall: 10,
  level_one_size: 268435456,
  value_log_file_size: 1073741823,
  value_log_max_entries: 1000000,
  num_compactors: 2,
  compact_l_0_on_close: false,
  read_only: false,
  truncate: true
}

const BADGER3_OPTIONS: JsonObject = {
  dir: '',
  value_dir: '',
  sync_writes: false,
  num_versions_to_keep: 1,
  read_only: false,
  compression: 0,
  in_memory: false,
  metrics_enabled: true,
  num_goroutines: 8,
  mem_table_size: 67108864,
  base_table_size: 2097152,
  base_level_size: 10485760,
  level_size_multiplier: 10,
  table_size_multiplier: 2,
  max_levels: 7,
  v_log_percentile: 0,
  value_threshold: 100,
  num_memtables: 5,
  block_size: 4096,
  bloom_false_positive: 0.01,
  block_cache_size: 0,
  index_cache_size: 0,
  num_level_zero_tables: 5,
  num_level_zero_tables_stall: 15,
  value_log_file_size: 1073741823,
  value_log_max_entries: 1000000,
  num_compactors: 4,
  compact_l_0_on_close: false,
  lmax_compaction: false,
  zstd_compression_level: 1,
  verify_value_checksum: false,
  checksum_verification_mode: 0,
  detect_conflicts: false,
  namespace_offset: -1
}

function defaultOptions (kind: DatastoreKind): JsonObject {
  switch (kind) {
    case 'leveldb': return structuredClone(LEVELDB_OPTIONS)
    case 'pebble': return PEBBLE_OPTIONS()
    case 'badger': return structuredClone(BADGER_OPTIONS)
    case 'badger3': return structuredClone(BADGER3_OPTIONS)
  }
}

function isZero (v: unknown): boolean {
  return v == null || v === 0 || v === false || v === '' || (Array.isArray(v) && v.length === 0)
}

/** mergo.WithOverride: non-zero values of `src` override known keys of `base`. */
function mergeOptions (base: JsonObject, src: JsonObject): JsonObject {
  const out = structuredClone(base)
  for (const key of Object.keys(base)) {
    if (!isZero(src[key])) out[key] = structuredClone(src[key])
  }
  return out
}

function optionsKey (kind: DatastoreKind): string {
  return kind === 'badger3' ? 'badger_options' : `${kind}_options`
}

function resolve (ctx: ParseContext, folder: string): string {
  return isAbsolute(folder) ? folder : join(ctx.baseDir, folder)
}

function datastoreSection (kind: DatastoreKind): SectionCodec<DatastoreSectionConfig> {
  const isBadger = kind === 'badger' || kind === 'badger3'
  const optKey = optionsKey(kind)
  const optSchema: Record<string, 'string' | 'number' | 'bool'> = {}
  for (const [k, v] of Object.entries(defaultOptions(kind))) {
    if (typeof v === 'string') optSchema[k] = 'string'
    else if (typeof v === 'number') optSchema[k] = 'number'
    else if (typeof v === 'boolean') optSchema[k] = 'bool'
  }
  return {
    group: 'datastore',
    key: kind,
    envPrefix: `CLUSTER_${kind.toUpperCase()}`,
    envSchema: {
      folder: 'string',
      ...(isBadger ? { gc_discard_ratio: 'number', gc_interval: 'string', gc_sleep: 'string' } : {}),
      [optKey]: optSchema
    },
    defaults: (ctx) => ({
      folder: kind,
      path: resolve(ctx, kind),
      options: defaultOptions(kind),
      ...(isBadger ? { gcDiscardRatio: 0.2, gcInterval: 900_000, gcSleep: 10_000 } : {})
    }),
    parse: (json, base, ctx) => {
      const folder = strOr(ctx, kind, json, 'folder', base.folder)
      const opts = obj(ctx, kind, json, optKey)
      const out: DatastoreSectionConfig = {
        folder,
        path: resolve(ctx, folder),
        options: opts != null && isObject(opts) ? mergeOptions(base.options, opts) : structuredClone(base.options)
      }
      if (isBadger) {
        const ratio = num(ctx, kind, json, 'gc_discard_ratio')
        out.gcDiscardRatio = ratio === 0 ? base.gcDiscardRatio : ratio
        out.gcInterval = dur(ctx, kind, json, 'gc_interval', base.gcInterval ?? 900_000)
        out.gcSleep = dur(ctx, kind, json, 'gc_sleep', base.gcSleep ?? 10_000)
      }
      return out
    },
    toJson: (cfg) => {
      const out: JsonObject = {}
      if (cfg.folder !== kind) out.folder = cfg.folder
      if (isBadger) {
        out.gc_discard_ratio = cfg.gcDiscardRatio
        out.gc_interval = goDur(cfg.gcInterval ?? 0)
        out.gc_sleep = goDur(cfg.gcSleep ?? 0)
      }
      out[optKey] = structuredClone(cfg.options)
      return out
    },
    validate: (cfg, ctx) => {
      if (cfg.folder === '') ctx.problems.push(`${kind}: folder is unset`)
      if (isBadger && ((cfg.gcDiscardRatio ?? 0) <= 0 || (cfg.gcDiscardRatio ?? 0) >= 1)) {
        ctx.problems.push(`${kind}: gc_discard_ratio must be more than 0 and less than 1`)
      }
    }
  }
}

/** Codecs for the four datastore sections, by name. */
export const datastoreSections: Readonly<Record<DatastoreKind, SectionCodec<DatastoreSectionConfig>>> = {
  badger: datastoreSection('badger'),
  badger3: datastoreSection('badger3'),
  leveldb: datastoreSection('leveldb'),
  pebble: datastoreSection('pebble')
}
