import type { AbortOptions } from './startable.js'
import type { Pin } from './types.js'
import type { CID } from 'multiformats/cid'

/** Read access to the pinset (Go `state.ReadOnly`). */
export interface ReadOnlyState {
  /** Streams every pin with bounded memory. Order: by key. */
  list: (options?: AbortOptions) => AsyncGenerator<Pin>
  /**
   * Streams every pin already encoded as its REST JSON (Pin shape, no trailing newline),
   * with its type, without decoding: the fast path of `GET /allocations` and `state export`.
   */
  listJson: (options?: AbortOptions) => AsyncGenerator<{ type: Pin['type'], json: string }>
  /**
   * `listJson` in pages (non-empty arrays, in key order), for listings that handle a
   * page at a time. Optional: readers fall back to `listJson`.
   */
  listJsonPages?: (options?: AbortOptions) => AsyncGenerator<Array<{ type: Pin['type'], json: string }>>
  has: (cid: CID, options?: AbortOptions) => Promise<boolean>
  /** Throws PinNotFoundError when absent. */
  get: (cid: CID, options?: AbortOptions) => Promise<Pin>
}

/** Read/write access (Go `state.State`). */
export interface State extends ReadOnlyState {
  add: (pin: Pin, options?: AbortOptions) => Promise<void>
  /** Removing an absent CID is not an error. */
  rm: (cid: CID, options?: AbortOptions) => Promise<void>
}

/** A state that buffers writes until `commit` (Go `state.BatchingState`), for imports. */
export interface BatchingState extends State {
  commit: (options?: AbortOptions) => Promise<void>
}
