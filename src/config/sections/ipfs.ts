/**
 * IPFS connector sections: Go's `ipfs_connector.ipfshttp` (Kubo RPC client)
 * and our `ipfs_connector.embedded` (the in-process IPFS node).
 */
import { join, isAbsolute } from 'node:path'
import type { SectionCodec } from '../section.js'
import type { JsonObject } from '../fields.js'
import { bool, checkAddrs, dur, goDur, multiaddrError, num, numOr, str, strOr, strings, stringsOut } from '../fields.js'

/** `ipfs_connector.ipfshttp` in camelCase (durations in ms). */
export interface IpfsHttpConfig {
  nodeMultiaddress: string
  connectSwarmsDelay: number
  ipfsRequestTimeout: number
  pinTimeout: number
  unpinTimeout: number
  repogcTimeout: number
  informerTriggerInterval: number
  unpinDisable: boolean
}

/** Codec for `ipfs_connector.ipfshttp`. */
export const ipfsHttpSection: SectionCodec<IpfsHttpConfig> = {
  group: 'ipfs_connector',
  key: 'ipfshttp',
  envPrefix: 'CLUSTER_IPFSHTTP',
  envSchema: {
    node_multiaddress: 'string',
    connect_swarms_delay: 'string',
    ipfs_request_timeout: 'string',
    pin_timeout: 'string',
    unpin_timeout: 'string',
    repogc_timeout: 'string',
    informer_trigger_interval: 'number',
    unpin_disable: 'bool'
  },
  defaults: () => ({
    nodeMultiaddress: '/ip4/127.0.0.1/tcp/5001',
    connectSwarmsDelay: 30_000,
    ipfsRequestTimeout: 300_000,
    pinTimeout: 120_000,
    unpinTimeout: 10_800_000,
    repogcTimeout: 86_400_000,
    informerTriggerInterval: 0,
    unpinDisable: false
  }),
  parse: (json, base, ctx) => {
    const c = 'ipfshttp'
    const node = str(ctx, c, json, 'node_multiaddress')
    // Go always parses it: an empty value is an error too.
    const e = node === '' ? 'empty multiaddr' : multiaddrError(node)
    if (e != null) ctx.problems.push(`error parsing ipfs_node_multiaddress: ${e}`)
    return {
      nodeMultiaddress: node,
      connectSwarmsDelay: dur(ctx, c, json, 'connect_swarms_delay', base.connectSwarmsDelay),
      ipfsRequestTimeout: dur(ctx, c, json, 'ipfs_request_timeout', base.ipfsRequestTimeout),
      pinTimeout: dur(ctx, c, json, 'pin_timeout', base.pinTimeout),
      unpinTimeout: dur(ctx, c, json, 'unpin_timeout', base.unpinTimeout),
      repogcTimeout: dur(ctx, c, json, 'repogc_timeout', base.repogcTimeout),
      informerTriggerInterval: num(ctx, c, json, 'informer_trigger_interval'),
      unpinDisable: bool(ctx, c, json, 'unpin_disable')
    }
  },
  toJson: (cfg) => {
    const out: JsonObject = {
      node_multiaddress: cfg.nodeMultiaddress,
      connect_swarms_delay: goDur(cfg.connectSwarmsDelay),
      ipfs_request_timeout: goDur(cfg.ipfsRequestTimeout),
      pin_timeout: goDur(cfg.pinTimeout),
      unpin_timeout: goDur(cfg.unpinTimeout),
      repogc_timeout: goDur(cfg.repogcTimeout),
      informer_trigger_interval: cfg.informerTriggerInterval
    }
    if (cfg.unpinDisable) out.unpin_disable = true
    return out
  },
  validate: (cfg, ctx) => {
    const p = ctx.problems
    if (cfg.nodeMultiaddress === '') p.push('ipfshttp.node_multiaddress not set')
    if (cfg.connectSwarmsDelay < 0) p.push('ipfshttp.connect_swarms_delay is invalid')
    if (cfg.ipfsRequestTimeout < 0) p.push('ipfshttp.ipfs_request_timeout invalid')
    if (cfg.pinTimeout < 0) p.push('ipfshttp.pin_timeout invalid')
    if (cfg.unpinTimeout < 0) p.push('ipfshttp.unpin_timeout invalid')
    if (cfg.repogcTimeout < 0) p.push('ipfshttp.repogc_timeout invalid')
    if (cfg.informerTriggerInterval < 0) p.push('ipfshttp.informer_trigger_interval')
  }
}

