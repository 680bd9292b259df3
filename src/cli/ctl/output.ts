/** Buffered text output: many small writes become few large ones (pin ls prints millions of lines). */

/** Where text goes: `process.stdout.write` or a test collector. */
export type Sink = (text: string) => void

const FLUSH_AT = 64 * 1024

/** A string buffer flushed to its sink when large, and on `flush()`. */
export class Output {
  private buf = ''
  constructor (private readonly sink: Sink) {}

  /** Appends text; flushes when the buffer is large. */
  write (text: string): void {
    this.buf += text
    if (this.buf.length >= FLUSH_AT) this.flush()
  }

  /** Writes any buffered text to the sink. */
  flush (): void {
    if (this.buf !== '') {
      const b = this.buf
      this.buf = ''
      this.sink(b)
    }
  }
}
