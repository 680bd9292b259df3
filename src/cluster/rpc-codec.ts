/**
 * Wire shapes of the cluster RPC values that `rpc/codec.ts` does not cover. As there,
 * objects are the REST JSON forms of `api/common/codec.ts` where one exists (their
 * decoders live here when the REST side never needs them), bare CIDs and the CIDs of
 * high-volume items (pin/ls, blocks) travel as bytes, and int64 values as bigints.
 */
import { CID } from 'multiformats/cid'
import {
  alertFromJson, alertToJson, bandwidthToJson, connectGraphToJson, globalRepoGCToJson, ipfsIdToJson,
  pinFromJson, pinOptionsToJson, repoGCToJson
} from '../api/common/codec.js'
import { parseCid } from '../api/common/cid.js'
import { InvalidArgumentError } from '../interface/errors.js'
import { cidFromWire, cidToWire } from '../rpc/codec.js'
import type { WireObject } from '../rpc/codec.js'
import type { BlockWithFormat } from '../interface/ipfs-connector.js'
import type {
  Alert, BandwidthByProtocol, ConnectGraph, GlobalRepoGC, IPFSID, IPFSPinInfo, IPFSPinStatus, IPFSRepoGC,
  IPFSRepoStat, PinOptions, RepoGC
} from '../interface/types.js'

function object (v: unknown, what: string): WireObject {
  if (v == null || typeof v !== 'object' || Array.isArray(v) || v instanceof Uint8Array) {
    throw new InvalidArgumentError(`rpc: ${what} is not an object`)
  }
  return v as WireObject
}

const str = (v: unknown): string => typeof v === 'string' ? v : ''
const num = (v: unknown): number => typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : 0
const big = (v: unknown): bigint => typeof v === 'bigint' ? v : typeof v === 'number' ? BigInt(Math.trunc(v)) : 0n
const strList = (v: unknown): string[] | undefined => Array.isArray(v) ? v.map(String) : undefined
const entries = (v: unknown): Array<[string, unknown]> => v != null && typeof v === 'object' ? Object.entries(v) : []

/** A string argument or reply (metric names, paths, config keys). Throws InvalidArgumentError. */
export function stringFromWire (v: unknown, what = 'value'): string {
  if (typeof v !== 'string') throw new InvalidArgumentError(`rpc: ${what} must be a string`)
  return v
}

/** A list of strings (peer IDs, metric names, pin types). Throws InvalidArgumentError. */
export function stringsFromWire (v: unknown, what = 'value'): string[] {
  if (!Array.isArray(v) || v.some((s) => typeof s !== 'string')) throw new InvalidArgumentError(`rpc: ${what} must be a list of strings`)
  return v as string[]
}

/** An integer (int64 on the wire: number or bigint). Throws InvalidArgumentError. */
export function intFromWire (v: unknown, what = 'value'): number {
  if (typeof v === 'number' && Number.isInteger(v)) return v
  if (typeof v === 'bigint') return Number(v)
  throw new InvalidArgumentError(`rpc: ${what} must be an integer`)
}

/** Go `api.Version`. */
export function versionToWire (version: string): WireObject {
  return { version }
}

/** Decodes `versionToWire`. Throws InvalidArgumentError for a non-object. */
export function versionFromWire (v: unknown): string {
  return str(object(v, 'version').version)
}

/** Go `api.PinPath`: the path with the PinOptions keys inline. */
export function pinPathToWire (path: string, opts: PinOptions): WireObject {
  return { ...pinOptionsToJson(opts), path }
}

// any CID: the Pin decoder needs one, and only the options are taken from its result
const NO_CID = CID.parse('bafkqaaa')

/** Decodes `pinPathToWire`, through the one Pin decoder (options keys are Pin keys). */
export function pinPathFromWire (v: unknown): { path: string, opts: PinOptions } {
  const o = object(v, 'pin path')
  const pin = pinFromJson({ ...o, cid: NO_CID.toString(), max_depth: undefined })
  const opts: PinOptions = {
    replicationFactorMin: pin.replicationFactorMin,
    replicationFactorMax: pin.replicationFactorMax,
    name: pin.name,
    mode: pin.mode,
    shardSize: pin.shardSize,
    userAllocations: pin.userAllocations,
    expireAt: pin.expireAt,
    metadata: pin.metadata,
    pinUpdate: pin.pinUpdate,
    origins: pin.origins
  }
  return { path: str(o.path), opts }
}

/** Go `api.IPFSID`, as its REST JSON. */
export function ipfsIdToWire (i: IPFSID): WireObject {
  return ipfsIdToJson(i)
}

/** Decodes `ipfsIdToWire` (missing fields are empty). */
export function ipfsIdFromWire (v: unknown): IPFSID {
  const o = object(v, 'ipfs id')
  return { id: str(o.id), addresses: strList(o.addresses), error: str(o.error) }
}

const IPFS_PIN_STATUSES = new Set<string>(['direct', 'recursive', 'indirect', 'unpinned', 'error', 'bug'])

/** An IPFSPinStatus (a string); anything unknown is 'bug', as Go's parser. */
export function ipfsPinStatusFromWire (v: unknown): IPFSPinStatus {
  return typeof v === 'string' && IPFS_PIN_STATUSES.has(v) ? v as IPFSPinStatus : 'bug'
}