/** `ipfs_connector.embedded` in camelCase (durations in ms, storage in bytes). */
export interface EmbeddedConfig {
  swarmListenMultiaddress: string[]
  announceMultiaddress: string[]
  /** As written (relative to the config folder unless absolute). */
  repoFolder: string
  /** Absolute repository path. */
  repoPath: string
  ipfsRequestTimeout: number
  pinTimeout: number
  unpinTimeout: number
  repogcTimeout: number
  storageMax: number
  fetchConcurrency: number
  connectSwarmsDelay: number
  informerTriggerInterval: number
  unpinDisable: boolean
  /** How `/ipns/` names are looked up (Kubo's `Routing.Type` names). */
  routing: EmbeddedRoutingType
}

/**
 * `ipfs_connector.embedded.routing`: `dht` = a DHT server over the peers the node is
 * connected to (no bootstrap), `dhtclient` = the same without answering queries,
 * `none` = IPNS records from the local store only.
 */
export type EmbeddedRoutingType = 'dht' | 'dhtclient' | 'none'

/** Accepted `routing` values. */
export const EMBEDDED_ROUTING_TYPES: readonly EmbeddedRoutingType[] = Object.freeze(['dht', 'dhtclient', 'none'])

/** Default `routing`. */
export const DEFAULT_EMBEDDED_ROUTING: EmbeddedRoutingType = 'dht'

const SIZE_UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1e3,
  kb: 1e3,
  kib: 1024,
  m: 1e6,
  mb: 1e6,
  mib: 1024 ** 2,
  g: 1e9,
  gb: 1e9,
  gib: 1024 ** 3,
  t: 1e12,
  tb: 1e12,
  tib: 1024 ** 4,
  p: 1e15,
  pb: 1e15,
  pib: 1024 ** 5
}

/**
 * Parses a byte size: a number, or a string like `10GB`, `512MiB`, `1.5 TB`
 * (SI units are powers of 1000, `i` units powers of 1024, as Kubo). Returns
 * undefined when unparsable.
 */
export function parseByteSize (v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) && v >= 0 ? Math.floor(v) : undefined
  if (typeof v !== 'string') return undefined
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(v)
  if (m == null) return undefined
  const unit = SIZE_UNITS[m[2].toLowerCase()]
  if (unit == null) return undefined
  return Math.floor(Number(m[1]) * unit)
}

/** Default embedded repo folder name. */
export const DEFAULT_REPO_FOLDER = 'ipfs'
/** Default embedded swarm listen address. */
export const DEFAULT_SWARM_LISTEN = '/ip4/0.0.0.0/tcp/4001'

function repoPath (baseDir: string, folder: string): string {
  return isAbsolute(folder) ? folder : join(baseDir, folder)
}

