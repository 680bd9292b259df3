/**
 * Domain types of IPFS Cluster (Go `api/types.go`). Names follow the reference.
 * Wire encodings (JSON) live in `src/api/common/codec.ts`.
 *
 * Conventions:
 * - CIDs are `CID` objects from multiformats; `undefined` stands for Go's `cid.Undef`.
 * - Peer IDs are their base58 string form (`12D3KooW…` / `Qm…`); `''` is the empty peer ID.
 * - Times are `Date`; `undefined` is Go's zero time (`0001-01-01T00:00:00Z`).
 * - Metric times are Unix nanoseconds as `bigint` (they exceed Number.MAX_SAFE_INTEGER).
 */
import type { CID } from 'multiformats/cid'

/** A libp2p peer ID in its canonical string form. */
export type PeerIdString = string

/** Pin types with their JSON names (spec pinning-internals §1.2). */
export type PinType = 'pin' | 'meta-pin' | 'clusterdag-pin' | 'shard-pin' | 'bad-type'

/** Bit values of pin types, used by `/allocations?filter=`. */
export const PIN_TYPE_BITS: Readonly<Record<PinType, number>> = Object.freeze({
  'bad-type': 1,
  pin: 2,
  'meta-pin': 4,
  'clusterdag-pin': 8,
  'shard-pin': 16
})

/** Filter value meaning every pin type. */
export const ALL_PIN_TYPES = 2 | 4 | 8 | 16

export type PinMode = 'recursive' | 'direct'

/** Tracker statuses (spec pinning-internals §1.3). */
export type TrackerStatus =
  | 'undefined'
  | 'cluster_error'
  | 'pin_error'
  | 'unpin_error'
  | 'pinned'
  | 'pinning'
  | 'unpinning'
  | 'unpinned'
  | 'remote'
  | 'pin_queued'
  | 'unpin_queued'
  | 'sharded'
  | 'unexpectedly_unpinned'

export const TRACKER_STATUS_BITS: Readonly<Record<TrackerStatus, number>> = Object.freeze({
  undefined: 0,
  cluster_error: 2,
  pin_error: 4,
  unpin_error: 8,
  pinned: 16,
  pinning: 32,
  unpinning: 64,
  unpinned: 128,
  remote: 256,
  pin_queued: 512,
  unpin_queued: 1024,
  sharded: 2048,
  unexpectedly_unpinned: 4096
})

/** Composite filter names accepted besides the single statuses. */
export const TRACKER_STATUS_COMPOSITES: Readonly<Record<string, number>> = Object.freeze({
  error: 2 | 4 | 8,
  queued: 512 | 1024
})

/** IPFS pin status as seen by the connector (spec §1.4). */
export type IPFSPinStatus = 'direct' | 'recursive' | 'indirect' | 'unpinned' | 'error' | 'bug'

/** PinOptions (spec pinning-internals §1.1): what a pin request carries. */
export interface PinOptions {
  replicationFactorMin: number
  replicationFactorMax: number
  name: string
  mode: PinMode
  shardSize: number
  /** Allocation preferences for this request; never stored in the state. */
  userAllocations: PeerIdString[] | undefined
  /** `undefined` = never expires. */
  expireAt: Date | undefined
  /** Metadata; `undefined` encodes as JSON null. */
  metadata: Record<string, string> | undefined
  pinUpdate: CID | undefined
  /** Multiaddrs (strings, each with /p2p/); `undefined` encodes as null. */
  origins: string[] | undefined
}

/** A Pin: the unit of the shared pinset. */
export interface Pin extends PinOptions {
  cid: CID
  type: PinType
  allocations: PeerIdString[]
  /** -1 recursive, 0 direct, n>0 limited depth. */
  maxDepth: number
  reference: CID | undefined
  timestamp: Date | undefined
}

/** The per-peer part of a PinInfo (`PinInfoShort`). */
export interface PinInfoShort {
  peerName: string
  ipfsPeerId: PeerIdString
  ipfsPeerAddresses: string[]
  status: TrackerStatus
  /** When the status was last updated. */
  timestamp: Date | undefined
  error: string
  attemptCount: number
  priorityPin: boolean
}

/** One peer's view of one CID. */
export interface PinInfo extends PinInfoShort {
  cid: CID
  name: string
  peer: PeerIdString
  allocations: PeerIdString[] | undefined
  origins: string[] | undefined
  created: Date | undefined
  metadata: Record<string, string> | undefined
}

/** The cluster-wide view of one CID. */
export interface GlobalPinInfo {
  cid: CID | undefined
  name: string
  allocations: PeerIdString[] | undefined
  origins: string[] | undefined
  created: Date | undefined
  metadata: Record<string, string> | undefined
  /** Keyed by cluster peer ID string. */
  peerMap: Map<PeerIdString, PinInfoShort>
}

export interface IPFSID {
  id: PeerIdString
  addresses: string[] | undefined
  error: string
}

/** The `ID` of a cluster peer. */
export interface ID {
  id: PeerIdString
  addresses: string[] | undefined
  clusterPeers: PeerIdString[]
  clusterPeersAddresses: string[]
  version: string
  commit: string
  rpcProtocolVersion: string
  error: string
  ipfs: IPFSID
  peerName: string
}

/** A metric (spec pinning-internals §1.6). Times are Unix nanoseconds. */
export interface Metric {
  name: string
  peer: PeerIdString
  value: string
  expire: bigint
  valid: boolean
  weight: bigint
  partitionable: boolean
  receivedAt: bigint
}

export interface Alert extends Metric {
  triggeredAt: Date | undefined
}

export interface IPFSRepoStat {
  repoSize: number
  storageMax: number
}

export interface IPFSRepoGC {
  key: CID | undefined
  error: string
}

export interface RepoGC {
  peer: PeerIdString
  peerName: string
  keys: IPFSRepoGC[] | undefined
  error: string
}

export interface GlobalRepoGC {
  peerMap: Map<PeerIdString, RepoGC>
}

export interface ConnectGraph {
  clusterId: PeerIdString
  idToPeerName: Map<PeerIdString, string>
  ipfsLinks: Map<PeerIdString, PeerIdString[]>
  clusterLinks: Map<PeerIdString, PeerIdString[]>
  clusterTrustLinks: Map<PeerIdString, boolean>
  clusterToIpfs: Map<PeerIdString, PeerIdString>
}

export interface BandwidthStats {
  totalIn: bigint
  totalOut: bigint
  rateIn: number
  rateOut: number
}

export type BandwidthByProtocol = Map<string, BandwidthStats>

/** One IPFS pin as listed by `pin ls` of the connector. */
export interface IPFSPinInfo {
  cid: CID
  type: IPFSPinStatus
}

/** One output object of `/add` (spec rest-api §10.2). */
export interface AddedOutput {
  name: string
  cid: CID | undefined
  bytes: number
  size: number
  allocations: PeerIdString[] | undefined
}
