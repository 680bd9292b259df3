/**
 * JSON forms of the API types (spec rest-api §11), in the reference's key order.
 * `xToJson` builds a plain object to be written with `goJson`; `xFromJson` decodes
 * leniently like Go (missing fields → zero values).
 */
import { CID } from 'multiformats/cid'
import { parseCid } from './cid.js'
import { modeForMaxDepth, parsePinMode, maxDepthForMode } from './pin.js'
import { sortedObject } from '../../util/gojson.js'
import { formatTime, parseTime } from '../../util/time.js'
import type {
  AddedOutput, Alert, ConnectGraph, GlobalPinInfo, GlobalRepoGC, ID, IPFSID, Metric,
  Pin, PinInfo, PinInfoShort, PinOptions, PinType, RepoGC, TrackerStatus, BandwidthByProtocol
} from '../../interface/types.js'

type Json = Record<string, unknown>

const cidJson = (c: CID | undefined): string | null => (c == null ? null : c.toString())
const mapJson = (m: Record<string, string> | undefined): Record<string, string> | null =>
  m == null ? null : sortedObject(Object.entries(m))

/** PinOptions keys (the first ten keys of a Pin). */
export function pinOptionsToJson (o: PinOptions): Json {
  return {
    replication_factor_min: o.replicationFactorMin,
    replication_factor_max: o.replicationFactorMax,
    name: o.name,
    mode: o.mode,
    shard_size: o.shardSize,
    user_allocations: o.userAllocations ?? null,
    expire_at: formatTime(o.expireAt),
    metadata: mapJson(o.metadata),
    pin_update: cidJson(o.pinUpdate),
    origins: o.origins ?? null
  }
}

/**
 * A Pin. With `stored: true` it is the form read back from the pinset: second
 * precision times, `user_allocations` null, `allocations`/`origins` never null.
 */
export function pinToJson (p: Pin, opts: { stored?: boolean } = {}): Json {
  const stored = opts.stored === true
  return {
    replication_factor_min: p.replicationFactorMin,
    replication_factor_max: p.replicationFactorMax,
    name: p.name,
    mode: modeForMaxDepth(p.maxDepth),
    shard_size: p.shardSize,
    user_allocations: stored ? null : (p.userAllocations ?? null),
    expire_at: formatTime(p.expireAt, { seconds: stored }),
    // the pinset's protobuf drops empty maps: read back, no metadata is null
    metadata: stored && (p.metadata == null || Object.keys(p.metadata).length === 0) ? null : mapJson(p.metadata),
    pin_update: cidJson(p.pinUpdate),
    origins: stored ? (p.origins ?? []) : (p.origins ?? null),
    cid: cidJson(p.cid),
    type: p.type,
    allocations: p.allocations ?? [],
    max_depth: p.maxDepth,
    reference: cidJson(p.reference),
    timestamp: formatTime(p.timestamp, { seconds: stored })
  }
}

function str (v: unknown): string {
  return typeof v === 'string' ? v : ''
}
function num (v: unknown): number {
  return typeof v === 'number' ? v : (typeof v === 'bigint' ? Number(v) : 0)
}
function big (v: unknown): bigint {
  if (typeof v === 'bigint') return v
  if (typeof v === 'number') return BigInt(Math.trunc(v))
  return 0n
}
function strList (v: unknown): string[] | undefined {
  return Array.isArray(v) ? v.map(String) : undefined
}
function optCid (v: unknown): CID | undefined {
  if (v == null || v === '') return undefined
  if (typeof v === 'object' && typeof (v as Json)['/'] === 'string') return parseCid((v as Json)['/'] as string)
  return parseCid(String(v))
}
function optTime (v: unknown): Date | undefined {
  return typeof v === 'string' && v !== '' ? parseTime(v) : undefined
}
function strMap (v: unknown): Record<string, string> | undefined {
  if (v == null || typeof v !== 'object') return undefined
  const out: Record<string, string> = {}
  for (const [k, val] of Object.entries(v as Json)) out[k] = String(val)
  return out
}

const PIN_TYPES = new Set(['pin', 'meta-pin', 'clusterdag-pin', 'shard-pin'])
// numeric types of old exports (Go bit values)
const PIN_TYPE_BY_NUMBER: Record<number, PinType> = { 2: 'pin', 4: 'meta-pin', 8: 'clusterdag-pin', 16: 'shard-pin' }

/**
 * Decodes a Pin; throws when the CID is missing or invalid. Missing fields take
 * zero values; a missing `type` is a data pin and a missing `max_depth` follows `mode`.
 */