/** One `pin/ls` item; the CID as bytes (listings are long). */
export function ipfsPinInfoToWire (p: IPFSPinInfo): WireObject {
  return { cid: cidToWire(p.cid), type: p.type }
}

/** Decodes `ipfsPinInfoToWire`. Throws InvalidArgumentError for a bad CID. */
export function ipfsPinInfoFromWire (v: unknown): IPFSPinInfo {
  const o = object(v, 'ipfs pin info')
  return { cid: cidFromWire(o.cid), type: ipfsPinStatusFromWire(o.type) }
}

/** Go `api.IPFSRepoStat`. */
export function repoStatToWire (r: IPFSRepoStat): WireObject {
  return { repo_size: r.repoSize, storage_max: r.storageMax }
}

/** Decodes `repoStatToWire`. */
export function repoStatFromWire (v: unknown): IPFSRepoStat {
  const o = object(v, 'repo stat')
  return { repoSize: num(o.repo_size), storageMax: num(o.storage_max) }
}

/** Go `api.RepoGC`, as its REST JSON. */
export function repoGCToWire (r: RepoGC): WireObject {
  return repoGCToJson(r)
}

function repoGCKeyFromJson (v: unknown): IPFSRepoGC {
  const o = object(v, 'repo gc key')
  return { key: typeof o.key === 'string' && o.key !== '' ? parseCid(o.key) : undefined, error: str(o.error) }
}

/** Decodes `repoGCToWire`; throws for an unparsable key. */
export function repoGCFromWire (v: unknown): RepoGC {
  const o = object(v, 'repo gc')
  return {
    peer: str(o.peer),
    peerName: str(o.peername),
    keys: Array.isArray(o.keys) ? o.keys.map(repoGCKeyFromJson) : undefined,
    error: str(o.error)
  }
}

/** Go `api.GlobalRepoGC`, as its REST JSON. */
export function globalRepoGCToWire (g: GlobalRepoGC): WireObject {
  return globalRepoGCToJson(g)
}

/** Decodes `globalRepoGCToWire`. */
export function globalRepoGCFromWire (v: unknown): GlobalRepoGC {
  const o = object(v, 'global repo gc')
  return { peerMap: new Map(entries(o.peer_map).map(([k, r]) => [k, repoGCFromWire(r)])) }
}

/** Go `api.ConnectGraph`, as its REST JSON. */
export function connectGraphToWire (g: ConnectGraph): WireObject {
  return connectGraphToJson(g)
}

/** Decodes `connectGraphToWire` (missing maps are empty). */
export function connectGraphFromWire (v: unknown): ConnectGraph {
  const o = object(v, 'connect graph')
  return {
    clusterId: str(o.cluster_id),
    idToPeerName: new Map(entries(o.id_to_peername).map(([k, n]) => [k, str(n)])),
    ipfsLinks: new Map(entries(o.ipfs_links).map(([k, l]) => [k, strList(l) ?? []])),
    clusterLinks: new Map(entries(o.cluster_links).map(([k, l]) => [k, strList(l) ?? []])),
    clusterTrustLinks: new Map(entries(o.cluster_trust_links).map(([k, t]) => [k, t === true])),
    clusterToIpfs: new Map(entries(o.cluster_to_ipfs).map(([k, i]) => [k, str(i)]))
  }
}

/** Go `api.Alert`, as its REST JSON (int64 metric times stay bigints). */
export function alertToWire (a: Alert): WireObject {
  return alertToJson(a)
}

/** Decodes `alertToWire`. */
export function alertFromWire (v: unknown): Alert {
  return alertFromJson(object(v, 'alert'))
}

/** Go `BandwidthByProtocol`, as its REST JSON (totals stay bigints). */
export function bandwidthToWire (b: BandwidthByProtocol): WireObject {
  return bandwidthToJson(b)
}

/** Decodes `bandwidthToWire`. */
export function bandwidthFromWire (v: unknown): BandwidthByProtocol {
  return new Map(entries(object(v, 'bandwidth')).map(([proto, s]) => {
    const o = object(s, 'bandwidth stats')
    return [proto, { totalIn: big(o.total_in), totalOut: big(o.total_out), rateIn: num(o.rate_in), rateOut: num(o.rate_out) }]
  }))
}

/** One block of `IPFSConnector.BlockStream` (Go `NodeWithMeta`: CID and data as bytes). */
export function blockToWire (b: BlockWithFormat): WireObject {
  return { cid: cidToWire(b.cid), data: b.data }
}

/** Decodes `blockToWire`. The data stays a view of the receive buffer: blocks are stored at once. */
export function blockFromWire (v: unknown): BlockWithFormat {
  const o = object(v, 'block')
  if (!(o.data instanceof Uint8Array)) throw new InvalidArgumentError('rpc: block data must be bytes')
  return { cid: cidFromWire(o.cid), data: o.data }
}

/** Bytes (a block). Throws InvalidArgumentError. */
export function bytesFromWire (v: unknown, what = 'value'): Uint8Array {
  if (!(v instanceof Uint8Array)) throw new InvalidArgumentError(`rpc: ${what} must be bytes`)
  return v
}
