/**
 * JSON forms of the API types (spec rest-api §11), in the reference's key order.
 * `xToJson` builds a plain object to be written with `goJson`; `xFromJson` decodes
 * leniently like Go (missing fields → zero values).
 */
import { CID } from 'multiformats/cid'
import { parseCid } from './cid.js'
import { modeForMaxDepth, parsePinMode, maxDepthForMode } from './pin.js'
import { goJson, sortedObject } from '../../util/gojson.js'
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
export function pinFromJson (j: Json, knownCid?: CID): Pin {
  if (j == null || typeof j !== 'object' || Array.isArray(j)) throw new Error('pin is not a JSON object')
  // a caller that knows the CID (a store key) spares parsing its text
  const cid = knownCid ?? optCid(j.cid)
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

// ---- status lines written directly (the hot path of `GET /pins` listings) ----
// Each function below returns exactly `goJson(<object encoder above>)` for the same
// input, building the text without intermediate objects; inputs of unexpected shape
// fall back to the object encoders, so the bytes never differ.

/**
 * Optional own property of a PinInfo holding `cid.toString()`. Listing producers that
 * build the CID lazily set it so that the line encoders neither build nor print the CID.
 * Whoever replaces `cid` must clear it.
 */
export const CID_TEXT: unique symbol = Symbol('ipfs-cluster.cidText')

/** A PinInfo that may carry its CID text (see `CID_TEXT`). */
export type PinInfoWithCidText = PinInfo & { [CID_TEXT]?: string | undefined }

/** Whether `goJson(s)` is `s` in plain quotes (nothing to escape). */
function plainText (s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    // JSON escapes: controls, quote, backslash, lone surrogates; Go adds <, >, &, U+2028/9
    if (c < 0x20 || c === 0x22 || c === 0x5c || c === 0x3c || c === 0x3e || c === 0x26 ||
      (c >= 0x2028 && (c <= 0x2029 || (c >= 0xd800 && c <= 0xdfff)))) {
      return false
    }
  }
  return true
}

/** `goJson(s)` for a string: text with nothing to escape is only quoted. */
export function jsonString (s: string): string {
  return plainText(s) ? '"' + s + '"' : goJson(s)
}

/** `goJson(l ?? null)` for a string list. */
function jsonStringList (l: unknown): string {
  if (l == null) return 'null'
  if (!Array.isArray(l)) return goJson(l)
  if (l.length === 0) return '[]'
  let s = '['
  for (let i = 0; i < l.length; i++) {
    const v: unknown = l[i]
    if (typeof v !== 'string') return goJson(l)
    s += i === 0 ? jsonString(v) : ',' + jsonString(v)
  }
  return s + ']'
}

/** Last time written by one call site: listings repeat the same (second precision) time. */
interface TimeMemo { ms: number, offset: number, text: string }
const ZERO_TIME_JSON = '"0001-01-01T00:00:00Z"'
const createdMemo: TimeMemo = { ms: NaN, offset: 0, text: '' }
const timestampMemo: TimeMemo = { ms: NaN, offset: 0, text: '' }

/** `goJson(formatTime(d))`; the text depends only on the instant and the zone offset. */
function jsonTime (d: Date | undefined, memo: TimeMemo): string {
  if (d == null) return ZERO_TIME_JSON
  const ms = d.getTime()
  const offset = d.getTimezoneOffset()
  if (ms !== memo.ms || offset !== memo.offset) {
    // RFC 3339 text has nothing to escape
    memo.text = '"' + formatTime(d) + '"'
    memo.ms = ms
    memo.offset = offset
  }
  return memo.text
}

/**
 * The peer-constant head of a `peer_map` entry, up to `"status":` (one peer writes
 * them all), and the same text after `,"metadata":null` (the usual case), kept whole so
 * a line is built from fewer string pieces.
 */
interface PeerHead { peer: string, peerName: string, ipfsPeerId: string, addresses: string[], text: string, afterNullMetadata: string }
let lastPeerHead: PeerHead | undefined

function peerHead (peer: string, s: PinInfoShort): PeerHead {
  const h = lastPeerHead
  const addrs = s.ipfsPeerAddresses
  if (h != null && h.peer === peer && h.peerName === s.peerName && h.ipfsPeerId === s.ipfsPeerId &&
    h.addresses.length === addrs.length && h.addresses.every((a, i) => a === addrs[i])) {
    return h
  }
  let text = jsonString(peer) + ':{"peername":' + jsonString(s.peerName)
  if (s.ipfsPeerId !== '') text += ',"ipfs_peer_id":' + jsonString(s.ipfsPeerId)
  if (addrs.length > 0) text += ',"ipfs_peer_addresses":' + jsonStringList(addrs)
  text += ',"status":'
  const afterNullMetadata = ',"metadata":null,"peer_map":{' + text
  lastPeerHead = { peer, peerName: s.peerName, ipfsPeerId: s.ipfsPeerId, addresses: [...addrs], text, afterNullMetadata }
  return lastPeerHead
}

