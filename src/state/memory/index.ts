/**
 * An in-memory pinset store for unit tests of other components. Same interface and
 * same stored encoding as the LevelDB store (times read back at second precision).
 */
import { MemoryState } from './memory-state.js'
import type { PinsetStore } from '../types.js'
import type { ComponentLogger } from '@libp2p/interface'

export type { PinsetStore, StateJsonEntry } from '../types.js'

export interface MemoryStateInit {}

export interface MemoryStateComponents {
  logger?: ComponentLogger
}

/** Creates an in-memory pinset store (usable without `start()`). */
export function memoryState (init: MemoryStateInit = {}): (components?: MemoryStateComponents) => PinsetStore {
  return () => new MemoryState()
}
