/**
 * The single (non-sharded) DAG service of an add (Go `adder/single.DAGService`, spec
 * adder §5): allocates lazily on the first block, fans every block out to the
 * destinations, and pins the root when finalized.
 */
import { pinWithOpts } from '../api/common/pin.js'
import { openDestination } from './destination.js'
import { BlockPutError } from './errors.js'
import type { BlockDestination, BlockStreamFn, QueueLimits } from './destination.js'
import type { AddedBlock, BlockSink } from './types.js'
import type { AbortOptions } from '../interface/startable.js'
import type { Pin, PinOptions } from '../interface/types.js'
import type { Logger } from '@libp2p/interface'
import type { CID } from 'multiformats/cid'

/** What an add needs from the cluster peer (Go: local RPC `Cluster.BlockAllocate` and `Cluster.Pin`). */
export interface AdderCluster {
  /** Peers to send an add's blocks to, for a pin with these options (spec §5.1). */
  blockAllocate: (opts: PinOptions, options?: AbortOptions) => Promise<string[]>
  /** The internal pin path: preset allocations are kept. */
  pinObject: (pin: Pin, options?: AbortOptions) => Promise<Pin>
}

/** Settings of one DAG service (one add). */
export interface SingleDagServiceInit {
  /** The local cluster peer ID. */
  peerId: string
  cluster: AdderCluster
  /** Pin options of the add (mode is forced to recursive). */
  pinOptions: PinOptions
  /** Stream blocks to the local peer only (spec §5.1 step 3). */
  local: boolean
  /** Only put blocks; do not pin at finalize. */
  noPin: boolean
  /** The block stream to one destination peer; throws for peers that cannot be reached. */
  blockStreamTo: (peer: string) => BlockStreamFn
  limits?: QueueLimits
  /**
   * Every block put is built and hashed in this process (the UnixFS importer), so the
   * destinations need not verify them; false for CAR uploads. @default false
   */
  hashedInProcess?: boolean
  log: Logger
}

/** A `BlockSink` that allocates on its first block and pins at `finalize` (one add only). */
export class SingleDagService implements BlockSink {
  private readonly init: SingleDagServiceInit
  private readonly signal: AbortSignal | undefined
  private allocating: Promise<void> | undefined
  private dests: string[] | undefined
  private streams: BlockDestination[] = []
  private readonly recent: Array<CID | undefined> = [undefined, undefined]
  private recentIndex = 0

  /** `options.signal` aborts every destination stream. */
  constructor (init: SingleDagServiceInit, options: AbortOptions = {}) {
    this.init = init
    this.signal = options.signal
  }

  allocations (): string[] {
    return this.dests ?? []
  }

  async put (block: AddedBlock, options: AbortOptions = {}): Promise<void> {
    // the importer re-adds some nodes (Go `recentBlocks`)
    if (this.recent.some((c) => c?.equals(block.cid) === true)) return
    if (this.dests == null) {
      this.allocating ??= this.allocate(options)
      await this.allocating
    }
    const live = this.streams.filter((s) => s.error == null)
    if (live.length === 0) throw new BlockPutError(undefined, { cause: this.streams[0]?.error })
    await Promise.all(live.map(async (s) => { await s.push(block, options) }))
    this.recent[this.recentIndex] = block.cid
    this.recentIndex = (this.recentIndex + 1) % 2
  }

  /** Go `DAGService.Add` on the first block: allocate, then open the destination streams. */
  private async allocate (options: AbortOptions): Promise<void> {
    const { peerId, pinOptions } = this.init
    const allocs = (await this.init.cluster.blockAllocate(pinOptions, options)).map((p) => p === '' ? peerId : p)
    let targets = allocs
    if (this.init.local) {
      if (!allocs.includes(peerId) && (pinOptions.userAllocations ?? []).length === 0) {
        // Go replaces the last allocation (and would crash on an empty list)
        if (allocs.length > 0) allocs[allocs.length - 1] = peerId
        else allocs.push(peerId)
      }
      targets = [peerId]
    }
    this.init.log('add: allocations %s, streaming blocks to %s', allocs.join(','), targets.join(','))
    const streams: BlockDestination[] = []
    try {
      for (const peer of targets) {
        streams.push(openDestination(peer, this.init.blockStreamTo(peer), this.init.limits, { signal: this.signal, hashedInProcess: this.init.hashedInProcess === true }))
      }
    } catch (err) {
      for (const s of streams) s.abort(err as Error)
      throw err
    }
    this.streams = streams
    this.dests = allocs
  }

  /** True when blocks are streamed to `peer`'s IPFS. */
  streamsTo (peer: string): boolean {
    return this.streams.some((s) => s.peer === peer)
  }

  /** The add failed: stop every stream. */
  abort (reason: Error): void {
    for (const s of this.streams) s.abort(reason)
  }

  /**
   * Go `DAGService.Finalize` (spec §5.4): waits for every destination to store its blocks,
   * runs `beforePin`, then pins `root` (recursive, allocations = destinations) unless `noPin`.
   *
   * @returns `root`
   * @throws BlockPutError when every destination failed; the cluster's pin errors
   */
  async finalize (root: CID, options: AbortOptions & { beforePin?: () => Promise<void> } = {}): Promise<CID> {
    const results = await Promise.allSettled(this.streams.map(async (s) => { await s.close(options) }))
    options.signal?.throwIfAborted()
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected')
    if (this.streams.length > 0 && failed.length === this.streams.length) {
      throw new BlockPutError(undefined, { cause: failed[0].reason })
    }
    for (const f of failed) this.init.log.error('add: a block destination failed: %s', (f.reason as Error)?.message ?? f.reason)
    // after the blocks are stored, before anything is pinned (CAR completeness check)
    await options.beforePin?.()
    if (this.init.noPin) return root
    const pin = pinWithOpts(root, { ...this.init.pinOptions, mode: 'recursive' })
    pin.allocations = [...(this.dests ?? [])]
    await this.init.cluster.pinObject(pin, { signal: options.signal })
    return root
  }
}
