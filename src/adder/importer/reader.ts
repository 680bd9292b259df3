/** Pull-style reading of an async byte stream into caller buffers (Go's `io.ReadFull`). */

/**
 * A plain `Uint8Array` of `size` bytes, not zeroed first and outside Node's pool (`Buffer.allocUnsafeSlow`);
 * the caller must write every byte it exposes.
 */
export function uninitialized (size: number): Uint8Array {
  const b = Buffer.allocUnsafeSlow(size)
  return new Uint8Array(b.buffer, b.byteOffset, size)
}

/** A reader over an async iterable of byte chunks. */
export interface FullReader {
  /** Fills `buf[offset:]` as far as the stream allows; returns the bytes read (short only at the end). */
  read: (buf: Uint8Array, offset: number) => Promise<number>
}

/** Wraps `source` so that its bytes can be read into fixed-size buffers. */
export function readFull (source: AsyncIterable<Uint8Array>): FullReader {
  const it = source[Symbol.asyncIterator]()
  let pending: Uint8Array | undefined
  let done = false
  return {
    async read (buf, offset) {
      let pos = offset
      while (pos < buf.length) {
        if (pending == null || pending.length === 0) {
          if (done) {
            break
          }
          const r = await it.next()
          if (r.done === true) {
            done = true
            break
          }
          pending = r.value
          continue
        }
        const take = Math.min(pending.length, buf.length - pos)
        buf.set(pending.subarray(0, take), pos)
        pending = pending.subarray(take)
        pos += take
      }
      return pos - offset
    }
  }
}
