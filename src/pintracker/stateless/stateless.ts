import { pinWithOpts, isRemotePin } from '../../api/common/pin.js'
import { CID_TEXT } from '../../api/common/codec.js'
import { statusMatch } from '../../api/common/status.js'
import { IPFSError, QueueFullError } from '../../interface/errors.js'
import { TRACKER_STATUS_BITS } from '../../interface/types.js'
import { OperationTracker } from '../optracker/index.js'
import { TrackerStoppedError } from './errors.js'
import { BoundedQueue } from './queue.js'
import { statePages } from './state-pages.js'
import { lightCid, lightCidText, lightKey, lightList, lightMap, lightTime } from './light-pin.js'
import type { StatelessComponents, StatelessInit } from './index.js'
import type { LocalIPFS, Operation, OperationType } from '../optracker/index.js'
import type { StatePage } from './state-pages.js'
import type { PinInfoWithCidText } from '../../api/common/codec.js'
import type { PinTracker } from '../../interface/pin-tracker.js'
import type { AbortOptions } from '../../interface/startable.js'
import type { ReadOnlyState } from '../../interface/state.js'
import type { IPFSPinStatus, Pin, PinInfo, TrackerStatus } from '../../interface/types.js'
import type { Logger } from '@libp2p/interface'

// the shared cluster logger also has `info`; libp2p's type does not declare it
type TrackerLogger = Logger & { info?: (fmt: string, ...args: unknown[]) => void }
import type { CID } from 'multiformats/cid'

/** Reports that recover re-queued an operation. */
type RestartLogger = (type: 'pin' | 'unpin', cid: CID) => void

/** Error text of items in the state that IPFS does not have. */
export const UNEXPECTEDLY_UNPINNED = 'the item should be pinned but it is not'

const B = TRACKER_STATUS_BITS
// statuses that only the state and IPFS can tell (not the operations)
const STATE_STATUSES = B.pinned | B.unexpectedly_unpinned | B.sharded | B.remote
const IPFS_STATUSES = B.pinned | B.unexpectedly_unpinned

/** Go `IPFSPinStatus.ToTrackerStatus`. */
function ipfsToTrackerStatus (s: IPFSPinStatus): TrackerStatus {
  switch (s) {
    case 'direct': case 'recursive': return 'pinned'
    case 'indirect': case 'unpinned': return 'unpinned'
    case 'error': return 'cluster_error'
    default: return 'undefined'
  }
}

/**
 * Pin operations that `recoverAll` lets wait in the queues before it waits for the
 * workers (half of it drained). Without it, recovering a pinset of a million items
 * would hold a million operations (each with its pin) at once. With queues no larger
 * than this, recoverAll enqueues without waiting and a full queue fails it, as Go's.
 */
export const RECOVER_WINDOW = 1_000

/**
 * Queued pin operations that `track` keeps in memory (with queues larger than this).
 * A CRDT merge of a million new pins (a peer joining a large cluster) tracks them all
 * at once: as operations they took ~1.6 KB each. Pins tracked beyond the window are
 * left to the catch-up walk, which queues them from the state as room frees up.
 */
export const TRACK_WINDOW = 10_000

/** Whether IPFS holds a root pin of that type (recursive or direct: `pinned`). */
const pinnedInIPFS = (type: IPFSPinStatus | undefined): boolean => type === 'recursive' || type === 'direct'

/** Go `filter.Match(mask)`: the filter is "all" or intersects the mask. */
const filterWants = (filter: number, mask: number): boolean => filter === 0 || (filter & mask) !== 0

/**
 * The stateless pin tracker (Go `pintracker/stateless`, spec pinning-internals §10):
 * only operations are kept in memory; every other status comes from the state and IPFS.
 */
export class StatelessPinTracker implements PinTracker {
  private readonly components: StatelessComponents
  private readonly init: Required<StatelessInit>
  private readonly log: TrackerLogger
  private readonly optracker: OperationTracker
  private readonly priorityQueue: BoundedQueue<Operation>
  private readonly pinQueue: BoundedQueue<Operation>
  private readonly unpinQueue: BoundedQueue<Operation>
  private pinWaiters: Array<() => void> = []
  private unpinWaiters: Array<() => void> = []
  /** recoverAll calls waiting for the pin queues to drain (see RECOVER_WINDOW). */
  private roomWaiters: Array<() => void> = []
  private controller: AbortController | undefined
  private workers: Array<Promise<void>> = []
  private stopped = false
  /** The running catch-up walk (see TRACK_WINDOW); items it will queue show `pin_queued`. */
  private catchingUp: Promise<void> | undefined
  /** Pins were left to the walk since its current pass started: walk once more. */
  private catchUpAgain = false
  /** Pins left to the walk and not queued yet (an estimate, for pinQueueSize). */
  private backlog = 0

