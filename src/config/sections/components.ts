/**
 * Small component sections: `pin_tracker.stateless`, `monitor.pubsubmon`,
 * `allocator.balanced`, `informer.{disk,numpin,pinqueue,tags}`.
 */
import type { SectionCodec } from '../section.js'
import type { JsonObject } from '../fields.js'
import { dur, durZero, goDur, num, numOr, str, strList, strMap } from '../fields.js'

/** `pin_tracker.stateless` (age in ms). */
export interface StatelessConfig {
  maxPinQueueSize: number
  concurrentPins: number
  priorityPinMaxAge: number
  priorityPinMaxRetries: number
}

const MAX_PIN_QUEUE = 1_000_000

/** Codec for `pin_tracker.stateless`. */
export const statelessSection: SectionCodec<StatelessConfig> = {
  group: 'pin_tracker',
  key: 'stateless',
  envPrefix: 'CLUSTER_STATELESS',
  envSchema: { max_pin_queue_size: 'number', concurrent_pins: 'number', priority_pin_max_age: 'string', priority_pin_max_retries: 'number' },
  defaults: () => ({ maxPinQueueSize: MAX_PIN_QUEUE, concurrentPins: 10, priorityPinMaxAge: 86_400_000, priorityPinMaxRetries: 5 }),
  parse: (json, base, ctx) => ({
    maxPinQueueSize: numOr(ctx, 'stateless', json, 'max_pin_queue_size', base.maxPinQueueSize),
    concurrentPins: numOr(ctx, 'stateless', json, 'concurrent_pins', base.concurrentPins),
    priorityPinMaxAge: dur(ctx, 'stateless', json, 'priority_pin_max_age', base.priorityPinMaxAge),
    priorityPinMaxRetries: numOr(ctx, 'stateless', json, 'priority_pin_max_retries', base.priorityPinMaxRetries)
  }),
  toJson: (cfg) => {
    const out: JsonObject = {}
    if (cfg.maxPinQueueSize !== MAX_PIN_QUEUE) out.max_pin_queue_size = cfg.maxPinQueueSize
    out.concurrent_pins = cfg.concurrentPins
    out.priority_pin_max_age = goDur(cfg.priorityPinMaxAge)
    out.priority_pin_max_retries = cfg.priorityPinMaxRetries
    return out
  },
  validate: (cfg, ctx) => {
    const p = ctx.problems
    if (cfg.maxPinQueueSize <= 0) p.push('statelesstracker.max_pin_queue_size too low')
    if (cfg.concurrentPins <= 0) p.push('statelesstracker.concurrent_pins is too low')
    if (cfg.priorityPinMaxAge <= 0) p.push('statelesstracker.priority_pin_max_age is too low')
    if (cfg.priorityPinMaxRetries <= 0) p.push('statelesstracker.priority_pin_max_retries is too low')
  }
}

/** `monitor.pubsubmon` (ms). */
export interface PubsubMonConfig { checkInterval: number }

/** Codec for `monitor.pubsubmon`: the interval is taken verbatim (bad or missing → 0 → invalid). */
export const pubsubMonSection: SectionCodec<PubsubMonConfig> = {
  group: 'monitor',
  key: 'pubsubmon',
  envPrefix: 'CLUSTER_PUBSUBMON',
  envSchema: { check_interval: 'string' },
  defaults: () => ({ checkInterval: 15_000 }),
  parse: (json, _base, ctx) => ({ checkInterval: durZero(ctx, 'pubsubmon', json, 'check_interval') }),
  toJson: (cfg) => ({ check_interval: goDur(cfg.checkInterval) }),
  validate: (cfg, ctx) => {
    if (cfg.checkInterval <= 0) ctx.problems.push('pubsubmon.check_interval too low')
  }
}

/** `allocator.balanced`. */
export interface BalancedConfig { allocateBy: string[] }

/** Codec for `allocator.balanced`: an empty list keeps the default. */
export const balancedSection: SectionCodec<BalancedConfig> = {
  group: 'allocator',
  key: 'balanced',
  envPrefix: 'CLUSTER_BALANCED',
  envSchema: { allocate_by: 'list' },
  defaults: () => ({ allocateBy: ['tag:group', 'freespace'] }),
  parse: (json, base, ctx) => {
    const list = strList(ctx, 'balanced', json, 'allocate_by')
    return { allocateBy: list.length > 0 ? list : [...base.allocateBy] }
  },
  toJson: (cfg) => ({ allocate_by: [...cfg.allocateBy] }),
  validate: (cfg, ctx) => {
    if (cfg.allocateBy.length === 0) ctx.problems.push('metricalloc.allocate_by is invalid')
  }
}

