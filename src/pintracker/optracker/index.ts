/**
 * The operation tracker of the pin tracker (Go `pintracker/optracker`): one
 * operation per CID with its type, phase, attempts, priority and cancellation.
 */
export { OperationTracker } from './operation-tracker.js'
export type { LocalIPFS, OperationTrackerInit } from './operation-tracker.js'
export { Operation } from './operation.js'
export type { OperationType, Phase, PhaseListener } from './operation.js'
export { bytesKey, cidKey } from './key.js'
