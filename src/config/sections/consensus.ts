/**
 * `consensus.crdt` and `consensus.raft` (Go `consensus/crdt/config.go`,
 * `consensus/raft/config.go`). CRDT durations that fail to parse are ignored;
 * Raft durations are lenient and zero keeps the default.
 */
import { join, isAbsolute } from 'node:path'
import type { SectionCodec } from '../section.js'
import type { JsonObject } from '../fields.js'
import { durQuiet, durRaft, goDur, num, numOr, obj, peerIdError, strList, strOr } from '../fields.js'

/** `consensus.crdt.batching` (age in ms). */
export interface CrdtBatchingConfig { maxBatchSize: number, maxBatchAge: number, maxQueueSize: number }

/** `consensus.crdt` in camelCase. */
export interface CrdtConfig {
  clusterName: string
  /** Trust everyone (`"*"` in `trusted_peers`). */
  trustAll: boolean
  /** Trusted peer IDs (empty when `trustAll`). */
  trustedPeers: string[]
  batching: CrdtBatchingConfig
  repairInterval: number
  rebroadcastInterval: number
  peersetMetric: string
  datastoreNamespace: string
}

const CRDT_DEFAULTS: CrdtConfig = {
  clusterName: 'ipfs-cluster',
  trustAll: true,
  trustedPeers: [],
  batching: { maxBatchSize: 0, maxBatchAge: 0, maxQueueSize: 50_000 },
  repairInterval: 3_600_000,
  rebroadcastInterval: 60_000,
  peersetMetric: 'ping',
  datastoreNamespace: '/c'
}

/** Codec for `consensus.crdt`. */
export const crdtSection: SectionCodec<CrdtConfig> = {
  group: 'consensus',
  key: 'crdt',
  envPrefix: 'CLUSTER_CRDT',
  envSchema: {
    cluster_name: 'string',
    trusted_peers: 'list',
    batching: { max_batch_size: 'number', max_batch_age: 'string', max_queue_size: 'number' },
    repair_interval: 'string',
    rebroadcast_interval: 'string',
    peerset_metric: 'string',
    datastore_namespace: 'string'
  },
  defaults: () => ({ ...CRDT_DEFAULTS, trustedPeers: [], batching: { ...CRDT_DEFAULTS.batching } }),
  parse: (json, base, ctx) => {
    const c = 'crdt'
    let trustAll = false
    let trustedPeers: string[] = []
    for (const p of strList(ctx, c, json, 'trusted_peers')) {
      if (p === '*') {
        trustAll = true
        trustedPeers = []
        break
      }
      const e = peerIdError(p)
      if (e != null) {
        ctx.problems.push(`error parsing trusted peers: ${e}`)
        continue
      }
      trustedPeers.push(p)
    }
    const b = obj(ctx, c, json, 'batching') ?? {}
    return {
      clusterName: strOr(ctx, c, json, 'cluster_name', base.clusterName),
      trustAll,
      trustedPeers,
      batching: {
        maxBatchSize: num(ctx, `${c}.batching`, b, 'max_batch_size'),
        maxBatchAge: durQuiet(ctx, c, b, 'max_batch_age', base.batching.maxBatchAge),
        maxQueueSize: numOr(ctx, `${c}.batching`, b, 'max_queue_size', base.batching.maxQueueSize)
      },
      repairInterval: durQuiet(ctx, c, json, 'repair_interval', base.repairInterval),
      rebroadcastInterval: durQuiet(ctx, c, json, 'rebroadcast_interval', base.rebroadcastInterval),
      peersetMetric: strOr(ctx, c, json, 'peerset_metric', base.peersetMetric),
      datastoreNamespace: strOr(ctx, c, json, 'datastore_namespace', base.datastoreNamespace)
    }
  },
  toJson: (cfg) => {
    const batching: JsonObject = { max_batch_size: cfg.batching.maxBatchSize, max_batch_age: goDur(cfg.batching.maxBatchAge) }
    if (cfg.batching.maxQueueSize !== CRDT_DEFAULTS.batching.maxQueueSize) batching.max_queue_size = cfg.batching.maxQueueSize
    const out: JsonObject = {
      cluster_name: cfg.clusterName,
      trusted_peers: cfg.trustAll ? ['*'] : [...cfg.trustedPeers],
      batching,
      repair_interval: goDur(cfg.repairInterval)
    }
    if (cfg.rebroadcastInterval !== CRDT_DEFAULTS.rebroadcastInterval) out.rebroadcast_interval = goDur(cfg.rebroadcastInterval)
    if (cfg.peersetMetric !== CRDT_DEFAULTS.peersetMetric) out.peerset_metric = cfg.peersetMetric
    if (cfg.datastoreNamespace !== CRDT_DEFAULTS.datastoreNamespace) out.datastore_namespace = cfg.datastoreNamespace
    return out
  },
  validate: (cfg, ctx) => {
    const p = ctx.problems
    if (cfg.clusterName === '') p.push('crdt.cluster_name cannot be empty')
    if (cfg.peersetMetric === '') p.push('crdt.peerset_metric needs a name')
    if (cfg.rebroadcastInterval <= 0) p.push('crdt.rebroadcast_interval is invalid')
    if (cfg.batching.maxQueueSize <= 0) p.push('crdt.batching.max_queue_size is invalid')
    if (cfg.repairInterval < 0) p.push('crdt.repair_interval is invalid')
  }
}

