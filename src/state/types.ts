/**
 * Types shared by the pinset stores (`leveldb`, `memory`): the extra surface the
 * daemon and `state import|export|cleanup` need beyond the `State` interface.
 */
import type { AbortOptions, Startable } from '../interface/startable.js'
import type { BatchingState, State } from '../interface/state.js'
import type { PinType } from '../interface/types.js'

/**
 * One entry of `listJson()`. Besides the interface's `type` and `json`, stores give
 * `key`: the CID's binary form, so hot paths (the tracker's `statusAll`) can build
 * the CID without decoding its text.
 */
export interface StateJsonEntry {
  type: PinType
  /** The pin's REST JSON in its stored form (no trailing newline). */
  json: string
  /** The CID bytes (`cid.bytes`). */
  key: Uint8Array
}

/** Options of a batching view. */
export interface StateBatchOptions {
  /** Buffered operations that trigger a write. @default 10_000 */
  size?: number
}

/** A batching view that also takes pins in their stored form. */
export interface PinsetBatch extends BatchingState {
  /**
   * Adds a pin given as its stored value (`encodeStoredPin`'s output) and CID bytes:
   * the CRDT merge has that form already, and re-encoding the decoded pin cost 10 %
   * of a join. The caller has decoded `stored` successfully.
   */
  addStored: (key: Uint8Array, stored: string, options?: AbortOptions) => Promise<void>
}

/** A pinset store: the `State` interface plus bulk and maintenance operations. */
export interface PinsetStore extends State, BatchingState, Startable {
  listJson: (options?: AbortOptions) => AsyncGenerator<StateJsonEntry>
  listJsonPages: (options?: AbortOptions) => AsyncGenerator<StateJsonEntry[]>
  /**
   * A batching view for bulk writes (imports): `add`/`rm` are buffered and
   * written every `size` operations and on `commit()`; reads see committed data only.
   */
  batch: (options?: StateBatchOptions) => PinsetBatch
  /** Deletes every pin. */
  clean: (options?: AbortOptions) => Promise<void>
  /** Number of pins (a key scan: O(n), no value decoding). */
  count: (options?: AbortOptions) => Promise<number>
}
