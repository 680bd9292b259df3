import type { Pin, TrackerStatus } from '../../interface/types.js'
import type { CID } from 'multiformats/cid'

/** What an operation does (Go `OperationType`). */
export type OperationType = 'unknown' | 'pin' | 'unpin' | 'remote' | 'shard'

/** Where an operation is (Go `Phase`). */
export type Phase = 'error' | 'queued' | 'in progress' | 'done'

/** Called around every phase change, so the tracker can keep its counters. */
export type PhaseListener = (op: Operation, delta: -1 | 1) => void

/** The abort reason of cancelled operations (what `signal.reason` holds). */
const CANCELED = new DOMException('the operation was cancelled', 'AbortError')

const PIN_STATUS: Readonly<Record<Phase, TrackerStatus>> = {
  error: 'pin_error', queued: 'pin_queued', 'in progress': 'pinning', done: 'pinned'
}
const UNPIN_STATUS: Readonly<Record<Phase, TrackerStatus>> = {
  error: 'unpin_error', queued: 'unpin_queued', 'in progress': 'unpinning', done: 'unpinned'
}

/**
 * The tracker's in-flight record for one CID (Go `optracker.Operation`). Its
 * AbortSignal is what the IPFS call receives: cancelling the operation aborts it.
 */
export class Operation {
  readonly type: OperationType
  /** The pin; updated when the same operation is requested again while ongoing. */
  pin: Pin
  private _phase: Phase
  private _attemptCount = 0
  private _priority = false
  private _error = ''
  private _ts = new Date()
  private readonly controller = new AbortController()
  private readonly listener: PhaseListener

  constructor (pin: Pin, type: OperationType, phase: Phase, listener: PhaseListener) {
    this.pin = pin
    this.type = type
    this._phase = phase
    this.listener = listener
  }

  get cid (): CID { return this.pin.cid }
  get phase (): Phase { return this._phase }
  /** Number of times the operation entered "in progress". */
  get attemptCount (): number { return this._attemptCount }
  get priorityPin (): boolean { return this._priority }
  /** The last error message ('' when none). */
  get error (): string { return this._error }
  /** When the phase or error last changed. */
  get timestamp (): Date { return this._ts }
  /** Aborted when the operation is cancelled (replaced, finished or stopped). */
  get signal (): AbortSignal { return this.controller.signal }
  get canceled (): boolean { return this.controller.signal.aborted }

  /** Cancels the operation, aborting its IPFS call if one runs. */
  cancel (): void {
    // one shared reason: every finished operation is cancelled, and a new DOMException
    // (with its stack) per operation was a visible cost of the pin path
    this.controller.abort(CANCELED)
  }

  setPhase (phase: Phase): void {
    this.listener(this, -1)
    this._phase = phase
    this._ts = new Date()
    this.listener(this, 1)
  }

  /** Moves to the error phase with `message`. */
  setError (message: string): void {
    this.listener(this, -1)
    this._phase = 'error'
    this._error = message
    this._ts = new Date()
    this.listener(this, 1)
  }

  incAttempt (): void {
    this._attemptCount++
  }

  /** Carries the count of a replaced operation of the same type. */
  setAttemptCount (n: number): void {
    this._attemptCount = n
  }

  setPriorityPin (priority: boolean): void {
    this._priority = priority
  }

  /** The tracker status for this type and phase (Go `ToTrackerStatus`). */
  toTrackerStatus (): TrackerStatus {
    switch (this.type) {
      case 'pin': return PIN_STATUS[this._phase]
      case 'unpin': return UNPIN_STATUS[this._phase]
      case 'remote': return 'remote'
      case 'shard': return 'sharded'
      default: return 'undefined'
    }
  }
}
