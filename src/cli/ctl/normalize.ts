/**
 * Schema normalisers: what a Go client prints after decoding a response into
 * its fixed type and re-encoding it. Keys come out in Go struct order, missing
 * fields take zero values, unknown fields are dropped, times keep their offset
 * and map keys are sorted (rest-api §11).
 */
import { sortedObject } from '../../util/gojson.js'
import { normalizeTimeString, ZERO_TIME } from '../../util/time.js'

type Json = Record<string, unknown>

const obj = (v: unknown): Json => (v != null && typeof v === 'object' && !Array.isArray(v) ? v as Json : {})
const str = (v: unknown): string => (typeof v === 'string' ? v : '')
const int = (v: unknown): number | bigint => (typeof v === 'bigint' ? v : typeof v === 'number' ? Math.trunc(v) : 0)
const float = (v: unknown): number => (typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : 0)
const bool = (v: unknown): boolean => v === true
const time = (v: unknown): string => (typeof v === 'string' && v !== '' ? normalizeTimeString(v) : ZERO_TIME)
const cid = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null)
/** A Go slice: `null` stays null, an array stays an array (empty or not). */
const strList = (v: unknown): string[] | null => (Array.isArray(v) ? v.map((x) => String(x)) : null)
const strMap = (v: unknown): Record<string, string> | null => {
  if (v == null || typeof v !== 'object' || Array.isArray(v)) return null
  return sortedObject(Object.entries(v as Json).map(([k, x]) => [k, typeof x === 'string' ? x : String(x)]))
}
function mapOf<T> (v: unknown, f: (x: unknown) => T): Record<string, T> | null {
  if (v == null || typeof v !== 'object' || Array.isArray(v)) return null
  return sortedObject(Object.entries(v as Json).map(([k, x]) => [k, f(x)]))
}

const PIN_TYPES = new Set(['pin', 'meta-pin', 'clusterdag-pin', 'shard-pin', 'all'])

/** Go `PinTypeFromString(..).String()`; a missing type is the zero PinType, printed `bad-type`. */
function pinType (v: unknown): string {
  if (typeof v !== 'string') return 'bad-type'
  if (v === '') return 'all'
  return PIN_TYPES.has(v) ? v : 'bad-type'
}

const STATUSES = new Set([
  'undefined', 'cluster_error', 'pin_error', 'unpin_error', 'pinned', 'pinning', 'unpinning',
  'unpinned', 'remote', 'pin_queued', 'unpin_queued', 'sharded', 'unexpectedly_unpinned', 'error', 'queued'
])

/** Tracker status as decoded by Go: unknown names are `undefined`. */
function status (v: unknown): string {
  return typeof v === 'string' && STATUSES.has(v) ? v : 'undefined'
}

// the decoders of single fields, for text formatters that skip whole-document normalisation
export { obj as normObject, str as normString, int as normInt, bool as normBool, time as normTime, cid as normCid, status as normStatus }

/** API error object `{code, message}`. */
export function normError (v: unknown): Json {
  const o = obj(v)
  return { code: int(o.code), message: str(o.message) }
}

/** `Pin`. */
export function normPin (v: unknown): Json {
  const o = obj(v)
  return {
    replication_factor_min: int(o.replication_factor_min),
    replication_factor_max: int(o.replication_factor_max),
    name: str(o.name),
    mode: o.mode === 'direct' ? 'direct' : 'recursive',
    shard_size: int(o.shard_size),
    user_allocations: strList(o.user_allocations),
    expire_at: time(o.expire_at),
    metadata: strMap(o.metadata),
    pin_update: cid(o.pin_update),
    origins: strList(o.origins),
    cid: cid(o.cid),
    type: pinType(o.type),
    allocations: strList(o.allocations),
    max_depth: int(o.max_depth),
    reference: cid(o.reference),
    timestamp: time(o.timestamp)
  }
}

/** `PinInfoShort` (a `peer_map` value). */
export function normPinInfoShort (v: unknown): Json {
  const o = obj(v)
  const out: Json = { peername: str(o.peername) }
  const ipfs = str(o.ipfs_peer_id)
  if (ipfs !== '') out.ipfs_peer_id = ipfs
  const addrs = strList(o.ipfs_peer_addresses)
  if (addrs != null && addrs.length > 0) out.ipfs_peer_addresses = addrs
  out.status = status(o.status)
  out.timestamp = time(o.timestamp)
  out.error = str(o.error)
  out.attempt_count = int(o.attempt_count)
  out.priority_pin = bool(o.priority_pin)
  return out
}

