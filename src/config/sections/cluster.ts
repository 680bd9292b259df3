/**
 * The `cluster` section (Go `cluster_config.go`). Booleans are copied
 * verbatim (a missing key is `false`), replication factors and strings use
 * set-if-not-default, the nested objects keep their defaults when absent.
 */
import { hostname } from 'node:os'
import { join, isAbsolute } from 'node:path'
import type { SectionCodec } from '../section.js'
import type { JsonObject } from '../fields.js'
import { bool, checkAddrs, dur, goDur, num, obj, strOr, strings, stringsOut, strList, str } from '../fields.js'
import { decodeClusterSecret } from '../secret.js'

/** `cluster.connection_manager`. */
export interface ConnMgrConfig { highWater: number, lowWater: number, gracePeriod: number }
/** `cluster.resource_manager`. */
export interface ResourceMgrConfig { enabled: boolean, memoryLimitBytes: number, fileDescriptorsLimit: number }
/** `cluster.pubsub` (durations in ms). */
export interface PubSubConfig {
  seenMessagesTtl: number
  heartbeatInterval: number
  dFactor: number
  historyGossip: number
  historyLength: number
  floodPublish: boolean
}

/** The `cluster` section in camelCase; durations in ms, multiaddresses as strings. */
export interface ClusterSectionConfig {
  peername: string
  /** 64 lowercase hex characters, or '' for an unprotected network. */
  secret: string
  leaveOnShutdown: boolean
  listenMultiaddress: string[]
  announceMultiaddress: string[]
  noAnnounceMultiaddress: string[]
  enableRelayHop: boolean
  connectionManager: ConnMgrConfig
  resourceManager: ResourceMgrConfig
  pubsub: PubSubConfig
  dialPeerTimeout: number
  stateSyncInterval: number
  pinRecoverInterval: number
  replicationFactorMin: number
  replicationFactorMax: number
  monitorPingInterval: number
  peerWatchInterval: number
  mdnsInterval: number
  pinOnlyOnTrustedPeers: boolean
  pinOnlyOnUntrustedPeers: boolean
  disableRepinning: boolean
  followerMode: boolean
  /** As written ('' → `peerstore`). */
  peerstoreFile: string
  /** Absolute path of the peerstore file. */
  peerstorePath: string
  peerAddresses: string[]
}

/** Go's DefaultListenAddrs. */
export const DEFAULT_LISTEN_ADDRS = ['/ip4/0.0.0.0/tcp/9096', '/ip4/0.0.0.0/udp/9096/quic']
/** Default peerstore file name. */
export const DEFAULT_PEERSTORE_FILE = 'peerstore'

function peerstorePath (baseDir: string, file: string): string {
  const name = file === '' ? DEFAULT_PEERSTORE_FILE : file
  return isAbsolute(name) ? name : join(baseDir, name)
}

