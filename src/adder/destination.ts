/**
 * Block destinations of an add (spec adder §5.3): one long-lived block stream per peer the
 * blocks go to, fed through a bounded queue so that a slow destination slows the importer
 * down instead of making the add buffer the upload in memory.
 *
 * The local IPFS node is reached through its connector's `blockStream`; a remote peer's
 * node will be reached through the RPC `IPFSConnector.BlockStream` (multi-peer), which is
 * the same shape: an implementation of `BlockStreamFn`. Such a remote stream must not pass
 * `hashedInProcess` on: the receiving node did not hash the blocks, and verifies them.
 */
import type { BlockStreamOptions, BlockWithFormat } from '../interface/ipfs-connector.js'
import type { AbortOptions } from '../interface/startable.js'
import type { AddedBlock } from './types.js'

/** Stores every block of `blocks` on one peer's IPFS node; resolves when all are stored. */
export type BlockStreamFn = (blocks: AsyncIterable<BlockWithFormat>, options: BlockStreamOptions) => Promise<void>

/** Options of a destination. */
export interface DestinationOptions extends AbortOptions {
  /**
   * The blocks are built and hashed in this process (the UnixFS importer): passed to the
   * stream as `hashedInProcess`, so the local node does not hash them again. False for
   * CAR uploads, whose blocks must be verified.
   * @default false
   */
  hashedInProcess?: boolean
}

/** One peer receiving an add's blocks, in order. */
export interface BlockDestination {
  /** The cluster peer ID of the destination. */
  readonly peer: string
  /** The stream's failure, once it failed (later blocks are dropped). */
  readonly error: Error | undefined
  /**
   * Queues a block; resolves when the queue has room for the next one (back-pressure).
   * Resolves at once, dropping the block, when the destination has failed.
   * Rejects with the signal's reason when `options.signal` aborts.
   */
  push: (block: AddedBlock, options?: AbortOptions) => Promise<void>
  /** No more blocks: resolves once the destination stored every block; rejects with its error. */
  close: (options?: AbortOptions) => Promise<void>
  /** Stops the stream now (the add failed); queued blocks are dropped. */
  abort: (reason: Error) => void
}

/** Queue bounds of a destination. */
export interface QueueLimits {
  /** Most blocks waiting. @default 64 */
  maxBlocks?: number
  /** Most bytes waiting (one block is always admitted). @default 8 MiB */
  maxBytes?: number
}

const DEFAULT_MAX_BLOCKS = 64
const DEFAULT_MAX_BYTES = 8 * 1024 * 1024

/**
 * Opens a destination whose blocks are consumed by `stream` (started now, it runs until
 * `close` or `abort`). `options.signal` aborting aborts the destination.
 */
export function openDestination (peer: string, stream: BlockStreamFn, limits: QueueLimits = {}, options: DestinationOptions = {}): BlockDestination {
  const d = new StreamDestination(peer, limits)
  d.start(stream, options)
  return d
}

class StreamDestination implements BlockDestination {
  readonly peer: string
  error: Error | undefined
  private readonly maxBlocks: number
  private readonly maxBytes: number
  private readonly queue: AddedBlock[] = []
  private queuedBytes = 0
  private closed = false
  /** The stream settled (normally or not): nothing consumes the queue any more. */
  private ended = false
  private wakeProducer: (() => void) | undefined
  private wakeConsumer: (() => void) | undefined
  private readonly controller = new AbortController()
  private done: Promise<void> = Promise.resolve()

  constructor (peer: string, limits: QueueLimits) {
    this.peer = peer
    this.maxBlocks = Math.max(1, limits.maxBlocks ?? DEFAULT_MAX_BLOCKS)
    this.maxBytes = limits.maxBytes ?? DEFAULT_MAX_BYTES
  }

  start (stream: BlockStreamFn, options: DestinationOptions): void {
    const outer = options.signal
    if (outer != null) {
      if (outer.aborted) this.abort(reasonOf(outer))
      else outer.addEventListener('abort', () => { this.abort(reasonOf(outer)) }, { once: true })
    }
    this.done = stream(this.blocks(), { signal: this.controller.signal, hashedInProcess: options.hashedInProcess === true }).then(() => {
      this.ended = true
      if (this.queue.length > 0 && this.error == null) this.fail(new Error(`block stream to ${this.peer} ended before every block was sent`))
      this.wake()
    }, (err: unknown) => {
      this.ended = true
      this.fail(err instanceof Error ? err : new Error(String(err)))
    })
  }

  private fail (err: Error): void {
    this.error ??= err
    this.queue.length = 0
    this.queuedBytes = 0
    this.wake()
  }

  private wake (): void {
    const p = this.wakeProducer
    const c = this.wakeConsumer
    this.wakeProducer = undefined
    this.wakeConsumer = undefined
    p?.()
    c?.()
  }

  private async * blocks (): AsyncGenerator<BlockWithFormat> {
    while (true) {
      if (this.error != null) throw this.error
      const block = this.queue.shift()
      if (block != null) {
        this.queuedBytes -= block.bytes.byteLength
        this.wakeProducer?.()
        yield { cid: block.cid, data: block.bytes }
        continue
      }
      if (this.closed) return
      await new Promise<void>((resolve) => { this.wakeConsumer = resolve })
    }
  }

  private full (size: number): boolean {
    if (this.queue.length === 0) return false
    return this.queue.length >= this.maxBlocks || this.queuedBytes + size > this.maxBytes
  }

  async push (block: AddedBlock, options: AbortOptions = {}): Promise<void> {
    const signal = options.signal
    signal?.throwIfAborted()
    if (this.closed) throw new Error(`block destination ${this.peer} is closed`)
    while (this.error == null && !this.ended && this.full(block.bytes.byteLength)) {
      await waitOrAbort((resolve) => { this.wakeProducer = resolve }, signal)
    }
    if (this.error != null) return
    if (this.ended) {
      this.fail(new Error(`block stream to ${this.peer} ended before every block was sent`))
      return
    }
    this.queue.push(block)
    this.queuedBytes += block.bytes.byteLength
    this.wakeConsumer?.()
  }

  async close (options: AbortOptions = {}): Promise<void> {
    this.closed = true
    this.wake()
    await waitOrAbort((resolve) => { void this.done.then(resolve) }, options.signal)
    if (this.error != null) throw this.error
  }

  abort (reason: Error): void {
    this.closed = true
    this.fail(reason)
    this.controller.abort(reason)
  }
}

function reasonOf (signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason ?? 'aborted'))
}

/** Waits until `arm`'s callback is called, or rejects with the signal's reason. */
async function waitOrAbort (arm: (resolve: () => void) => void, signal: AbortSignal | undefined): Promise<void> {
  signal?.throwIfAborted()
  let onAbort: (() => void) | undefined
  try {
    await new Promise<void>((resolve, reject) => {
      arm(resolve)
      if (signal != null) {
        onAbort = () => { reject(signal.reason) }
        signal.addEventListener('abort', onAbort, { once: true })
      }
    })
  } finally {
    if (onAbort != null) signal?.removeEventListener('abort', onAbort)
  }
}