  constructor (components: StatelessComponents, init: Required<StatelessInit>) {
    this.components = components
    this.init = init
    this.log = components.logger.forComponent('cluster:pintracker')
    this.optracker = new OperationTracker({
      peerId: components.peerId,
      peerName: components.peerName,
      logger: components.logger.forComponent('cluster:optracker')
    })
    this.priorityQueue = new BoundedQueue(init.maxPinQueueSize)
    this.pinQueue = new BoundedQueue(init.maxPinQueueSize)
    this.unpinQueue = new BoundedQueue(init.maxPinQueueSize)
  }

  start (): void {
    if (this.controller != null) return
    const controller = new AbortController()
    this.controller = controller
    this.stopped = false
    // Go starts the workers in New(): operations must flow as soon as the peer runs
    for (let i = 0; i < this.init.concurrentPins; i++) {
      this.workers.push(this.pinWorker(controller.signal))
    }
    this.workers.push(this.unpinWorker(controller.signal))
    // pins tracked beyond the window before start
    if (this.catchUpAgain) this.catchingUp = this.catchUp(controller.signal)
  }

  async stop (): Promise<void> {
    const controller = this.controller
    if (controller == null) return
    this.log.info?.('stopping StatelessPinTracker')
    this.stopped = true
    controller.abort()
    this.optracker.cancelAll()
    for (const wake of [...this.pinWaiters.splice(0), ...this.unpinWaiters.splice(0), ...this.roomWaiters.splice(0)]) wake()
    await Promise.allSettled([...this.workers, this.catchingUp])
    this.workers = []
    this.controller = undefined
  }

  // --- workers (Go opWorker / applyPinF) ---