/** `informer.disk` (ttl in ms). */
export interface DiskConfig { metricTtl: number, metricType: 'freespace' | 'reposize' }

/** Codec for `informer.disk`. */
export const diskSection: SectionCodec<DiskConfig> = {
  group: 'informer',
  key: 'disk',
  envPrefix: 'CLUSTER_DISK',
  envSchema: { metric_ttl: 'string', metric_type: 'string' },
  defaults: () => ({ metricTtl: 30_000, metricType: 'freespace' }),
  parse: (json, base, ctx) => {
    const type = str(ctx, 'disk', json, 'metric_type')
    if (type !== 'freespace' && type !== 'reposize') ctx.problems.push('disk.metric_type is invalid')
    return {
      metricTtl: durZero(ctx, 'disk', json, 'metric_ttl'),
      metricType: type === 'reposize' ? 'reposize' : type === 'freespace' ? 'freespace' : base.metricType
    }
  },
  toJson: (cfg) => ({ metric_ttl: goDur(cfg.metricTtl), metric_type: cfg.metricType }),
  validate: (cfg, ctx) => {
    if (cfg.metricTtl <= 0) ctx.problems.push('disk.metric_ttl is invalid')
  }
}

/** `informer.numpin` (never used by the daemon; kept for portability). */
export interface NumpinConfig { metricTtl: number }

/** Codec for `informer.numpin`. */
export const numpinSection: SectionCodec<NumpinConfig> = {
  group: 'informer',
  key: 'numpin',
  envPrefix: 'CLUSTER_NUMPIN',
  envSchema: { metric_ttl: 'string' },
  defaults: () => ({ metricTtl: 10_000 }),
  parse: (json, _base, ctx) => ({ metricTtl: durZero(ctx, 'numpin', json, 'metric_ttl') }),
  toJson: (cfg) => ({ metric_ttl: goDur(cfg.metricTtl) }),
  validate: (cfg, ctx) => {
    // Go's numpin reports this with the disk informer's wording.
    if (cfg.metricTtl <= 0) ctx.problems.push('disk.metric_ttl is invalid')
  }
}

/** `informer.pinqueue` (ttl in ms). */
export interface PinQueueConfig { metricTtl: number, weightBucketSize: number }

/** Codec for `informer.pinqueue`. */
export const pinQueueSection: SectionCodec<PinQueueConfig> = {
  group: 'informer',
  key: 'pinqueue',
  envPrefix: 'CLUSTER_PINQUEUE',
  envSchema: { metric_ttl: 'string', weight_bucket_size: 'number' },
  defaults: () => ({ metricTtl: 30_000, weightBucketSize: 100_000 }),
  parse: (json, _base, ctx) => ({
    metricTtl: durZero(ctx, 'pinqueue', json, 'metric_ttl'),
    weightBucketSize: num(ctx, 'pinqueue', json, 'weight_bucket_size')
  }),
  toJson: (cfg) => ({ metric_ttl: goDur(cfg.metricTtl), weight_bucket_size: cfg.weightBucketSize }),
  validate: (cfg, ctx) => {
    if (cfg.metricTtl <= 0) ctx.problems.push('pinqueue.metric_ttl is invalid')
    if (cfg.weightBucketSize < 0) ctx.problems.push('pinqueue.WeightBucketSize is invalid')
  }
}

/** `informer.tags` (ttl in ms). */
export interface TagsConfig { metricTtl: number, tags: Record<string, string> }

/** Codec for `informer.tags`: `tags` is copied verbatim (missing → none). */
export const tagsSection: SectionCodec<TagsConfig> = {
  group: 'informer',
  key: 'tags',
  envPrefix: 'CLUSTER_TAGS',
  envSchema: { metric_ttl: 'string', tags: 'map' },
  defaults: () => ({ metricTtl: 30_000, tags: { group: 'default' } }),
  parse: (json, base, ctx) => ({
    metricTtl: dur(ctx, 'tags', json, 'metric_ttl', base.metricTtl),
    tags: strMap(ctx, 'tags', json, 'tags') ?? {}
  }),
  toJson: (cfg) => ({ metric_ttl: goDur(cfg.metricTtl), tags: { ...cfg.tags } }),
  validate: (cfg, ctx) => {
    if (cfg.metricTtl <= 0) ctx.problems.push('tags.metric_ttl is invalid')
  }
}
