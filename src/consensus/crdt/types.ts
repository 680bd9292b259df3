/**
 * The network seams of the CRDT consensus (provided by the daemon: pubsub on the
 * cluster libp2p host, and a block-fetch protocol) and the component's extra surface.
 */
import type { Consensus } from '../../interface/consensus.js'
import type { AbortOptions } from '../../interface/startable.js'
import type { PeerIdString, Pin } from '../../interface/types.js'

/** A message received on the CRDT topic. */
export interface BroadcastMessage {
  /** The message's signed author. */
  from: PeerIdString
  data: Uint8Array
}

/**
 * Pubsub on the cluster's CRDT topic (`crdtTopic(cluster_name)`). The host's topic
 * validator should reject messages whose author fails `isTrustedPeer` (spec
 * consensus §3.4); the consensus drops them again on receipt.
 */
export interface CrdtBroadcaster {
  /** Publishes `data` on the topic. Rejects when it could not be sent. */
  publish: (data: Uint8Array, options?: AbortOptions) => Promise<void>
  /** Delivers every message from other peers to `handler`; returns the unsubscribe function. */
  subscribe: (handler: (message: BroadcastMessage) => void) => () => void
}

/**
 * The requesting side of DAG sync: sends an encoded fetch request to a peer and
 * yields the blocks it answers, one item per block, in the order sent (transports
 * must keep item boundaries, e.g. length-prefixed frames; blocks are at most 8 MiB).
 * The peer answers by calling its `CrdtConsensus.serveFetch(request)`. Breaking out
 * of the iteration, or aborting `options.signal`, must close the request.
 */
export interface DagSyncTransport {
  request: (peer: PeerIdString, request: Uint8Array, options?: AbortOptions) => AsyncIterable<Uint8Array>
}

/** Figures logged every 5 minutes and returned by `stats()`. */
export interface CrdtStats {
  heads: number
  maxHeight: number
  /** Announced roots waiting to be processed. */
  queuedJobs: number
  dirty: boolean
  /** Batching: items accepted and not yet committed. */
  batchQueue: number
}

/** The CRDT consensus: the `Consensus` interface plus trust, DAG serving and bulk import. */
export interface CrdtConsensus extends Consensus {
  /** The pubsub topic of this cluster. */
  readonly topic: string
  /** Trusts `peer` from now on (daemon `--bootstrap` peers). */
  trust: (peer: PeerIdString) => void
  /** Stops trusting `peer` (no effect on trust-all or on self). */
  distrust: (peer: PeerIdString) => void
  /**
   * Answers a DAG fetch request from local blocks (for the daemon's fetch protocol).
   * Throws CrdtDecodeError for a malformed request.
   */
  serveFetch: (request: Uint8Array, options?: AbortOptions) => AsyncGenerator<Uint8Array>
  /**
   * Adds many pins fast (`state import`): one delta per ≤ 1 MiB, applied in large
   * transactions; does not clean first. Resolves with the number of pins read.
   */
  importPins: (pins: AsyncIterable<Pin> | Iterable<Pin>, options?: AbortOptions) => Promise<number>
  /** Resolves once every announced head known so far is processed or has failed. */
  idle: (options?: AbortOptions) => Promise<void>
  stats: () => CrdtStats
}
