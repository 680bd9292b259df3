/**
 * The stateless pin tracker (Go `pintracker/stateless`, config key
 * `pin_tracker.stateless`): pins and unpins on the local IPFS node what the shared
 * state says, keeping in memory only the operations in flight or in error.
 */
import { StatelessPinTracker } from './stateless.js'
import type { IPFSConnector } from '../../interface/ipfs-connector.js'
import type { PinTracker } from '../../interface/pin-tracker.js'
import type { ReadOnlyState } from '../../interface/state.js'
import type { PeerIdString } from '../../interface/types.js'
import type { ComponentLogger } from '@libp2p/interface'

export interface StatelessInit {
  /** Capacity of each queue (priority pin, pin, unpin). @default 1_000_000 */
  maxPinQueueSize?: number
  /** Parallel pin workers (unpins use one). @default 10 */
  concurrentPins?: number
  /** Pins younger than this (ms) may go to the priority queue. @default 86_400_000 */
  priorityPinMaxAge?: number
  /** Pins with more attempts than this lose priority. @default 5 */
  priorityPinMaxRetries?: number
}

export interface StatelessComponents {
  ipfs: IPFSConnector
  /** The current pinset. */
  state: () => Promise<ReadOnlyState>
  /** This cluster peer. */
  peerId: PeerIdString
  peerName: string
  /** The cached IPFS identity of this peer, for PinInfos. */
  localIPFS: () => { id: PeerIdString, addresses: string[] }
  logger: ComponentLogger
}

/** Creates the stateless tracker; workers run between `start()` and `stop()`. */
export function statelessPinTracker (init: StatelessInit = {}): (components: StatelessComponents) => PinTracker {
  const cfg: Required<StatelessInit> = {
    maxPinQueueSize: init.maxPinQueueSize ?? 1_000_000,
    concurrentPins: init.concurrentPins ?? 10,
    priorityPinMaxAge: init.priorityPinMaxAge ?? 24 * 60 * 60 * 1000,
    priorityPinMaxRetries: init.priorityPinMaxRetries ?? 5
  }
  return (components) => new StatelessPinTracker(components, cfg)
}