/** The end of a line without error, attempts or priority (the usual case). */
const PLAIN_TAIL = ',"error":"","attempt_count":0,"priority_pin":false}}}'

const isTime = (d: unknown): boolean => d == null || d instanceof Date

/** Whether the fast writers produce the same bytes as the object encoders for this entry. */
function plainShort (peer: unknown, s: PinInfoShort): boolean {
  return typeof peer === 'string' && peer !== '__proto__' && typeof s.peerName === 'string' &&
    typeof s.ipfsPeerId === 'string' && Array.isArray(s.ipfsPeerAddresses) && typeof s.status === 'string' &&
    isTime(s.timestamp) && typeof s.error === 'string' && typeof s.attemptCount === 'number' &&
    typeof s.priorityPin === 'boolean'
}

/** `jsonString(status) + ',"timestamp":'` per status (a handful of values). */
const statusHeads = new Map<string, string>()

function statusHead (status: string): string {
  let text = statusHeads.get(status)
  if (text == null) {
    text = jsonString(status) + ',"timestamp":'
    if (statusHeads.size < 32) statusHeads.set(status, text)
  }
  return text
}

function line (cid: string | undefined, name: string, allocations: unknown, origins: unknown, created: Date | undefined,
  metadata: Record<string, string> | undefined, peer: string, s: PinInfoShort): string {
  const head = peerHead(peer, s)
  const tail = s.error === '' && s.attemptCount === 0 && !s.priorityPin
    ? PLAIN_TAIL
    : ',"error":' + jsonString(s.error) +
      ',"attempt_count":' + (Number.isFinite(s.attemptCount) ? String(s.attemptCount) : 'null') +
      ',"priority_pin":' + (s.priorityPin ? 'true' : 'false') + '}}}'
  // quotes written with the constant text around them: fewer string pieces per line
  const start = cid != null && plainText(cid) && plainText(name)
    ? '{"cid":"' + cid + '","name":"' + name + '","allocations":'
    : '{"cid":' + (cid == null ? 'null' : jsonString(cid)) + ',"name":' + jsonString(name) + ',"allocations":'
  return start + jsonStringList(allocations) +
    ',"origins":' + jsonStringList(origins) +
    ',"created":' + jsonTime(created, createdMemo) +
    (metadata == null ? head.afterNullMetadata : ',"metadata":' + goJson(mapJson(metadata)) + ',"peer_map":{' + head.text) +
    statusHead(s.status) + jsonTime(s.timestamp, timestampMemo) + tail
}

/**
 * One peer's status as the NDJSON line of a `local=true` listing: the same text as
 * `goJson(globalPinInfoToJson(globalPinInfoFromPinInfo(p)))`.
 */
export function pinInfoLine (p: PinInfoWithCidText): string {
  if (typeof p.name !== 'string' || !isTime(p.created) || !plainShort(p.peer, p)) {
    return goJson(globalPinInfoToJson(globalPinInfoFromPinInfo(p)))
  }
  const text = p[CID_TEXT]
  const cid = typeof text === 'string' ? text : p.cid?.toString()
  return line(cid, p.name, p.allocations, p.origins, p.created, p.metadata, p.peer, p)
}

/** A GlobalPinInfo as an NDJSON line: the same text as `goJson(globalPinInfoToJson(g))`. */
export function globalPinInfoLine (g: GlobalPinInfo): string {
  if (g.peerMap.size !== 1 || typeof g.name !== 'string' || !isTime(g.created)) return goJson(globalPinInfoToJson(g))
  const [peer, s] = g.peerMap.entries().next().value as [string, PinInfoShort]
  if (!plainShort(peer, s)) return goJson(globalPinInfoToJson(g))
  const cid = g.cid?.toString()
  return line(cid, g.name, g.allocations, g.origins, g.created, g.metadata, peer, s)
}

// ---- CID bytes of canonical CID text (listing hot paths) ----

/**
 * A decoder of base-x text (leading zero digits are zero bytes, as base-x does), in
 * 7-digit chunks (base-x decodes digit by digit, ~3 µs for a CID). Returns undefined
 * for any character outside the alphabet.
 */
