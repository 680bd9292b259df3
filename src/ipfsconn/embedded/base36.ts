/**
 * Multibase base36 (`k…`, the encoding of Helia's datastore keys) written as ASCII
 * bytes into a caller's buffer, with no intermediate strings or BigInts.
 *
 * Why: every pin and every item of a status listing looks up Helia's record of a CID
 * by its base36 key. multiformats' encoder (base-x) is quadratic (~2.6 µs a CID) and a
 * BigInt detour allocates ~0.5 KB; this divides 16-bit limbs by 36⁴ (4 digits a pass).
 */

const ALPHABET = new TextEncoder().encode('0123456789abcdefghijklmnopqrstuvwxyz')
const ZERO = ALPHABET[0]
const CHUNK = 36 ** 4
let limbs = new Float64Array(64)
let scratch = new Uint8Array(128)

/** Room `writeBase36` may need for `bytes` (digits only, no prefix). */
export function base36Capacity (bytes: Uint8Array): number {
  return Math.ceil(bytes.length * 1.55) + 4
}

/**
 * Writes the base36 digits of `bytes` (no `k` prefix) into `out` at `at` and returns
 * the end offset. As base-x: each leading zero byte is one `0`, the rest is the
 * big-endian number. `out` needs `base36Capacity(bytes)` bytes from `at`.
 */
export function writeBase36 (bytes: Uint8Array, out: Uint8Array, at: number): number {
  let zeros = 0
  while (zeros < bytes.length && bytes[zeros] === 0) zeros++
  for (let i = 0; i < zeros; i++) out[at++] = ZERO
  const need = Math.ceil((bytes.length - zeros) / 2)
  if (need > limbs.length) limbs = new Float64Array(need * 2)
  let n = 0
  let i = zeros
  if ((bytes.length - zeros) % 2 === 1) limbs[n++] = bytes[i++]
  for (; i < bytes.length; i += 2) limbs[n++] = bytes[i] * 256 + bytes[i + 1]

  const first = at
  let start = 0
  while (start < n) {
    // one long division by 36⁴: exact in doubles (remainder · 2¹⁶ + limb < 2³⁷)
    let rem = 0
    for (let j = start; j < n; j++) {
      const cur = rem * 65536 + limbs[j]
      const q = Math.floor(cur / CHUNK)
      rem = cur - q * CHUNK
      limbs[j] = q
    }
    while (start < n && limbs[start] === 0) start++
    for (let k = 0; k < 4; k++) {
      const q = Math.floor(rem / 36)
      out[at++] = ALPHABET[rem - q * 36]
      rem = q
    }
  }
  // digits came least significant first: drop the top zeros of the last pass, reverse
  while (at > first && out[at - 1] === ZERO) at--
  for (let a = first, b = at - 1; a < b; a++, b--) {
    const t = out[a]
    out[a] = out[b]
    out[b] = t
  }
  return at
}

/** `base36.encode(bytes)` of multiformats (with the `k` prefix), faster. */
export function base36Text (bytes: Uint8Array): string {
  const size = base36Capacity(bytes) + 1
  if (size > scratch.length) scratch = new Uint8Array(size * 2)
  scratch[0] = 0x6b // 'k'
  const end = writeBase36(bytes, scratch, 1)
  return Buffer.from(scratch.buffer, 0, end).toString('latin1')
}
