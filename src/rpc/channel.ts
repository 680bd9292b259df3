/** Small concurrency primitives: a counting semaphore and a bounded async channel. */
import type { AbortOptions } from '../interface/startable.js'

/** Limits how many holders run at once; waiters are served first come, first served. */
export class Semaphore {
  private size: number
  private free: number
  private busy = 0
  private readonly waiters: Array<() => void> = []

  constructor (size: number) {
    this.size = size
    this.free = size
  }

  /** Changes the number of slots; a larger size admits waiters at once. */
  resize (size: number): void {
    this.free += size - this.size
    this.size = size
    while (this.free > 0 && this.waiters.length > 0) {
      this.free--
      this.waiters.shift()?.()
    }
  }

  /** True when nobody holds or waits (the owner may forget it). */
  get idle (): boolean {
    return this.busy === 0 && this.waiters.length === 0
  }

  /** Resolves once a slot is held. Rejects with the signal's reason when it aborts first. */
  async acquire (options: AbortOptions = {}): Promise<void> {
    options.signal?.throwIfAborted()
    if (this.free > 0) {
      this.free--
      this.busy++
      return
    }
    const signal = options.signal
    await new Promise<void>((resolve, reject) => {
      const grant = (): void => {
        signal?.removeEventListener('abort', onAbort)
        resolve()
      }
      const onAbort = (): void => {
        const i = this.waiters.indexOf(grant)
        if (i >= 0) this.waiters.splice(i, 1)
        reject(signal?.reason)
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      this.waiters.push(grant)
    })
    this.busy++
  }

  /** Gives a slot back (to the next waiter, if any). */
  release (): void {
    this.busy--
    const next = this.waiters.shift()
    if (next != null) next()
    else this.free++
  }
}

/**
 * A bounded queue between producers and one consumer: `push` waits while
 * `capacity` items are unread, and answers false once the consumer is gone.
 */
export class Channel<T> implements AsyncIterable<T> {
  private readonly items: T[] = []
  private readonly capacity: number
  private closed = false
  private gone = false
  private error: Error | undefined
  private readable: (() => void) | undefined
  private writable: Array<() => void> = []

  constructor (capacity = 1) {
    this.capacity = capacity
  }

  /** Adds an item, waiting for room. Resolves false when the consumer stopped (the item is dropped). */
  async push (item: T): Promise<boolean> {
    while (!this.gone && this.items.length >= this.capacity) {
      await new Promise<void>((resolve) => { this.writable.push(resolve) })
    }
    if (this.gone || this.closed) return false
    this.items.push(item)
    this.wakeReader()
    return true
  }

  /** No more items; the consumer sees `err` after the queued items, if given. */
  end (err?: Error): void {
    if (this.closed) return
    this.closed = true
    this.error = err
    this.wakeReader()
  }

  async * [Symbol.asyncIterator] (): AsyncGenerator<T> {
    try {
      while (true) {
        if (this.items.length > 0) {
          const item = this.items.shift() as T
          this.wakeWriters()
          yield item
          continue
        }
        if (this.closed) {
          if (this.error != null) throw this.error
          return
        }
        await new Promise<void>((resolve) => { this.readable = resolve })
      }
    } finally {
      this.cancel()
    }
  }

  /** The consumer is gone: queued items are dropped and `push` answers false. */
  cancel (): void {
    this.gone = true
    this.items.length = 0
    this.wakeWriters()
  }

  private wakeReader (): void {
    const r = this.readable
    this.readable = undefined
    r?.()
  }

  private wakeWriters (): void {
    const w = this.writable
    this.writable = []
    for (const resolve of w) resolve()
  }
}
