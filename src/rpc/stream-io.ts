/**
 * Reading and writing msgpack values on a libp2p 3 stream with bounded memory.
 * libp2p 3 streams push 'message' events and only stop when paused; pausing a
 * yamux stream withholds window updates, so a slow reader stalls the remote
 * writer (whose `send` then asks it to wait for 'drain').
 */
import { decodeMultiStream } from '@msgpack/msgpack'
import { DECODE_OPTIONS, concat } from './wire.js'
import type { AbortOptions, Stream, StreamCloseEvent, StreamMessageEvent } from '@libp2p/interface'

/** Unread bytes above which the stream is paused. */
const HIGH_WATER = 1024 * 1024
/** Unread bytes under which a paused stream resumes. */
const LOW_WATER = 256 * 1024
/** Queued output above which a write is sent at once instead of at the end of the tick. */
const FLUSH_BYTES = 64 * 1024
/**
 * Bytes libp2p may buffer while the stream is paused: a yamux receive window
 * (up to 16 MiB) can still arrive after the pause, and libp2p resets a stream
 * whose paused buffer exceeds this.
 */
export const MAX_READ_BUFFER = 17 * 1024 * 1024

/** The stream ended without the remote closing its write side: its connection went away. */
export class StreamEndedError extends Error {
  static name = 'StreamEndedError'
  constructor (message = 'the connection closed', options?: ErrorOptions) {
    super(message, options)
    this.name = 'StreamEndedError'
  }
}

/** The chunks received on a stream, as an async iterable that pauses the stream while they pile up. */
export class ChunkReader implements AsyncIterable<Uint8Array> {
  private readonly stream: Stream
  // a queue with a moving head: shift() would be quadratic on many small chunks
  private chunks: Uint8Array[] = []
  private head = 0
  private queued = 0
  private remoteClosed = false
  private ended = false
  private failure: Error | undefined
  private wake: (() => void) | undefined

  constructor (stream: Stream) {
    this.stream = stream
    stream.addEventListener('message', this.onMessage)
    stream.addEventListener('remoteCloseWrite', this.onRemoteCloseWrite)
    stream.addEventListener('end', this.onEnd)
    stream.addEventListener('close', this.onClose)
    if (stream.remoteWriteStatus === 'closed') this.remoteClosed = true
    if (stream.readableEnded) this.onEnd()
  }

  async * [Symbol.asyncIterator] (): AsyncGenerator<Uint8Array> {
    try {
      while (true) {
        if (this.head < this.chunks.length) {
          const chunk = this.chunks[this.head++]
          if (this.head === this.chunks.length) {
            this.chunks = []
            this.head = 0
          } else if (this.head >= 1024) {
            this.chunks = this.chunks.slice(this.head)
            this.head = 0
          }
          this.queued -= chunk.byteLength
          this.maybeResume()
          yield chunk
          continue
        }
        if (this.failure != null) throw this.failure
        if (this.ended) return
        await new Promise<void>((resolve) => { this.wake = resolve })
      }
    } finally {
      this.detach()
    }
  }

  /** Stops listening; unread data stays with the stream. */
  detach (): void {
    this.stream.removeEventListener('message', this.onMessage)
    this.stream.removeEventListener('remoteCloseWrite', this.onRemoteCloseWrite)
    this.stream.removeEventListener('end', this.onEnd)
    this.stream.removeEventListener('close', this.onClose)
  }

  private readonly onMessage = (evt: StreamMessageEvent): void => {
    const data = evt.data
    let bytes = data instanceof Uint8Array ? data : data.subarray()
    // decoded bin values are views of these chunks: make them plain Uint8Arrays, not Buffers
    if (Buffer.isBuffer(bytes)) bytes = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    this.chunks.push(bytes)
    this.queued += bytes.byteLength
    if (this.queued >= HIGH_WATER && this.stream.readStatus === 'readable') {
      try {
        this.stream.pause()
      } catch {
        // the readable end is closing: nothing more will arrive anyway
      }
    }
    this.notify()
  }

  private readonly onRemoteCloseWrite = (): void => {
    this.remoteClosed = true
  }