/** `GlobalPinInfo`. */
export function normGlobalPinInfo (v: unknown): Json {
  const o = obj(v)
  return {
    cid: cid(o.cid),
    name: str(o.name),
    allocations: strList(o.allocations),
    origins: strList(o.origins),
    created: time(o.created),
    metadata: strMap(o.metadata),
    peer_map: mapOf(o.peer_map, normPinInfoShort)
  }
}

/** `ID` (with its `IPFSID`). */
export function normId (v: unknown): Json {
  const o = obj(v)
  const i = obj(o.ipfs)
  const ipfs: Json = {}
  if (str(i.id) !== '') ipfs.id = str(i.id)
  ipfs.addresses = strList(i.addresses)
  ipfs.error = str(i.error)
  return {
    id: str(o.id),
    addresses: strList(o.addresses),
    cluster_peers: strList(o.cluster_peers),
    cluster_peers_addresses: strList(o.cluster_peers_addresses),
    version: str(o.version),
    commit: str(o.commit),
    rpc_protocol_version: str(o.rpc_protocol_version),
    error: str(o.error),
    ipfs,
    peername: str(o.peername)
  }
}

/** `Version`. */
export function normVersion (v: unknown): Json {
  return { version: str(obj(v).version) }
}

/** `Metric` (expire/received_at are int64 nanoseconds, bigint when large). */
export function normMetric (v: unknown): Json {
  const o = obj(v)
  return {
    name: str(o.name),
    peer: str(o.peer),
    value: str(o.value),
    expire: int(o.expire),
    valid: bool(o.valid),
    weight: int(o.weight),
    partitionable: bool(o.partitionable),
    received_at: int(o.received_at)
  }
}

/** `Alert`: the metric keys then `triggered_at`. */
export function normAlert (v: unknown): Json {
  return { ...normMetric(v), triggered_at: time(obj(v).triggered_at) }
}

/** A JSON list decoded into a Go slice: `null` unless an array. */
export function normList<T> (v: unknown, f: (x: unknown) => T): T[] | null {
  return Array.isArray(v) ? v.map(f) : null
}

/** `[]string` (metric names). */
export function normStrings (v: unknown): string[] | null {
  return strList(v)
}

/** `BandwidthByProtocol`. */
export function normBandwidth (v: unknown): Record<string, Json> | null {
  return mapOf(v, (x) => {
    const o = obj(x)
    return { total_in: int(o.total_in), total_out: int(o.total_out), rate_in: float(o.rate_in), rate_out: float(o.rate_out) }
  })
}

/** `ConnectGraph`. */
export function normConnectGraph (v: unknown): Json {
  const o = obj(v)
  return {
    cluster_id: str(o.cluster_id),
    id_to_peername: mapOf(o.id_to_peername, str),
    ipfs_links: mapOf(o.ipfs_links, (x) => strList(x)),
    cluster_links: mapOf(o.cluster_links, (x) => strList(x)),
    cluster_trust_links: mapOf(o.cluster_trust_links, bool),
    cluster_to_ipfs: mapOf(o.cluster_to_ipfs, str)
  }
}

/** `GlobalRepoGC`. */
export function normGlobalRepoGC (v: unknown): Json {
  return {
    peer_map: mapOf(obj(v).peer_map, (x) => {
      const o = obj(x)
      const out: Json = {
        peer: str(o.peer),
        peername: str(o.peername),
        keys: normList(o.keys, (k) => {
          const ko = obj(k)
          const e: Json = { key: cid(ko.key) }
          if (str(ko.error) !== '') e.error = str(ko.error)
          return e
        })
      }
      if (str(o.error) !== '') out.error = str(o.error)
      return out
    })
  }
}

/** `AddedOutput`: `bytes`, `size` and `allocations` are omitted when empty. */
export function normAddedOutput (v: unknown): Json {
  const o = obj(v)
  const out: Json = { name: str(o.name), cid: cid(o.cid) }
  const bytes = int(o.bytes)
  const size = int(o.size)
  if (bytes !== 0 && bytes !== 0n) out.bytes = bytes
  if (size !== 0 && size !== 0n) out.size = size
  const allocs = strList(o.allocations)
  if (allocs != null && allocs.length > 0) out.allocations = allocs
  return out
}
