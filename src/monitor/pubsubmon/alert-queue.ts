/**
 * A bounded FIFO of alerts read as async iterables: the TypeScript stand-in for
 * Go's buffered `chan api.Alert` (capacity 256). Each alert goes to one reader.
 */
import type { Alert } from '../../interface/types.js'
import type { AbortOptions } from '../../interface/startable.js'

/** Capacity of the alert buffer. Go `AlertChannelCap`. */
export const ALERT_CHANNEL_CAP = 256

export class AlertQueue {
  private readonly buf: Alert[] = []
  private wakers: Array<() => void> = []
  private closed = false
  private readonly cap: number

  constructor (cap = ALERT_CHANNEL_CAP) {
    this.cap = cap
  }

  /** Number of buffered alerts. */
  get size (): number {
    return this.buf.length
  }

  /** Buffers an alert; false when the buffer is full (Go's non-blocking send). */
  push (alert: Alert): boolean {
    if (this.buf.length >= this.cap) return false
    this.buf.push(alert)
    this.wake()
    return true
  }

  /** Ends every reader once the buffer is drained. */
  close (): void {
    this.closed = true
    this.wake()
  }

  /** Accepts readers again after `close`. */
  open (): void {
    this.closed = false
  }

  private wake (): void {
    const wakers = this.wakers
    this.wakers = []
    for (const w of wakers) w()
  }

  /** Yields alerts as they arrive until closed (and drained) or aborted. */
  async * iterate (options: AbortOptions = {}): AsyncGenerator<Alert> {
    const { signal } = options
    while (signal?.aborted !== true) {
      const next = this.buf.shift()
      if (next != null) {
        yield next
        continue
      }
      if (this.closed) return
      let waker: (() => void) | undefined
      let onAbort: (() => void) | undefined
      try {
        await new Promise<void>((resolve) => {
          waker = resolve
          onAbort = resolve
          this.wakers.push(resolve)
          signal?.addEventListener('abort', onAbort, { once: true })
        })
      } finally {
        if (onAbort != null) signal?.removeEventListener('abort', onAbort)
        this.wakers = this.wakers.filter((w) => w !== waker)
      }
    }
  }
}
