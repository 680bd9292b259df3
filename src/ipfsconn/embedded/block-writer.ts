/**
 * Writes block files on a thread of their own (block-writer-worker.ts). With libuv's pool,
 * each block took five hand-offs from the event loop (exists, open, write, close, rename),
 * each waking a pool thread that competed with the event loop for the CPU: a bare import
 * of 256 MiB into the store took ~0.97 s, ~0.69 s with this writer, at the same CPU time.
 * Writes queued in one turn of the event loop go to the thread as one message.
 *
 * Block bytes reach the thread through a shared ring buffer, copied in by the caller's
 * thread: sent as messages, each block became a new buffer on the writer's side, garbage
 * that its isolate (with no other allocations to trigger collections) let pile up to
 * ~250 MB during a 512 MiB add. Blocks too large for the ring go as messages.
 */
import { Worker } from 'node:worker_threads'

/** One block to write (sent to the thread): in the ring at `offset`, or as `bytes`. */
export interface WriteRequest {
  id: number
  file: string
  offset: number
  length: number
  bytes?: Uint8Array
}

/** The outcome of one write (sent back). */
export interface WriteReply {
  id: number
  /** False when the file already existed. */
  written: boolean
  error?: { message: string, code?: string }
}

/**
 * Size of the shared ring (resident once used): 32 blocks of Kubo's default size, the 8
 * writes `putMany` keeps in flight of up to 1 MiB; larger blocks wait for room.
 */
export const RING_SIZE = 8 * 1024 * 1024
/** Larger blocks are sent as messages. */
const MAX_IN_RING = 2 * 1024 * 1024

/** The writer was closed before or while writing. */
export class BlockWriterClosedError extends Error {
  static name = 'BlockWriterClosedError'
  constructor (message = 'the blockstore is closed') {
    super(message)
    this.name = 'BlockWriterClosedError'
  }
}

/** A failed block write, with the file-system error code (`ENOSPC`, …). */
export class BlockWriteError extends Error {
  static name = 'BlockWriteError'
  readonly code: string | undefined
  constructor (message: string, code?: string) {
    super(message)
    this.name = 'BlockWriteError'
    this.code = code
  }
}

interface Pending {
  resolve: (written: boolean) => void
  reject: (err: Error) => void
  /** The ring region [start, end) the block occupies, if any. */
  region?: { start: number, end: number, done: boolean }
}

export class BlockWriter {
  private worker: Worker | undefined
  private readonly ring = new SharedArrayBuffer(RING_SIZE)
  /** Occupied ring regions in allocation order (the thread frees them in that order). */
  private readonly regions: Array<{ start: number, end: number, done: boolean }> = []
  /** Callers waiting for ring space. */
  private spaceWaiters: Array<() => void> = []
  private nextId = 0
  private readonly pending = new Map<number, Pending>()
  /** Writes not finished yet (`close` waits for them). */
  private readonly inflight = new Set<Promise<boolean>>()
  private batch: WriteRequest[] = []

  start (): void {
    if (this.worker != null) return
    const worker = new Worker(new URL('./block-writer-worker.js', import.meta.url), { workerData: { ring: this.ring } })
    worker.on('message', (replies: WriteReply[]) => {
      for (const r of replies) {
        const p = this.pending.get(r.id)
        this.pending.delete(r.id)
        if (p?.region != null) p.region.done = true
        if (r.error != null) p?.reject(new BlockWriteError(r.error.message, r.error.code))
        else p?.resolve(r.written)
      }
      this.freeRegions()
      // an idle writer does not keep the process alive
      if (this.pending.size === 0) worker.unref()
    })
    worker.on('error', (err) => { this.failAll(err) })
    worker.on('exit', () => { this.failAll(new BlockWriterClosedError()) })
    worker.unref()
    this.worker = worker
  }

  /** Writes `bytes` to `file` unless it exists; resolves true when it wrote it. The caller keeps its buffer. */
  async write (file: string, bytes: Uint8Array): Promise<boolean> {
    if (this.worker == null) throw new BlockWriterClosedError()
    const req: WriteRequest = { id: this.nextId++, file, offset: 0, length: bytes.byteLength }
    let region: Pending['region']
    if (bytes.byteLength > 0 && bytes.byteLength <= MAX_IN_RING) {
      region = await this.allocate(bytes.byteLength)
      new Uint8Array(this.ring, region.start, bytes.byteLength).set(bytes)
      req.offset = region.start
    } else {
      // a view into a much larger buffer would send all of it
      req.bytes = bytes.byteLength * 2 < bytes.buffer.byteLength ? bytes.slice() : bytes
    }
    const worker = this.worker
    if (worker == null) {
      if (region != null) region.done = true
      this.freeRegions()
      throw new BlockWriterClosedError()
    }
    const done = new Promise<boolean>((resolve, reject) => { this.pending.set(req.id, { resolve, reject, region }) })
    this.inflight.add(done)
    done.then(() => { this.inflight.delete(done) }, () => { this.inflight.delete(done) })
    if (this.batch.length === 0) queueMicrotask(() => { this.flush() })
    this.batch.push(req)
    worker.ref()
    return await done
  }

  /** A ring region of `length` bytes, waiting for writes to finish when the ring is full. */
  private async allocate (length: number): Promise<{ start: number, end: number, done: boolean }> {
    for (;;) {
      const start = this.fit(length)
      if (start != null) {
        const region = { start, end: start + length, done: false }
        this.regions.push(region)
        return region
      }
      if (this.worker == null) throw new BlockWriterClosedError()
      await new Promise<void>((resolve) => { this.spaceWaiters.push(resolve) })
    }
  }

  /** Where `length` bytes fit after the newest region without reaching the oldest one. */
  private fit (length: number): number | undefined {
    if (this.regions.length === 0) return 0
    const head = this.regions[0].start
    const tail = this.regions[this.regions.length - 1].end
    if (tail >= head) {
      if (tail + length <= RING_SIZE) return tail
      return length < head ? 0 : undefined
    }
    return tail + length < head ? tail : undefined
  }

  private freeRegions (): void {
    while (this.regions.length > 0 && this.regions[0].done) this.regions.shift()
    const waiters = this.spaceWaiters
    this.spaceWaiters = []
    for (const w of waiters) w()
  }

  private flush (): void {
    const batch = this.batch
    this.batch = []
    if (batch.length > 0) this.worker?.postMessage(batch)
  }

  /** Waits for the writes already queued, then stops the thread. */
  async close (): Promise<void> {
    const worker = this.worker
    if (worker == null) return
    this.flush()
    this.worker = undefined // no new writes
    await Promise.allSettled([...this.inflight])
    this.freeRegions() // callers waiting for space see the writer closed
    await worker.terminate()
  }

  private failAll (err: Error): void {
    this.worker = undefined
    for (const p of this.pending.values()) p.reject(err)
    this.pending.clear()
    this.regions.length = 0
    this.freeRegions()
  }
}
