/** Small helpers of the CRDT consensus. */

/** Runs async sections one at a time, in call order. */
export class Mutex {
  private tail: Promise<unknown> = Promise.resolve()

  async run<T> (fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn)
    this.tail = result.catch(() => {})
    return await result
  }
}

/** Byte-wise comparison (as Go's bytes.Compare). */
export function compareBytes (a: Uint8Array, b: Uint8Array): number {
  return Buffer.compare(a, b)
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export async function sleep (ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted === true) return
  await new Promise<void>((resolve) => {
    const done = (): void => {
      clearTimeout(t)
      signal?.removeEventListener('abort', done)
      resolve()
    }
    const t = setTimeout(done, ms)
    // background loops must not keep a process alive on their own
    t.unref()
    signal?.addEventListener('abort', done, { once: true })
  })
}

/** `ms` ± `ratio` random jitter (Go rebroadcast uses ±30 %). */
export function jitter (ms: number, ratio = 0.3): number {
  return Math.max(1, Math.round(ms * (1 - ratio + Math.random() * 2 * ratio)))
}

/**
 * A Bloom filter over strings: `has` is false only for strings never added. It lets
 * a store that started empty skip reads of keys it never wrote (bulk imports).
 */
export class KeyFilter {
  private readonly bits: Uint8Array
  private readonly mask: number

  /** `log2Bits`: 2^log2Bits bits (25 → 4 MiB, ~3M keys at 1 % false positives). */
  constructor (log2Bits = 25) {
    this.bits = new Uint8Array(2 ** (log2Bits - 3))
    this.mask = 2 ** log2Bits - 1
  }

  private static hashes (s: string): [number, number] {
    // two FNV-1a variants; positions by double hashing
    let h1 = 0x811c9dc5
    let h2 = 0x01000193
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i)
      h1 = Math.imul(h1 ^ c, 0x01000193)
      h2 = Math.imul(h2 ^ c, 0x5bd1e995)
    }
    return [h1 >>> 0, (h2 >>> 0) | 1]
  }

  add (s: string): void {
    const [a, b] = KeyFilter.hashes(s)
    for (let i = 0; i < 7; i++) {
      const bit = (a + i * b) & this.mask
      this.bits[bit >>> 3] |= 1 << (bit & 7)
    }
  }

  has (s: string): boolean {
    const [a, b] = KeyFilter.hashes(s)
    for (let i = 0; i < 7; i++) {
      const bit = (a + i * b) & this.mask
      if ((this.bits[bit >>> 3] & (1 << (bit & 7))) === 0) return false
    }
    return true
  }
}