export function pinFromJson (j: Json): Pin {
  if (j == null || typeof j !== 'object' || Array.isArray(j)) throw new Error('pin is not a JSON object')
  const cid = optCid(j.cid)
  if (cid == null) throw new Error('pin has no cid')
  let type: PinType = 'pin'
  if (typeof j.type === 'string') type = PIN_TYPES.has(j.type) ? j.type as PinType : 'bad-type'
  else if (typeof j.type === 'number') type = PIN_TYPE_BY_NUMBER[j.type] ?? 'bad-type'
  const mode = parsePinMode(str(j.mode))
  const maxDepth = typeof j.max_depth === 'number' ? j.max_depth : maxDepthForMode(mode)
  return {
    replicationFactorMin: num(j.replication_factor_min),
    replicationFactorMax: num(j.replication_factor_max),
    name: str(j.name),
    mode: modeForMaxDepth(maxDepth),
    shardSize: num(j.shard_size),
    userAllocations: strList(j.user_allocations),
    expireAt: optTime(j.expire_at),
    metadata: strMap(j.metadata),
    pinUpdate: optCid(j.pin_update),
    origins: strList(j.origins),
    cid,
    type,
    allocations: strList(j.allocations) ?? [],
    maxDepth,
    reference: optCid(j.reference),
    timestamp: optTime(j.timestamp)
  }
}

export function pinInfoShortToJson (p: PinInfoShort): Json {
  const o: Json = { peername: p.peerName }
  if (p.ipfsPeerId !== '') o.ipfs_peer_id = p.ipfsPeerId
  if (p.ipfsPeerAddresses.length > 0) o.ipfs_peer_addresses = p.ipfsPeerAddresses
  o.status = p.status
  o.timestamp = formatTime(p.timestamp)
  o.error = p.error
  o.attempt_count = p.attemptCount
  o.priority_pin = p.priorityPin
  return o
}

export function pinInfoShortFromJson (j: Json): PinInfoShort {
  return {
    peerName: str(j.peername),
    ipfsPeerId: str(j.ipfs_peer_id),
    ipfsPeerAddresses: strList(j.ipfs_peer_addresses) ?? [],
    status: (str(j.status) || 'undefined') as TrackerStatus,
    timestamp: optTime(j.timestamp),
    error: str(j.error),
    attemptCount: num(j.attempt_count),
    priorityPin: j.priority_pin === true
  }
}

/** Single-peer PinInfo (internal/RPC form). */
export function pinInfoToJson (p: PinInfo): Json {
  return {
    cid: cidJson(p.cid),
    name: p.name,
    peer: p.peer,
    allocations: p.allocations ?? null,
    origins: p.origins ?? null,
    created: formatTime(p.created),
    metadata: mapJson(p.metadata),
    ...pinInfoShortToJson(p)
  }
}

export function pinInfoFromJson (j: Json): PinInfo {
  return {
    cid: optCid(j.cid) as CID,
    name: str(j.name),
    peer: str(j.peer),
    allocations: strList(j.allocations),
    origins: strList(j.origins),
    created: optTime(j.created),
    metadata: strMap(j.metadata),
    ...pinInfoShortFromJson(j)
  }
}

/** Wraps one peer's PinInfo as a GlobalPinInfo (what `local=true` answers). */
export function globalPinInfoFromPinInfo (p: PinInfo): GlobalPinInfo {
  const g: GlobalPinInfo = {
    cid: undefined, name: '', allocations: undefined, origins: undefined, created: undefined, metadata: undefined, peerMap: new Map()
  }
  mergePinInfo(g, p)
  return g
}

/** Go `GlobalPinInfo.Add`: top-level fields set from `p` unless it is an error entry. */
export function mergePinInfo (g: GlobalPinInfo, p: PinInfo): void {
  if (g.cid == null || (p.status !== 'cluster_error' && p.status !== 'undefined')) {
    g.cid = p.cid
    g.name = p.name
    g.allocations = p.allocations
    g.origins = p.origins
    g.created = p.created
    g.metadata = p.metadata
  }
  g.peerMap.set(p.peer, {
    peerName: p.peerName,
    ipfsPeerId: p.ipfsPeerId,
    ipfsPeerAddresses: p.ipfsPeerAddresses,
    status: p.status,
    timestamp: p.timestamp,
    error: p.error,
    attemptCount: p.attemptCount,
    priorityPin: p.priorityPin
  })
}

export function globalPinInfoToJson (g: GlobalPinInfo): Json {
  return {
    cid: cidJson(g.cid),
    name: g.name,
    allocations: g.allocations ?? null,
    origins: g.origins ?? null,
    created: formatTime(g.created),
    metadata: mapJson(g.metadata),
    peer_map: sortedObject([...g.peerMap].map(([k, v]) => [k, pinInfoShortToJson(v)]))
  }
}

