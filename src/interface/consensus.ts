import type { AbortOptions, Startable } from './startable.js'
import type { ReadOnlyState } from './state.js'
import type { PeerIdString, Pin } from './types.js'

/**
 * Consensus (Go `Consensus`): commits pinset changes and applies them on every peer,
 * calling the local tracker's `track`/`untrack` as updates are applied.
 */
export interface Consensus extends Startable {
  /** Resolves once the consensus can serve (state loaded). */
  ready: (options?: AbortOptions) => Promise<void>
  /** Commits a pin (add or update). Resolves once accepted durably. */
  logPin: (pin: Pin, options?: AbortOptions) => Promise<void>
  /** Commits the removal of a pin. */
  logUnpin: (pin: Pin, options?: AbortOptions) => Promise<void>
  addPeer: (peer: PeerIdString, options?: AbortOptions) => Promise<void>
  rmPeer: (peer: PeerIdString, options?: AbortOptions) => Promise<void>
  /** The current pinset. */
  state: (options?: AbortOptions) => Promise<ReadOnlyState>
  /** Current peerset (includes self). */
  peers: (options?: AbortOptions) => Promise<PeerIdString[]>
  isTrustedPeer: (peer: PeerIdString) => boolean
  /** Removes all consensus data (state cleanup). */
  clean: (options?: AbortOptions) => Promise<void>
}