export function baseXDecoder (alphabet: string): (text: string, start: number) => Uint8Array | undefined {
  const digits = new Int8Array(128).fill(-1)
  for (let i = 0; i < alphabet.length; i++) digits[alphabet.charCodeAt(i)] = i
  const base = alphabet.length
  const zero = alphabet.charCodeAt(0)
  // base^7 * 256 stays below 2^53 for any base up to 58
  const CHUNK = 7
  return (text, start) => {
    let i = start
    let zeros = 0
    while (i < text.length && text.charCodeAt(i) === zero) {
      zeros++
      i++
    }
    // the value as little-endian bytes
    const limbs: number[] = []
    while (i < text.length) {
      const end = Math.min(i + CHUNK, text.length)
      let mul = 1
      let carry = 0
      for (; i < end; i++) {
        const c = text.charCodeAt(i)
        const d = c < 128 ? digits[c] : -1
        if (d < 0) return undefined
        carry = carry * base + d
        mul *= base
      }
      for (let k = 0; k < limbs.length; k++) {
        const v = limbs[k] * mul + carry
        limbs[k] = v % 256
        carry = Math.floor(v / 256)
      }
      while (carry > 0) {
        limbs.push(carry % 256)
        carry = Math.floor(carry / 256)
      }
    }
    const out = new Uint8Array(zeros + limbs.length)
    for (let k = 0; k < limbs.length; k++) out[out.length - 1 - k] = limbs[k]
    return out
  }
}

const decodeBase58btc = baseXDecoder('123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz')
const BASE32_DIGITS = (() => {
  const d = new Int8Array(128).fill(-1)
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567'
  for (let i = 0; i < alphabet.length; i++) d[alphabet.charCodeAt(i)] = i
  return d
})()

/** Multibase base32 text (`b`, lower case, no padding) as bytes; undefined unless canonical. */
function decodeBase32 (text: string): Uint8Array | undefined {
  const n = Math.floor((text.length - 1) * 5 / 8)
  // canonical: no digit beyond what the bytes need
  if (Math.ceil(n * 8 / 5) !== text.length - 1) return undefined
  const out = new Uint8Array(n)
  let bits = 0
  let acc = 0
  let k = 0
  for (let i = 1; i < text.length; i++) {
    const c = text.charCodeAt(i)
    const d = c < 128 ? BASE32_DIGITS[c] : -1
    if (d < 0) return undefined
    acc = ((acc << 5) | d) & 0xfff
    bits += 5
    if (bits >= 8) {
      bits -= 8
      out[k++] = (acc >> bits) & 0xff
    }
  }
  return (acc & ((1 << bits) - 1)) === 0 ? out : undefined
}

/** `text === base32.encode(bytes)` (multibase `b`, RFC 4648 lower case, no padding), without encoding. */
export function isBase32Of (text: string, bytes: Uint8Array): boolean {
  if (text.length !== 1 + Math.ceil(bytes.length * 8 / 5) || text[0] !== 'b') return false
  let bits = 0
  let acc = 0
  let k = 0
  for (let i = 1; i < text.length; i++) {
    const c = text.charCodeAt(i)
    const d = c < 128 ? BASE32_DIGITS[c] : -1
    if (d < 0) return false
    acc = ((acc << 5) | d) & 0xfff
    bits += 5
    if (bits >= 8) {
      bits -= 8
      if (((acc >> bits) & 0xff) !== bytes[k++]) return false
    }
  }
  // the encoder pads the last digit with zero bits
  return (acc & ((1 << bits) - 1)) === 0
}

/**
 * The bytes of a CID from its canonical text (`cid.toString()`: base32 for v1,
 * base58btc for v0) without building the CID: equal to `parseCid(text).bytes`
 * whenever defined. Undefined for any other text (other bases, non-minimal or
 * multi-byte varints, wrong lengths): callers then parse.
 */
export function canonicalCidBytes (text: string): Uint8Array | undefined {
  if (text.length === 46 && text.startsWith('Qm')) {
    const b = decodeBase58btc(text, 0)
    return b != null && b.length === 34 && b[0] === 0x12 && b[1] === 0x20 ? b : undefined
  }
  if (text.length < 8 || text[0] !== 'b') return undefined
  const b = decodeBase32(text)
  // v1 with one-byte codec, hash code and digest size, and exactly that digest
  if (b == null || b.length < 4 || b[0] !== 1 || b[1] >= 0x80 || b[2] >= 0x80 || b[3] >= 0x80 || b.length !== 4 + b[3]) return undefined
  return b
}