  private async pinWorker (signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      // the priority queue is always drained first
      const op = this.priorityQueue.shift() ?? this.pinQueue.shift()
      if (op == null) {
        await new Promise<void>((resolve) => { this.pinWaiters.push(resolve) })
        continue
      }
      if (this.roomWaiters.length > 0 && this.optracker.pinQueueSize() <= RECOVER_WINDOW / 2) {
        for (const wake of this.roomWaiters.splice(0)) wake()
      }
      await this.apply(op, async (o) => { await this.components.ipfs.pin(o.pin, { signal: o.signal }) })
    }
  }

  private async unpinWorker (signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const op = this.unpinQueue.shift()
      if (op == null) {
        await new Promise<void>((resolve) => { this.unpinWaiters.push(resolve) })
        continue
      }
      await this.apply(op, async (o) => { await this.components.ipfs.unpin(o.cid, { signal: o.signal }) })
    }
  }

  /** Runs one operation; a finished one leaves the tracker (status then comes from state + IPFS). */
  private async apply (op: Operation, call: (op: Operation) => Promise<void>): Promise<void> {
    if (op.canceled) return
    op.setPhase('in progress')
    op.incAttempt()
    try {
      await call(op)
    } catch (err: any) {
      // a cancelled operation was replaced or the tracker stopped: not an error
      if (op.canceled) return
      this.log.error('%s of %c failed: %e', op.type, op.cid, err)
      op.setError(String(err?.message ?? err))
      op.cancel()
      return
    }
    op.setPhase('done')
    op.cancel()
    this.optracker.clean(op)
  }

  // --- enqueue / track / untrack ---

  private enqueue (pin: Pin, type: OperationType): void {
    const op = this.optracker.trackNewOperation(pin, type, 'queued')
    if (op == null) return // the same operation is already queued or running
    let queue: BoundedQueue<Operation>
    let waiters: Array<() => void>
    if (type === 'pin') {
      const ts = pin.timestamp?.getTime()
      const priority = ts != null && Date.now() < ts + this.init.priorityPinMaxAge &&
        op.attemptCount <= this.init.priorityPinMaxRetries
      op.setPriorityPin(priority)
      queue = priority ? this.priorityQueue : this.pinQueue
      waiters = this.pinWaiters
    } else {
      queue = this.unpinQueue
      waiters = this.unpinWaiters
    }
    if (!queue.push(op)) {
      const err = new QueueFullError()
      op.setError(err.message)
      op.cancel()
      this.log.error(err.message)
      throw err
    }
    waiters.shift()?.()
  }

  async track (pin: Pin, options: AbortOptions = {}): Promise<void> {
    options.signal?.throwIfAborted()
    this.log('tracking %c', pin.cid)
    // meta pins are never pinned and never turn into anything else
    if (pin.type === 'meta-pin') return
    if (isRemotePin(pin, this.components.peerId)) {
      await this.unpinRemote(pin)
      return
    }
    if (this.init.maxPinQueueSize > TRACK_WINDOW && this.optracker.pinQueueSize() >= TRACK_WINDOW &&
      this.optracker.get(pin.cid) == null) {
      this.leaveToCatchUp()
      return
    }
    this.enqueue(pin, 'pin')
  }

  // --- catch-up walk (see TRACK_WINDOW) ---

  private leaveToCatchUp (): void {
    this.backlog++
    this.catchUpAgain = true
    if (this.catchingUp == null && this.controller != null) this.catchingUp = this.catchUp(this.controller.signal)
  }

  /**
   * Walks the state, queueing the local items IPFS does not have, as room frees up
   * (as recoverAll), until no pin was left to it during a pass. It ends in the same
   * synchronous step that reads `catchUpAgain`, so a pin left meanwhile starts a new walk.
   */
  private async catchUp (signal: AbortSignal): Promise<void> {
    const started = Date.now()
    let queued = 0
    let passes = 0
    this.log.info?.('more than %d pin operations queued: the other pins are queued from the state as room frees up', TRACK_WINDOW)
    try {
      while (this.catchUpAgain && !this.stopped) {
        this.catchUpAgain = false
        passes++
        const st = await this.components.state()
        for await (const { pins, kinds, types } of this.statePages(true, { signal })) {
          for (let i = 0; i < pins.length && !this.stopped; i++) {
            // local items IPFS does not have, with no operation (those are queued or in error)
            if (kinds[i] !== 'local' || pinnedInIPFS(types[i])) continue
            const p = pins[i]
            if (this.optracker.size > 0 && this.optracker.getByKey(lightKey(p)) != null) continue
            await this.waitForRoom({ signal })
            if (this.stopped) break
            // the listing is a snapshot: the pin may have changed or gone since
            let pin: Pin
            try {
              pin = await st.get(lightCid(p), { signal })
            } catch {
              continue
            }
            if (this.stopped) break
            if (isRemotePin(pin, this.components.peerId) || pin.type === 'meta-pin') continue
            this.enqueue(pin, 'pin')
            queued++
            if (this.backlog > 0) this.backlog--
          }
          if (this.stopped) break
        }
      }
      if (!this.stopped) this.log.info?.('catch-up walk done: %d pins queued from the state in %d s (%d passes)', queued, Math.round((Date.now() - started) / 1000), passes)
    } catch (err: any) {
      // the periodic recover queues what is left
      if (!this.stopped) this.log.error('catch-up walk of the state failed: %e', err)
    } finally {
      this.catchingUp = undefined
      this.backlog = 0
    }
  }

  /** A pin allocated elsewhere: unpin it here now (the connector ignores "not pinned"). */
  private async unpinRemote (pin: Pin): Promise<void> {
    const op = this.optracker.trackNewOperation(pin, 'remote', 'in progress')
    if (op == null) return // an unpin of it is ongoing
    try {
      await this.components.ipfs.unpin(pin.cid, { signal: op.signal })
    } catch (err: any) {
      op.cancel()
      // Track still succeeds, as Go's
      op.setError(String(err?.message ?? err))
      return
    }
    op.cancel()
    op.setPhase('done')
    this.optracker.clean(op)
  }

  async untrack (cid: CID, options: AbortOptions = {}): Promise<void> {
    options.signal?.throwIfAborted()
    this.log('untracking %c', cid)
    this.enqueue(pinWithOpts(cid), 'unpin')
  }

  // --- status ---

  private localIPFS (): LocalIPFS {
    const { id, addresses } = this.components.localIPFS()
    return { id, addresses: addresses ?? [] }
  }

  async status (cid: CID, options: AbortOptions = {}): Promise<PinInfo> {
    options.signal?.throwIfAborted()
    const ipfs = this.localIPFS()
    const opInfo = this.optracker.getExists(cid, ipfs)
    if (opInfo != null) return opInfo

    const info: PinInfo = {
      cid,
      name: '',
      peer: this.components.peerId,
      allocations: undefined,
      origins: undefined,
      created: undefined,
      metadata: undefined,
      peerName: this.components.peerName,
      ipfsPeerId: ipfs.id,
      ipfsPeerAddresses: ipfs.addresses,
      status: 'undefined',
      timestamp: new Date(),
      error: '',
      attemptCount: 0,
      priorityPin: false
    }
    const clusterError = (err: any): PinInfo => {
      this.log.error('status of %c: %e', cid, err)
      info.status = 'cluster_error'
      info.error = String(err?.message ?? err)
      return info
    }

    let pin: Pin
    try {
      const st = await this.components.state()
      pin = await st.get(cid, options)
    } catch (err: any) {
      if (err?.name === 'PinNotFoundError') {
        info.status = 'unpinned'
        return info
      }
      return clusterError(err)
    }
    info.name = pin.name
    info.timestamp = pin.timestamp
    info.allocations = pin.allocations
    info.origins = pin.origins
    info.created = pin.timestamp
    info.metadata = pin.metadata

    if (pin.type === 'meta-pin') {
      info.status = 'sharded'
      return info
    }
    if (isRemotePin(pin, this.components.peerId)) {
      info.status = 'remote'
      return info
    }
    let ipfsStatus: IPFSPinStatus
    try {
      ipfsStatus = await this.components.ipfs.pinLsCid(pin, options)
    } catch (err: any) {
      return clusterError(err)
    }
    const status = ipfsToTrackerStatus(ipfsStatus)
    if (status === 'unpinned' && this.catchingUp != null) {
      info.status = 'pin_queued' // the catch-up walk will queue it
    } else if (status === 'unpinned') {
      info.status = 'unexpectedly_unpinned'
      info.error = UNEXPECTEDLY_UNPINNED
    } else {
      info.status = status
    }
    return info
  }

  statusAll (filter: number, options: AbortOptions = {}): AsyncGenerator<PinInfo> {
    return this.statusItems(filter, options, true)
  }

  /**
   * statusAll; with `showBacklog`, local items that IPFS does not have show
   * `pin_queued` while the catch-up walk runs (it will queue them).
   */
  private async * statusItems (filter: number, options: AbortOptions, showBacklog: boolean): AsyncGenerator<PinInfo> {
    const ipfs = this.localIPFS()
    const backlogQueued = showBacklog && this.catchingUp != null && filterWants(filter, B.pin_queued)
    // operation-only statuses: no state scan, no IPFS call
    if (!filterWants(filter, STATE_STATUSES) && !backlogQueued) {
      yield * this.optracker.getAll(filter, ipfs)
      return
    }
    const askIPFS = filterWants(filter, IPFS_STATUSES) || backlogQueued
    const { peerId, peerName } = this.components
    // items are made in this one loop per page: a nested generator per item cost promises
    for await (const { pins, kinds, types } of this.statePages(askIPFS, options)) {
      for (let i = 0; i < pins.length; i++) {
        const p = pins[i]
        const kind = kinds[i]
        const type = types[i]
        const j = p.json
        // an item with an operation is not one the catch-up walk will queue
        let backlogged = showBacklog && this.catchingUp != null
        if (this.optracker.size > 0) {
          const op = this.optracker.getByKey(lightKey(p))
          if (op != null) {
            backlogged = false
            const info = this.optracker.pinInfo(op, ipfs)
            if (statusMatch(info.status, filter)) {
              yield info
              continue
            }
          }
        }
        let status: TrackerStatus
        let error = ''
        if (kind !== 'local') status = kind
        else if (pinnedInIPFS(type)) status = 'pinned'
        else if (backlogged) status = 'pin_queued'
        else {
          status = 'unexpectedly_unpinned'
          error = UNEXPECTEDLY_UNPINNED
        }
        if (!statusMatch(status, filter)) continue
        const ts = lightTime(j.timestamp)
        const info: PinInfoWithCidText = {
          cid: lightCid(p),
          name: typeof j.name === 'string' ? j.name : '',
          peer: peerId,
          allocations: lightList(j.allocations),
          origins: lightList(j.origins),
          created: ts,
          metadata: lightMap(j.metadata),
          peerName,
          ipfsPeerId: ipfs.id,
          ipfsPeerAddresses: ipfs.addresses,
          status,
          timestamp: ts,
          error,
          attemptCount: 0,
          priorityPin: false,
          // spares the REST listing a CID encoding per item
          [CID_TEXT]: lightCidText(p)
        }
        yield info
      }
    }
  }

  /** The state in pages, with what the state and (with `askIPFS`) IPFS tell of each item. */
  private async * statePages (askIPFS: boolean, options: AbortOptions): AsyncGenerator<StatePage> {
    const st: ReadOnlyState = await this.components.state()
    yield * statePages(st, this.components.peerId, askIPFS ? async (cids, o) => await this.ipfsPinTypes(cids, o) : undefined, options)
  }

  /** Root pin types of `cids` from IPFS (Go: "could not get pinset from IPFS" on failure). */
  private async ipfsPinTypes (cids: CID[], options: AbortOptions): Promise<IPFSPinStatus[]> {
    try {
      return await this.components.ipfs.pinLsCids(cids, options)
    } catch (err: any) {
      const e = new IPFSError(`could not get pinset from IPFS: ${String(err?.message ?? err)}`, { cause: err })
      this.log.error(e.message)
      throw e
    }
  }

  // --- recover ---

  /**
   * Re-queues an item in error; undefined when there was nothing to do. Throws enqueue
   * errors. `logRestart` reports the restart (Go logs each one at info level).
   */
  private async recoverWithPinInfo (info: PinInfo, options: AbortOptions, logRestart: RestartLogger = this.logRestart): Promise<PinInfo | undefined> {
    const st = await this.components.state()
    switch (info.status) {
      case 'pin_error':
      case 'unexpectedly_unpinned': {
        let pin: Pin
        try {
          pin = await st.get(info.cid, options)
        } catch (err: any) {
          // removed while recovering
          this.log('recover %c: %e', info.cid, err)
          return await this.status(info.cid, options)
        }
        logRestart('pin', info.cid)
        this.enqueue(pin, 'pin')
        break
      }
      case 'unpin_error':
        logRestart('unpin', info.cid)
        this.enqueue(pinWithOpts(info.cid), 'unpin')
        break
      default:
        return undefined
    }
    return await this.status(info.cid, options)
  }

  private readonly logRestart: RestartLogger = (type, cid) => {
    this.log.info?.('Restarting %s operation for %c', type, cid)
  }

  async recover (cid: CID, options: AbortOptions = {}): Promise<PinInfo> {
    const info = await this.status(cid, options)
    return (await this.recoverWithPinInfo(info, options)) ?? info
  }

  /**
   * Waits while RECOVER_WINDOW pin operations are queued (only with queues larger than
   * that), so recoverAll holds a bounded number of operations however large the pinset.
   */
  private async waitForRoom (options: AbortOptions): Promise<void> {
    if (this.init.maxPinQueueSize <= RECOVER_WINDOW) return
    while (!this.stopped && this.optracker.pinQueueSize() >= RECOVER_WINDOW) {
      options.signal?.throwIfAborted()
      const signal = options.signal
      await new Promise<void>((resolve) => {
        // a caller's abort must not wait for the workers
        const done = (): void => {
          signal?.removeEventListener('abort', done)
          resolve()
        }
        this.roomWaiters.push(done)
        signal?.addEventListener('abort', done, { once: true })
      })
    }
  }

  async * recoverAll (options: AbortOptions = {}): AsyncGenerator<PinInfo> {
    // one info line per recovered item (as Go) costs more than the recovery itself on
    // a large pinset: each goes to debug, and one info line sums them up
    const restarted = { pin: 0, unpin: 0 }
    const logRestart: RestartLogger = (type, cid) => {
      restarted[type]++
      this.log('Restarting %s operation for %c', type, cid)
    }
    try {
      // the items the catch-up walk will queue are recovered now (their real status)
      for await (const info of this.statusItems(0, options, false)) {
        if (info.status === 'pin_error' || info.status === 'unexpectedly_unpinned') await this.waitForRoom(options)
        // a long listing must not outlive the tracker (Go checks its context)
        if (this.stopped) throw new TrackerStoppedError('RecoverAll aborted: the pin tracker stopped')
        const recovered = await this.recoverWithPinInfo(info, options, logRestart)
        if (recovered != null) yield recovered
      }
    } finally {
      if (restarted.pin + restarted.unpin > 0) {
        this.log.info?.('Restarted %d pin and %d unpin operations', restarted.pin, restarted.unpin)
      }
    }
  }

  /** Operations held in memory (queued, running or in error). */
  get operationCount (): number {
    return this.optracker.size
  }

  async pinQueueSize (options: AbortOptions = {}): Promise<number> {
    options.signal?.throwIfAborted()
    return this.optracker.pinQueueSize() + this.backlog
  }
}
