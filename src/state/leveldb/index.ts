/**
 * The pinset store in LevelDB (classic-level): the on-disk shared state of a peer
 * (`<config folder>/…`). Listings stream with bounded memory; `listJson` yields the
 * stored REST JSON without decoding it.
 */
import { LevelState } from './level-state.js'
import type { PinsetStore } from '../types.js'
import type { ComponentLogger } from '@libp2p/interface'

export type { PinsetStore, StateJsonEntry, StateBatchOptions } from '../types.js'

export interface LevelStateInit {
  /** Folder of the LevelDB database (created when missing). */
  path: string
  /** Operations per write of a batching view. @default 10_000 */
  batchSize?: number
}

export interface LevelStateComponents {
  logger: ComponentLogger
}

/** Creates a LevelDB pinset store; it opens in `start()` and closes in `stop()`. */
export function levelState (init: LevelStateInit): (components: LevelStateComponents) => PinsetStore {
  return (components) => new LevelState(components, init)
}