/** Codec for `cluster`. */
export const clusterSection: SectionCodec<ClusterSectionConfig> = {
  group: 'cluster',
  key: 'cluster',
  envPrefix: 'CLUSTER',
  envSchema: {
    peername: 'string',
    secret: 'string',
    leave_on_shutdown: 'bool',
    listen_multiaddress: 'list',
    announce_multiaddress: 'list',
    no_announce_multiaddress: 'list',
    enable_relay_hop: 'bool',
    connection_manager: { high_water: 'number', low_water: 'number', grace_period: 'string' },
    resource_manager: { enabled: 'bool', memory_limit_bytes: 'number', file_descriptors_limit: 'number' },
    pubsub: { seen_messages_ttl: 'string', heartbeat_interval: 'string', d_factor: 'number', history_gossip: 'number', history_length: 'number', flood_publish: 'bool' },
    dial_peer_timeout: 'string',
    state_sync_interval: 'string',
    pin_recover_interval: 'string',
    replication_factor_min: 'number',
    replication_factor_max: 'number',
    monitor_ping_interval: 'string',
    peer_watch_interval: 'string',
    mdns_interval: 'string',
    pin_only_on_trusted_peers: 'bool',
    pin_only_on_untrusted_peers: 'bool',
    disable_repinning: 'bool',
    follower_mode: 'bool',
    peerstore_file: 'string',
    peer_addresses: 'list'
  },

  defaults: (ctx) => ({
    peername: hostname(),
    secret: '',
    leaveOnShutdown: false,
    listenMultiaddress: [...DEFAULT_LISTEN_ADDRS],
    announceMultiaddress: [],
    noAnnounceMultiaddress: [],
    enableRelayHop: true,
    connectionManager: { highWater: 400, lowWater: 100, gracePeriod: 120_000 },
    resourceManager: { enabled: true, memoryLimitBytes: 0, fileDescriptorsLimit: 0 },
    pubsub: { seenMessagesTtl: 1_800_000, heartbeatInterval: 10_000, dFactor: 4, historyGossip: 2, historyLength: 6, floodPublish: false },
    dialPeerTimeout: 3000,
    stateSyncInterval: 300_000,
    pinRecoverInterval: 720_000,
    replicationFactorMin: -1,
    replicationFactorMax: -1,
    monitorPingInterval: 15_000,
    peerWatchInterval: 5000,
    mdnsInterval: 10_000,
    pinOnlyOnTrustedPeers: false,
    pinOnlyOnUntrustedPeers: false,
    disableRepinning: true,
    followerMode: false,
    peerstoreFile: '',
    peerstorePath: peerstorePath(ctx.baseDir, ''),
    peerAddresses: []
  }),

  parse: (json, base, ctx) => {
    const c = 'cluster'
    const secret = str(ctx, c, json, 'secret')
    try {
      decodeClusterSecret(secret)
    } catch (err: any) {
      ctx.problems.push(`error loading cluster secret from config: ${err.message}`)
    }
    const cm = obj(ctx, c, json, 'connection_manager')
    const rm = obj(ctx, c, json, 'resource_manager')
    const ps = obj(ctx, c, json, 'pubsub')
    const peerstoreFile = strOr(ctx, c, json, 'peerstore_file', base.peerstoreFile)
    return {
      peername: strOr(ctx, c, json, 'peername', base.peername),
      secret: secret.toLowerCase(),
      leaveOnShutdown: bool(ctx, c, json, 'leave_on_shutdown'),
      listenMultiaddress: checkAddrs(ctx, 'listen_multiaddress', strings(ctx, c, json, 'listen_multiaddress')),
      announceMultiaddress: checkAddrs(ctx, 'announce', strings(ctx, c, json, 'announce_multiaddress')),
      noAnnounceMultiaddress: checkAddrs(ctx, 'no_announce', strings(ctx, c, json, 'no_announce_multiaddress')),
      enableRelayHop: bool(ctx, c, json, 'enable_relay_hop'),
      connectionManager: cm == null
        ? { ...base.connectionManager }
        : {
            highWater: num(ctx, `${c}.connection_manager`, cm, 'high_water'),
            lowWater: num(ctx, `${c}.connection_manager`, cm, 'low_water'),
            gracePeriod: dur(ctx, c, cm, 'grace_period', base.connectionManager.gracePeriod, 'connection_manager.grace_period')
          },
      resourceManager: rm == null
        ? { ...base.resourceManager }
        : {
            enabled: bool(ctx, `${c}.resource_manager`, rm, 'enabled'),
            memoryLimitBytes: num(ctx, `${c}.resource_manager`, rm, 'memory_limit_bytes'),
            fileDescriptorsLimit: num(ctx, `${c}.resource_manager`, rm, 'file_descriptors_limit')
          },
      pubsub: ps == null
        ? { ...base.pubsub }
        : {
            seenMessagesTtl: dur(ctx, `${c}.pubsub`, ps, 'seen_messages_ttl', base.pubsub.seenMessagesTtl),
            heartbeatInterval: dur(ctx, `${c}.pubsub`, ps, 'heartbeat_interval', base.pubsub.heartbeatInterval),
            dFactor: num(ctx, `${c}.pubsub`, ps, 'd_factor'),
            historyGossip: num(ctx, `${c}.pubsub`, ps, 'history_gossip'),
            historyLength: num(ctx, `${c}.pubsub`, ps, 'history_length'),
            floodPublish: bool(ctx, `${c}.pubsub`, ps, 'flood_publish')
          },
      dialPeerTimeout: dur(ctx, c, json, 'dial_peer_timeout', base.dialPeerTimeout),
      stateSyncInterval: dur(ctx, c, json, 'state_sync_interval', base.stateSyncInterval),
      pinRecoverInterval: dur(ctx, c, json, 'pin_recover_interval', base.pinRecoverInterval),
      replicationFactorMin: num(ctx, c, json, 'replication_factor_min') || base.replicationFactorMin,
      replicationFactorMax: num(ctx, c, json, 'replication_factor_max') || base.replicationFactorMax,
      monitorPingInterval: dur(ctx, c, json, 'monitor_ping_interval', base.monitorPingInterval),
      peerWatchInterval: dur(ctx, c, json, 'peer_watch_interval', base.peerWatchInterval),
      mdnsInterval: dur(ctx, c, json, 'mdns_interval', base.mdnsInterval),
      pinOnlyOnTrustedPeers: bool(ctx, c, json, 'pin_only_on_trusted_peers'),
      pinOnlyOnUntrustedPeers: bool(ctx, c, json, 'pin_only_on_untrusted_peers'),
      disableRepinning: bool(ctx, c, json, 'disable_repinning'),
      followerMode: bool(ctx, c, json, 'follower_mode'),
      peerstoreFile,
      peerstorePath: peerstorePath(ctx.baseDir, peerstoreFile),
      peerAddresses: checkAddrs(ctx, 'peer_addresses', strList(ctx, c, json, 'peer_addresses'))
    }
  },

  toJson: (cfg) => {
    const out: JsonObject = {
      peername: cfg.peername,
      secret: cfg.secret,
      leave_on_shutdown: cfg.leaveOnShutdown,
      listen_multiaddress: stringsOut(cfg.listenMultiaddress),
      announce_multiaddress: stringsOut(cfg.announceMultiaddress),
      no_announce_multiaddress: stringsOut(cfg.noAnnounceMultiaddress),
      enable_relay_hop: cfg.enableRelayHop,
      connection_manager: {
        high_water: cfg.connectionManager.highWater,
        low_water: cfg.connectionManager.lowWater,
        grace_period: goDur(cfg.connectionManager.gracePeriod)
      },
      resource_manager: {
        enabled: cfg.resourceManager.enabled,
        memory_limit_bytes: cfg.resourceManager.memoryLimitBytes,
        file_descriptors_limit: cfg.resourceManager.fileDescriptorsLimit
      },
      pubsub: {
        seen_messages_ttl: goDur(cfg.pubsub.seenMessagesTtl),
        heartbeat_interval: goDur(cfg.pubsub.heartbeatInterval),
        d_factor: cfg.pubsub.dFactor,
        history_gossip: cfg.pubsub.historyGossip,
        history_length: cfg.pubsub.historyLength,
        flood_publish: cfg.pubsub.floodPublish
      },
      dial_peer_timeout: goDur(cfg.dialPeerTimeout),
      state_sync_interval: goDur(cfg.stateSyncInterval),
      pin_recover_interval: goDur(cfg.pinRecoverInterval),
      replication_factor_min: cfg.replicationFactorMin,
      replication_factor_max: cfg.replicationFactorMax,
      monitor_ping_interval: goDur(cfg.monitorPingInterval),
      peer_watch_interval: goDur(cfg.peerWatchInterval),
      mdns_interval: goDur(cfg.mdnsInterval),
      pin_only_on_trusted_peers: cfg.pinOnlyOnTrustedPeers,
      pin_only_on_untrusted_peers: cfg.pinOnlyOnUntrustedPeers,
      disable_repinning: cfg.disableRepinning
    }
    if (cfg.followerMode) out.follower_mode = true
    if (cfg.peerstoreFile !== '') out.peerstore_file = cfg.peerstoreFile
    out.peer_addresses = [...cfg.peerAddresses]
    return out
  },

  validate: (cfg, ctx) => {
    const p = ctx.problems
    if (cfg.listenMultiaddress.length === 0) p.push('cluster.listen_multiaddress is empty')
    const cm = cfg.connectionManager
    if (cm.lowWater <= 0) p.push('cluster.connection_manager.low_water is invalid')
    if (cm.highWater <= 0) p.push('cluster.connection_manager.high_water is invalid')
    if (cm.lowWater > cm.highWater) p.push('cluster.connection_manager.low_water is greater than high_water')
    if (cm.gracePeriod === 0) p.push('cluster.connection_manager.grace_period is invalid')
    const ps = cfg.pubsub
    if (ps.seenMessagesTtl <= 0) p.push('cluster.pubsub.seen_message_ttl is invalid')
    if (ps.heartbeatInterval <= 0) p.push('cluster.pubsub.heartbeat_interval is invalid')
    if (ps.dFactor < 1) p.push('cluster.pubsub.d_factor is invalid')
    if (ps.historyGossip <= 0) p.push('cluster.pubsub.history_gossip is invalid')
    if (ps.historyLength <= 0) p.push('cluster.pubsub.history_length is invalid')
    if (cfg.dialPeerTimeout <= 0) p.push('cluster.dial_peer_timeout is invalid')
    if (cfg.stateSyncInterval <= 0) p.push('cluster.state_sync_interval is invalid')
    if (cfg.pinRecoverInterval <= 0) p.push('cluster.pin_recover_interval is invalid')
    if (cfg.monitorPingInterval <= 0) p.push('cluster.monitoring_interval is invalid')
    if (cfg.peerWatchInterval <= 0) p.push('cluster.peer_watch_interval is invalid')
    if (cfg.pinOnlyOnTrustedPeers && cfg.pinOnlyOnUntrustedPeers) {
      p.push('cluster.pin_only_on_trusted_peers and pin_only_on_untrusted_peers cannot both be true')
    }
    const e = replicationFactorError(cfg.replicationFactorMin, cfg.replicationFactorMax)
    if (e != null) p.push(e)
  }
}

/** Go's `isReplicationFactorValid`: the first problem, or undefined. */
export function replicationFactorError (min: number, max: number): string | undefined {
  if (min === 0 || max === 0) return 'cluster.replication_factor_min and max must be set'
  if (min > max) return 'cluster.replication_factor_min is larger than max'
  if (min < -1) return 'cluster.replication_factor_min is wrong'
  if (max < -1) return 'cluster.replication_factor_max is wrong'
  if ((min === -1) !== (max === -1)) return 'cluster.replication_factor_min and max must be -1 when one of them is'
  return undefined
}