/** `consensus.raft` in camelCase (durations in ms). */
export interface RaftConfig {
  /** As written ('' → `<config folder>/raft`). */
  dataFolder: string
  /** Resolved data folder: a non-empty value is used as written (Go quirk). */
  dataPath: string
  initPeerset: string[]
  waitForLeaderTimeout: number
  networkTimeout: number
  commitRetries: number
  commitRetryDelay: number
  backupsRotate: number
  datastoreNamespace: string
  heartbeatTimeout: number
  electionTimeout: number
  commitTimeout: number
  maxAppendEntries: number
  trailingLogs: number
  snapshotInterval: number
  snapshotThreshold: number
  leaderLeaseTimeout: number
}

function raftDataPath (baseDir: string, folder: string): string {
  if (folder === '') return join(baseDir, 'raft')
  // Go uses a non-empty data_folder exactly as written (relative to the cwd).
  return isAbsolute(folder) ? folder : join(process.cwd(), folder)
}

/** Codec for `consensus.raft`. */
export const raftSection: SectionCodec<RaftConfig> = {
  group: 'consensus',
  key: 'raft',
  envPrefix: 'CLUSTER_RAFT',
  envSchema: {
    data_folder: 'string',
    init_peerset: 'list',
    wait_for_leader_timeout: 'string',
    network_timeout: 'string',
    commit_retries: 'number',
    commit_retry_delay: 'string',
    backups_rotate: 'number',
    datastore_namespace: 'string',
    heartbeat_timeout: 'string',
    election_timeout: 'string',
    commit_timeout: 'string',
    max_append_entries: 'number',
    trailing_logs: 'number',
    snapshot_interval: 'string',
    snapshot_threshold: 'number',
    leader_lease_timeout: 'string'
  },
  defaults: (ctx) => ({
    dataFolder: '',
    dataPath: raftDataPath(ctx.baseDir, ''),
    initPeerset: [],
    waitForLeaderTimeout: 15_000,
    networkTimeout: 10_000,
    commitRetries: 1,
    commitRetryDelay: 200,
    backupsRotate: 6,
    datastoreNamespace: '/r',
    heartbeatTimeout: 1000,
    electionTimeout: 1000,
    commitTimeout: 50,
    maxAppendEntries: 64,
    trailingLogs: 10240,
    snapshotInterval: 120_000,
    snapshotThreshold: 8192,
    leaderLeaseTimeout: 500
  }),
  parse: (json, base, ctx) => {
    const c = 'raft'
    const dataFolder = strOr(ctx, c, json, 'data_folder', base.dataFolder)
    return {
      dataFolder,
      dataPath: raftDataPath(ctx.baseDir, dataFolder),
      // Go drops invalid IDs silently (api.StringsToPeers).
      initPeerset: strList(ctx, c, json, 'init_peerset').filter((p) => peerIdError(p) == null),
      waitForLeaderTimeout: durRaft(ctx, c, json, 'wait_for_leader_timeout', base.waitForLeaderTimeout),
      networkTimeout: durRaft(ctx, c, json, 'network_timeout', base.networkTimeout),
      commitRetries: num(ctx, c, json, 'commit_retries'),
      commitRetryDelay: durRaft(ctx, c, json, 'commit_retry_delay', base.commitRetryDelay),
      backupsRotate: numOr(ctx, c, json, 'backups_rotate', base.backupsRotate),
      // Go never reads datastore_namespace back.
      datastoreNamespace: base.datastoreNamespace,
      heartbeatTimeout: durRaft(ctx, c, json, 'heartbeat_timeout', base.heartbeatTimeout),
      electionTimeout: durRaft(ctx, c, json, 'election_timeout', base.electionTimeout),
      commitTimeout: durRaft(ctx, c, json, 'commit_timeout', base.commitTimeout),
      maxAppendEntries: numOr(ctx, c, json, 'max_append_entries', base.maxAppendEntries),
      trailingLogs: numOr(ctx, c, json, 'trailing_logs', base.trailingLogs),
      snapshotInterval: durRaft(ctx, c, json, 'snapshot_interval', base.snapshotInterval),
      snapshotThreshold: numOr(ctx, c, json, 'snapshot_threshold', base.snapshotThreshold),
      leaderLeaseTimeout: durRaft(ctx, c, json, 'leader_lease_timeout', base.leaderLeaseTimeout)
    }
  },
  toJson: (cfg) => {
    const out: JsonObject = {}
    if (cfg.dataFolder !== '') out.data_folder = cfg.dataFolder
    Object.assign(out, {
      init_peerset: [...cfg.initPeerset],
      wait_for_leader_timeout: goDur(cfg.waitForLeaderTimeout),
      network_timeout: goDur(cfg.networkTimeout),
      commit_retries: cfg.commitRetries,
      commit_retry_delay: goDur(cfg.commitRetryDelay),
      backups_rotate: cfg.backupsRotate
    })
    if (cfg.datastoreNamespace !== '/r') out.datastore_namespace = cfg.datastoreNamespace
    Object.assign(out, {
      heartbeat_timeout: goDur(cfg.heartbeatTimeout),
      election_timeout: goDur(cfg.electionTimeout),
      commit_timeout: goDur(cfg.commitTimeout),
      max_append_entries: cfg.maxAppendEntries,
      trailing_logs: cfg.trailingLogs,
      snapshot_interval: goDur(cfg.snapshotInterval),
      snapshot_threshold: cfg.snapshotThreshold,
      leader_lease_timeout: goDur(cfg.leaderLeaseTimeout)
    })
    return out
  },
  validate: (cfg, ctx) => {
    const p = ctx.problems
    if (cfg.waitForLeaderTimeout <= 0) p.push('wait_for_leader_timeout <= 0')
    if (cfg.networkTimeout <= 0) p.push('network_timeout <= 0')
    if (cfg.commitRetries < 0) p.push('commit_retries is invalid')
    if (cfg.commitRetryDelay <= 0) p.push('commit_retry_delay is invalid')
    if (cfg.backupsRotate <= 0) p.push('backups_rotate should be larger than 0')
    // hashicorp/raft ValidateConfig checks
    if (cfg.heartbeatTimeout < 5) p.push('raft: heartbeat_timeout is too low')
    if (cfg.electionTimeout < 5) p.push('raft: election_timeout is too low')
    if (cfg.commitTimeout < 1) p.push('raft: commit_timeout is too low')
    if (cfg.maxAppendEntries <= 0) p.push('raft: max_append_entries must be positive')
    if (cfg.maxAppendEntries > 1024) p.push('raft: max_append_entries is too large')
    if (cfg.snapshotInterval < 5) p.push('raft: snapshot_interval is too low')
    if (cfg.leaderLeaseTimeout < 5) p.push('raft: leader_lease_timeout is too low')
    if (cfg.leaderLeaseTimeout > cfg.heartbeatTimeout) p.push('raft: leader_lease_timeout cannot be larger than heartbeat timeout')
    if (cfg.electionTimeout < cfg.heartbeatTimeout) p.push('raft: election_timeout must be equal or greater than heartbeat timeout')
  }
}
