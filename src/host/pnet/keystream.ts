/**
 * An XSalsa20 keystream that is consumed incrementally: each call XORs the next
 * bytes of one direction of a protected connection, at any chunking, exactly as
 * one XSalsa20 pass over the whole transfer would (go-libp2p's pnet semantics).
 *
 * The keystream comes from the WebAssembly SIMD core (simd.ts) or, where SIMD is
 * missing, from @noble/ciphers' salsa20 with the HSalsa20 subkey. The subkey, a block
 * entered in the middle, and blocks past noble's 32-bit counter limit (256 GiB) come
 * from `salsaBlock` below, which takes the full 64-bit Salsa20 counter, as Go's
 * salsa20 does.
 */
import { salsa20 } from '@noble/ciphers/salsa.js'
import { simdSalsa } from './simd.js'
import type { SimdSalsa } from './simd.js'

/** Salsa20 block size in bytes. */
export const BLOCK_BYTES = 64
/** XSalsa20 key and nonce sizes. */
export const KEY_BYTES = 32
export const NONCE_BYTES = 24
/** "expand 32-byte k" */
const SIGMA = Uint32Array.of(0x61707865, 0x3320646e, 0x79622d32, 0x6b206574)
/** noble refuses a block counter at or above 2^32 - 1. */
const NOBLE_LAST_BLOCK = 2 ** 32 - 2
const TWO_32 = 2 ** 32

/** Reads little-endian 32-bit words. */
export function wordsLE (bytes: Uint8Array): Uint32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const out = new Uint32Array(bytes.byteLength / 4)
  for (let i = 0; i < out.length; i++) out[i] = view.getUint32(i * 4, true)
  return out
}

function bytesLE (words: ArrayLike<number>, out = new Uint8Array(words.length * 4)): Uint8Array {
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength)
  for (let i = 0; i < words.length; i++) view.setUint32(i * 4, words[i], true)
  return out
}

function rotl (v: number, n: number): number {
  return (v << n) | (v >>> (32 - n))
}

// Salsa20 quarter-round index quadruples: the column round, then the row round.
const ROUNDS = [
  [0, 4, 8, 12], [5, 9, 13, 1], [10, 14, 2, 6], [15, 3, 7, 11],
  [0, 1, 2, 3], [5, 6, 7, 4], [10, 11, 8, 9], [15, 12, 13, 14]
]

/**
 * One Salsa20/20 block: `out` receives the 16 keystream words for `key` (8 words),
 * `nonce` (2 words) and the 64-bit block counter `lo` + 2^32·`hi`.
 * With `feedForward` false it is the bare permutation HSalsa20 builds on.
 */
export function salsaBlock (key: Uint32Array, nonce: Uint32Array, lo: number, hi: number, out: Uint32Array, feedForward = true): void {
  const input = [
    SIGMA[0], key[0], key[1], key[2], key[3], SIGMA[1], nonce[0], nonce[1],
    lo >>> 0, hi >>> 0, SIGMA[2], key[4], key[5], key[6], key[7], SIGMA[3]
  ]
  const x = input.slice()
  for (let r = 0; r < 20; r += 2) {
    for (const [a, b, c, d] of ROUNDS) {
      x[b] ^= rotl((x[a] + x[d]) | 0, 7)
      x[c] ^= rotl((x[b] + x[a]) | 0, 9)
      x[d] ^= rotl((x[c] + x[b]) | 0, 13)
      x[a] ^= rotl((x[d] + x[c]) | 0, 18)
    }
  }
  for (let i = 0; i < 16; i++) out[i] = feedForward ? x[i] + input[i] : x[i]
}

/** HSalsa20: the 32-byte XSalsa20 subkey for `key` and the first 16 nonce bytes. */
export function hsalsa20 (key: Uint8Array, nonce16: Uint8Array): Uint32Array {
  const n = wordsLE(nonce16)
  const t = new Uint32Array(16)
  salsaBlock(wordsLE(key), n, n[2], n[3], t, false)
  return Uint32Array.of(t[0], t[5], t[10], t[15], t[6], t[7], t[8], t[9])
}

/**
 * One direction of an XSalsa20 stream: a key, a 24-byte nonce and a position.
 * `xor` may be called with any chunking; the result equals one pass over the whole.
 */