export function globalPinInfoFromJson (j: Json): GlobalPinInfo {
  const peerMap = new Map<string, PinInfoShort>()
  if (j.peer_map != null && typeof j.peer_map === 'object') {
    for (const [k, v] of Object.entries(j.peer_map as Json)) peerMap.set(k, pinInfoShortFromJson(v as Json))
  }
  return {
    cid: optCid(j.cid),
    name: str(j.name),
    allocations: strList(j.allocations),
    origins: strList(j.origins),
    created: optTime(j.created),
    metadata: strMap(j.metadata),
    peerMap
  }
}

export function ipfsIdToJson (i: IPFSID): Json {
  const o: Json = {}
  if (i.id !== '') o.id = i.id
  o.addresses = i.addresses ?? null
  o.error = i.error
  return o
}

export function idToJson (i: ID): Json {
  return {
    id: i.id,
    addresses: i.addresses ?? null,
    cluster_peers: i.clusterPeers,
    cluster_peers_addresses: i.clusterPeersAddresses,
    version: i.version,
    commit: i.commit,
    rpc_protocol_version: i.rpcProtocolVersion,
    error: i.error,
    ipfs: ipfsIdToJson(i.ipfs),
    peername: i.peerName
  }
}

export function idFromJson (j: Json): ID {
  const ipfs = (j.ipfs ?? {}) as Json
  return {
    id: str(j.id),
    addresses: strList(j.addresses),
    clusterPeers: strList(j.cluster_peers) ?? [],
    clusterPeersAddresses: strList(j.cluster_peers_addresses) ?? [],
    version: str(j.version),
    commit: str(j.commit),
    rpcProtocolVersion: str(j.rpc_protocol_version),
    error: str(j.error),
    ipfs: { id: str(ipfs.id), addresses: strList(ipfs.addresses), error: str(ipfs.error) },
    peerName: str(j.peername)
  }
}

export function metricToJson (m: Metric): Json {
  return {
    name: m.name,
    peer: m.peer,
    value: m.value,
    expire: m.expire,
    valid: m.valid,
    weight: m.weight,
    partitionable: m.partitionable,
    received_at: m.receivedAt
  }
}

export function metricFromJson (j: Json): Metric {
  return {
    name: str(j.name),
    peer: str(j.peer),
    value: str(j.value),
    expire: big(j.expire),
    valid: j.valid === true,
    weight: big(j.weight),
    partitionable: j.partitionable === true,
    receivedAt: big(j.received_at)
  }
}

export function alertToJson (a: Alert): Json {
  return { ...metricToJson(a), triggered_at: formatTime(a.triggeredAt) }
}

export function alertFromJson (j: Json): Alert {
  return { ...metricFromJson(j), triggeredAt: optTime(j.triggered_at) }
}

export function repoGCToJson (r: RepoGC): Json {
  const o: Json = {
    peer: r.peer,
    peername: r.peerName,
    keys: r.keys == null
      ? null
      : r.keys.map((k) => {
        const e: Json = { key: cidJson(k.key) }
        if (k.error !== '') e.error = k.error
        return e
      })
  }
  if (r.error !== '') o.error = r.error
  return o
}

export function globalRepoGCToJson (g: GlobalRepoGC): Json {
  return { peer_map: sortedObject([...g.peerMap].map(([k, v]) => [k, repoGCToJson(v)])) }
}

export function connectGraphToJson (g: ConnectGraph): Json {
  return {
    cluster_id: g.clusterId,
    id_to_peername: sortedObject(g.idToPeerName),
    ipfs_links: sortedObject(g.ipfsLinks),
    cluster_links: sortedObject(g.clusterLinks),
    cluster_trust_links: sortedObject(g.clusterTrustLinks),
    cluster_to_ipfs: sortedObject(g.clusterToIpfs)
  }
}

export function bandwidthToJson (b: BandwidthByProtocol): Json {
  return sortedObject([...b].map(([k, v]) => [k, { total_in: v.totalIn, total_out: v.totalOut, rate_in: v.rateIn, rate_out: v.rateOut }]))
}

export function addedOutputToJson (a: AddedOutput): Json {
  const o: Json = { name: a.name, cid: cidJson(a.cid) }
  if (a.bytes > 0) o.bytes = a.bytes
  if (a.size > 0) o.size = a.size
  if (a.allocations != null && a.allocations.length > 0) o.allocations = a.allocations
  return o
}