  // 'end' comes once every byte has been delivered; only a remote FIN makes it a clean end
  private readonly onEnd = (): void => {
    const status = this.stream.status
    if (status === 'reset') this.fail(new StreamEndedError('the stream was reset by the remote peer'))
    else if (status === 'aborted') this.fail(new StreamEndedError('the stream was aborted'))
    else if (!this.remoteClosed) this.fail(new StreamEndedError('the connection closed'))
    else this.ended = true
    this.notify()
  }

  private readonly onClose = (evt: StreamCloseEvent): void => {
    if (evt.error != null) {
      // what we aborted ourselves is not worth reading further
      if (evt.local === true) {
        this.chunks = []
        this.head = 0
      }
      this.fail(new StreamEndedError(evt.local === true ? `the stream was aborted: ${evt.error.message}` : `the stream was reset: ${evt.error.message}`, { cause: evt.error }))
    }
    this.notify()
  }

  private fail (err: Error): void {
    if (this.failure == null && !this.ended) this.failure = err
  }

  private maybeResume (): void {
    if (this.queued < LOW_WATER && this.stream.readStatus === 'paused') {
      try {
        this.stream.resume()
      } catch {
        // closed meanwhile: the 'end'/'close' listeners report it
      }
    }
  }

  private notify (): void {
    const wake = this.wake
    this.wake = undefined
    wake?.()
  }
}

/**
 * Waits for the stream's 'drain' event. (`Stream.onDrain` of @libp2p/utils 7.4
 * keeps its first promise, so after one drain it no longer waits.)
 */
async function waitForDrain (stream: Stream, options: AbortOptions): Promise<void> {
  const signal = options.signal
  signal?.throwIfAborted()
  await new Promise<void>((resolve, reject) => {
    const cleanup = (): void => {
      stream.removeEventListener('drain', onDrain)
      stream.removeEventListener('close', onClose)
      signal?.removeEventListener('abort', onAbort)
    }
    const onDrain = (): void => { cleanup(); resolve() }
    const onClose = (evt: StreamCloseEvent): void => { cleanup(); reject(evt.error ?? new StreamEndedError('the stream closed')) }
    const onAbort = (): void => { cleanup(); reject(signal?.reason) }
    stream.addEventListener('drain', onDrain)
    stream.addEventListener('close', onClose)
    signal?.addEventListener('abort', onAbort)
  })
}

/** The msgpack values received on a stream, one at a time. */
export function readValues (stream: Stream): AsyncIterator<unknown> {
  return decodeMultiStream<undefined>(new ChunkReader(stream), DECODE_OPTIONS)[Symbol.asyncIterator]()
}

/**
 * Writes encoded values, coalescing small ones into one stream write per tick
 * (or per FLUSH_BYTES), and waits while the stream asks for a drain.
 */
export class FrameWriter {
  private readonly stream: Stream
  private parts: Uint8Array[] = []
  private bytes = 0
  private timer: NodeJS.Immediate | undefined

  constructor (stream: Stream) {
    this.stream = stream
  }

  /** Queues encoded values; resolves when the stream can take more. Rejects when the stream closed or `signal` aborts. */
  async write (data: Uint8Array[], options: AbortOptions = {}): Promise<void> {
    for (const d of data) {
      this.parts.push(d)
      this.bytes += d.byteLength
    }
    if (this.bytes >= FLUSH_BYTES) this.flush()
    else this.timer ??= setImmediate(this.flushSoon)
    if (this.stream.writableNeedsDrain) await waitForDrain(this.stream, options)
  }

  /** Sends what is queued now. Throws when the stream is no longer writable. */
  flush (): void {
    if (this.timer != null) {
      clearImmediate(this.timer)
      this.timer = undefined
    }
    if (this.bytes === 0) return
    const buf = concat(this.parts, this.bytes)
    this.parts = []
    this.bytes = 0
    this.stream.send(buf)
  }

  /** Sends what is queued and closes the write side; resolves once the data is handed to the connection. */
  async close (options: AbortOptions = {}): Promise<void> {
    this.flush()
    await this.stream.close(options)
  }

  /** Drops what is queued (the stream is being aborted). */
  discard (): void {
    if (this.timer != null) clearImmediate(this.timer)
    this.timer = undefined
    this.parts = []
    this.bytes = 0
  }

  private readonly flushSoon = (): void => {
    this.timer = undefined
    try {
      this.flush()
    } catch {
      // the stream closed: its reader reports why
    }
  }
}
