/**
 * Merkle-CRDT consensus (`consensus.crdt`, spec consensus §1–§3): the shared pinset of
 * a cluster as an add-wins set replicated through a DAG of deltas. Winning values live
 * in the pinset store; the CRDT metadata, DAG blocks and batching journal live in the
 * component's own LevelDB at `path`. Without a broadcaster it runs offline
 * (`state export|import|cleanup`): writes create local DAG nodes announced later.
 */
import { CrdtConsensusImpl } from './crdt.js'
import type { CrdtBroadcaster, CrdtConsensus, DagSyncTransport } from './types.js'
import type { CrdtBatchingConfig } from '../../config/sections/consensus.js'
import type { PinTracker } from '../../interface/pin-tracker.js'
import type { AbortOptions } from '../../interface/startable.js'
import type { PeerIdString } from '../../interface/types.js'
import type { PinsetStore } from '../../state/types.js'
import type { ComponentLogger } from '@libp2p/interface'

export type { BroadcastMessage, CrdtBroadcaster, CrdtConsensus, CrdtStats, DagSyncTransport } from './types.js'
export { crdtTopic } from './topic.js'

export interface CrdtConsensusInit {
  /** Folder of the CRDT LevelDB (created when missing), e.g. `<datastore>-crdt`. */
  path: string
  /** Seed of the pubsub topic. @default 'ipfs-cluster' */
  clusterName?: string
  /** Trust every peer (`"*"` in `trusted_peers`). @default true */
  trustAll?: boolean
  /** Trusted peer IDs besides self (when not `trustAll`). @default [] */
  trustedPeers?: string[]
  /** Batching, enabled when size and age are both > 0 (age in ms). @default disabled */
  batching?: CrdtBatchingConfig
  /** ms between repairs of a dirty DAG; 0 runs it at start only. @default 3_600_000 */
  repairInterval?: number
  /** ms (±30 %) between re-announcements of our heads. @default 60_000 */
  rebroadcastInterval?: number
  /** ms without a block before a DAG fetch request is abandoned. @default 120_000 */
  fetchTimeout?: number
  /** Concurrent DAG fetch requests at most. @default 50 */
  fetchConcurrency?: number
  /** Bytes past which a delta is split (batches commit early). @default 1 MiB */
  maxDeltaSize?: number
}

export interface CrdtConsensusComponents {
  peerId: PeerIdString
  /** Where winning values live (started and stopped by the caller). */
  state: PinsetStore
  /** Receives applied updates (Go: RPC PinTracker.Track/Untrack). */
  tracker?: () => PinTracker | undefined
  /** Peers with a valid `peerset_metric` metric (self is added). @default none */
  peers?: (options?: AbortOptions) => Promise<PeerIdString[]>
  /** Pubsub on `crdtTopic(clusterName)`; absent = offline. */
  broadcaster?: CrdtBroadcaster
  /** How missing DAG blocks are requested from peers; absent = no fetching. */
  dagSync?: DagSyncTransport
  logger: ComponentLogger
}

/** Creates the CRDT consensus; it opens its store in `start()` and syncs from `afterStart()`. */
export function crdtConsensus (init: CrdtConsensusInit): (components: CrdtConsensusComponents) => CrdtConsensus {
  return (components) => new CrdtConsensusImpl(components, init)
}
