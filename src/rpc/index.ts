/**
 * Peer-to-peer RPC: gorpc's request/response protocol (`/ipfscluster/1.0/rpc`)
 * over libp2p streams, one stream per call, with the reference's per-method
 * policy (open / trusted / closed) enforced by the receiver. No `service.json`
 * section: the policy table is fixed (`policy.ts`); follower peers close
 * `Cluster.RepoGCLocal`. The component's contract is `Rpc` in `types.ts`;
 * errors are in `errors.ts`, value helpers in `codec.ts`.
 */
import { Libp2pRpc } from './rpc.js'
import type { Rpc } from './types.js'
import type { ComponentLogger, Libp2p } from '@libp2p/interface'

export interface RpcInit {
  /** Use the follower table (`ipfs-cluster-follow`): `Cluster.RepoGCLocal` is closed. @default false */
  follower?: boolean
  /** Inbound RPC streams allowed at once on one connection. @default 1024 */
  maxInboundStreams?: number
  /** Outbound RPC streams allowed at once on one connection. @default 1024 */
  maxOutboundStreams?: number
  /** Remote calls in flight to one peer; further calls wait for a slot. Keep it under the muxer's stream limit (yamux: 1000). @default 512 */
  maxCallsPerPeer?: number
  /** Pass in-process arguments and replies through msgpack, so local callers see what remote ones see (tests). @default false */
  encodeLocal?: boolean
}

/** What RPC needs of a libp2p node (the cluster host, or a test node). */
export type RpcLibp2p = Pick<Libp2p, 'peerId' | 'handle' | 'unhandle' | 'dialProtocol'>

export interface RpcComponents {
  libp2p: RpcLibp2p
  /** Whether a peer may call `trusted` endpoints (CRDT: trusted_peers or trust-all). */
  isTrusted: (peer: string) => boolean
  logger: ComponentLogger
}

/** Creates the RPC component. `start` registers the protocol handler; `stop` removes it and aborts calls in flight. */
export function rpc (init: RpcInit = {}): (components: RpcComponents) => Rpc {
  return (components) => new Libp2pRpc(components, init)
}