export class XSalsa20Stream {
  private readonly subKey: Uint8Array
  private readonly subKeyWords: Uint32Array
  private readonly nonceTail: Uint8Array
  private readonly nonceWords: Uint32Array
  private readonly blockWords = new Uint32Array(16)
  private readonly block = new Uint8Array(BLOCK_BYTES)
  private readonly simd?: SimdSalsa
  /** Keystream bytes used so far. */
  private position: number

  /**
   * `offset` starts the stream that many bytes in (the keystream before it is
   * skipped); `simd: false` keeps to the scalar cores (tests).
   */
  constructor (key: Uint8Array, nonce: Uint8Array, options: { offset?: number, simd?: boolean } = {}) {
    if (key.byteLength !== KEY_BYTES) throw new RangeError(`xsalsa20 key must be ${KEY_BYTES} bytes`)
    if (nonce.byteLength !== NONCE_BYTES) throw new RangeError(`xsalsa20 nonce must be ${NONCE_BYTES} bytes`)
    // HSalsa20 over the first 16 nonce bytes gives the Salsa20 key; the last 8 are its nonce
    const sub = hsalsa20(key, nonce.subarray(0, 16))
    this.subKeyWords = sub
    this.subKey = bytesLE(sub)
    this.nonceTail = nonce.slice(16)
    this.nonceWords = wordsLE(this.nonceTail)
    this.position = options.offset ?? 0
    this.simd = options.simd === false ? undefined : simdSalsa()
  }

  /** Bytes of keystream consumed so far. */
  get offset (): number {
    return this.position
  }

  /**
   * Returns a new buffer holding the `length` bytes of `parts`, XORed with the next
   * `length` keystream bytes. The inputs are never modified.
   */
  xor (parts: Iterable<Uint8Array>, length: number): Uint8Array {
    if (this.simd != null) {
      // every byte is written: no need to zero the allocation
      const out = new Uint8Array(Buffer.allocUnsafeSlow(length).buffer, 0, length)
      this.simd.xorInto(this.subKeyWords, this.nonceWords, this.position, parts, length, out)
      this.position += length
      return out
    }
    // offset the output by position % 4: block boundaries then fall on 4-byte
    // boundaries, noble's fast path
    const out = new Uint8Array(new ArrayBuffer(length + (this.position % 4)), this.position % 4, length)
    let at = 0
    for (const part of parts) {
      out.set(part.byteLength > length - at ? part.subarray(0, length - at) : part, at)
      at += part.byteLength
      if (at >= length) break
    }
    if (at < length) throw new RangeError(`xor: ${length} bytes announced, ${at} given`)
    this.apply(out)
    return out
  }

  /** XORs `buf` in place with the next keystream bytes, without SIMD. */
  private apply (buf: Uint8Array): void {
    let at = 0
    const skip = this.position % BLOCK_BYTES
    if (skip !== 0) {
      // the rest of a block entered in the middle
      const n = Math.min(BLOCK_BYTES - skip, buf.byteLength)
      this.keystreamBlock(Math.floor(this.position / BLOCK_BYTES))
      for (let i = 0; i < n; i++) buf[i] ^= this.block[skip + i]
      at = n
      this.position += n
    }
    while (at < buf.byteLength) {
      const counter = this.position / BLOCK_BYTES
      const rest = buf.byteLength - at
      let n: number
      if (counter <= NOBLE_LAST_BLOCK) {
        // noble takes a trailing partial block, not a counter past 2^32 - 2
        n = Math.min(rest, (NOBLE_LAST_BLOCK - counter + 1) * BLOCK_BYTES)
        const part = buf.subarray(at, at + n)
        salsa20(this.subKey, this.nonceTail, part, part, counter)
      } else {
        n = Math.min(rest, BLOCK_BYTES)
        this.keystreamBlock(counter)
        for (let i = 0; i < n; i++) buf[at + i] ^= this.block[i]
      }
      at += n
      this.position += n
    }
  }

  /** Fills `this.block` with keystream block `counter` (64-bit, little-endian bytes). */
  private keystreamBlock (counter: number): void {
    salsaBlock(this.subKeyWords, this.nonceWords, counter % TWO_32, Math.floor(counter / TWO_32), this.blockWords)
    bytesLE(this.blockWords, this.block)
  }
}