/** Codec for `ipfs_connector.embedded`. */
export const embeddedSection: SectionCodec<EmbeddedConfig> = {
  group: 'ipfs_connector',
  key: 'embedded',
  envPrefix: 'CLUSTER_EMBEDDED',
  envSchema: {
    swarm_listen_multiaddress: 'list',
    announce_multiaddress: 'list',
    repo_folder: 'string',
    ipfs_request_timeout: 'string',
    pin_timeout: 'string',
    unpin_timeout: 'string',
    repogc_timeout: 'string',
    storage_max: 'string',
    fetch_concurrency: 'number',
    connect_swarms_delay: 'string',
    informer_trigger_interval: 'number',
    unpin_disable: 'bool',
    routing: 'string'
  },
  defaults: (ctx) => ({
    swarmListenMultiaddress: [DEFAULT_SWARM_LISTEN],
    announceMultiaddress: [],
    repoFolder: DEFAULT_REPO_FOLDER,
    repoPath: repoPath(ctx.baseDir, DEFAULT_REPO_FOLDER),
    ipfsRequestTimeout: 300_000,
    pinTimeout: 120_000,
    unpinTimeout: 10_800_000,
    repogcTimeout: 86_400_000,
    storageMax: 10_000_000_000,
    fetchConcurrency: 32,
    connectSwarmsDelay: 30_000,
    informerTriggerInterval: 0,
    unpinDisable: false,
    routing: DEFAULT_EMBEDDED_ROUTING
  }),
  parse: (json, base, ctx) => {
    const c = 'embedded'
    const listen = strings(ctx, c, json, 'swarm_listen_multiaddress')
    checkAddrs(ctx, 'embedded.swarm_listen_multiaddress', listen)
    const announce = strings(ctx, c, json, 'announce_multiaddress')
    checkAddrs(ctx, 'embedded.announce_multiaddress', announce)
    const repoFolder = strOr(ctx, c, json, 'repo_folder', base.repoFolder)
    let storageMax = base.storageMax
    const rawMax = json.storage_max
    if (rawMax != null && rawMax !== '' && rawMax !== 0) {
      const parsed = parseByteSize(rawMax)
      if (parsed == null) ctx.problems.push(`error parsing embedded.storage_max: invalid size ${JSON.stringify(rawMax)}`)
      else storageMax = parsed
    }
    return {
      swarmListenMultiaddress: listen.length > 0 ? listen : [...base.swarmListenMultiaddress],
      announceMultiaddress: announce,
      repoFolder,
      repoPath: repoPath(ctx.baseDir, repoFolder),
      ipfsRequestTimeout: dur(ctx, c, json, 'ipfs_request_timeout', base.ipfsRequestTimeout),
      pinTimeout: dur(ctx, c, json, 'pin_timeout', base.pinTimeout),
      unpinTimeout: dur(ctx, c, json, 'unpin_timeout', base.unpinTimeout),
      repogcTimeout: dur(ctx, c, json, 'repogc_timeout', base.repogcTimeout),
      storageMax,
      fetchConcurrency: numOr(ctx, c, json, 'fetch_concurrency', base.fetchConcurrency),
      connectSwarmsDelay: dur(ctx, c, json, 'connect_swarms_delay', base.connectSwarmsDelay),
      informerTriggerInterval: num(ctx, c, json, 'informer_trigger_interval'),
      unpinDisable: bool(ctx, c, json, 'unpin_disable'),
      // missing or "" (configs written before the key existed) keep the default
      routing: strOr(ctx, c, json, 'routing', base.routing) as EmbeddedRoutingType
    }
  },
  toJson: (cfg) => ({
    swarm_listen_multiaddress: stringsOut(cfg.swarmListenMultiaddress),
    announce_multiaddress: stringsOut(cfg.announceMultiaddress),
    repo_folder: cfg.repoFolder,
    ipfs_request_timeout: goDur(cfg.ipfsRequestTimeout),
    pin_timeout: goDur(cfg.pinTimeout),
    unpin_timeout: goDur(cfg.unpinTimeout),
    repogc_timeout: goDur(cfg.repogcTimeout),
    storage_max: cfg.storageMax,
    fetch_concurrency: cfg.fetchConcurrency,
    connect_swarms_delay: goDur(cfg.connectSwarmsDelay),
    informer_trigger_interval: cfg.informerTriggerInterval,
    unpin_disable: cfg.unpinDisable,
    routing: cfg.routing
  }),
  validate: (cfg, ctx) => {
    const p = ctx.problems
    if (cfg.swarmListenMultiaddress.length === 0) p.push('embedded.swarm_listen_multiaddress is empty')
    if (cfg.repoFolder === '') p.push('embedded.repo_folder is unset')
    if (cfg.ipfsRequestTimeout < 0) p.push('embedded.ipfs_request_timeout invalid')
    if (cfg.pinTimeout < 0) p.push('embedded.pin_timeout invalid')
    if (cfg.unpinTimeout < 0) p.push('embedded.unpin_timeout invalid')
    if (cfg.repogcTimeout < 0) p.push('embedded.repogc_timeout invalid')
    if (cfg.storageMax <= 0) p.push('embedded.storage_max is invalid')
    if (cfg.fetchConcurrency <= 0 || !Number.isInteger(cfg.fetchConcurrency)) p.push('embedded.fetch_concurrency is invalid')
    if (cfg.connectSwarmsDelay < 0) p.push('embedded.connect_swarms_delay is invalid')
    if (cfg.informerTriggerInterval < 0) p.push('embedded.informer_trigger_interval is invalid')
    if (!EMBEDDED_ROUTING_TYPES.includes(cfg.routing)) {
      p.push(`embedded.routing must be one of ${EMBEDDED_ROUTING_TYPES.map((t) => `"${t}"`).join(', ')}, not ${JSON.stringify(cfg.routing)}`)
    }
  }
}
