/**
 * Single-peer consensus: commits go straight to the on-disk state and are applied to
 * the local tracker. It stands behind the Consensus interface so that the CRDT
 * consensus (`consensus.crdt`, multi-peer issue) replaces it without touching callers.
 * Selected for either `consensus.crdt` or `consensus.raft` sections until then.
 */
import { SinglePeerConsensus } from './single.js'
import type { Consensus } from '../../interface/consensus.js'
import type { PinTracker } from '../../interface/pin-tracker.js'
import type { State } from '../../interface/state.js'
import type { ComponentLogger } from '@libp2p/interface'

export interface SinglePeerConsensusInit {
  /** Trusted peers; `undefined` trusts everyone. */
  trustedPeers?: string[]
}

export interface SinglePeerConsensusComponents {
  peerId: string
  state: State
  /** Receives applied updates (Go: RPC PinTracker.Track/Untrack). */
  tracker: () => PinTracker | undefined
  logger: ComponentLogger
}

export function singlePeerConsensus (init: SinglePeerConsensusInit = {}): (components: SinglePeerConsensusComponents) => Consensus {
  return (components) => new SinglePeerConsensus(components, init)
}
