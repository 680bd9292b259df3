/**
 * Salsa20 four blocks at a time with WebAssembly SIMD: about three times the speed
 * of the scalar JavaScript cores (@noble/ciphers included), which matters because
 * the private network XORs every byte the cluster moves. Each 128-bit vector holds
 * one state word of four consecutive blocks; after the 20 rounds the words are
 * transposed back into blocks and XORed into the data in place.
 *
 * The module is small enough to be emitted here, instruction by instruction, rather
 * than shipped as a binary. `simdSalsa()` is undefined where WebAssembly SIMD is not
 * available; callers then use @noble/ciphers.
 */

// --- a minimal WebAssembly binary emitter -------------------------------------

type Bytes = number[]

function uleb (n: number): Bytes {
  const out: Bytes = []
  do {
    let b = n & 0x7f
    n >>>= 7
    if (n !== 0) b |= 0x80
    out.push(b)
  } while (n !== 0)
  return out
}

function sleb (n: number): Bytes {
  const out: Bytes = []
  while (true) {
    const b = n & 0x7f
    n >>= 7
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b)
      return out
    }
    out.push(b | 0x80)
  }
}

const vec = (items: Bytes[]): Bytes => [...uleb(items.length), ...items.flat()]
const section = (id: number, bytes: Bytes): Bytes => [id, ...uleb(bytes.length), ...bytes]
const name = (s: string): Bytes => vec([...new TextEncoder().encode(s)].map((c) => [c]))

const localGet = (i: number): Bytes => [0x20, ...uleb(i)]
const localSet = (i: number): Bytes => [0x21, ...uleb(i)]
const localTee = (i: number): Bytes => [0x22, ...uleb(i)]
const i32Const = (n: number): Bytes => [0x41, ...sleb(n)]
const I32_ADD = [0x6a]
const I32_SUB = [0x6b]
const I32_EQZ = [0x45]
const i32Store = (offset: number): Bytes => [0x36, 2, ...uleb(offset)]
const simd = (op: number): Bytes => [0xfd, ...uleb(op)]
const v128Load = (offset: number): Bytes => [...simd(0x00), 4, ...uleb(offset)]
const v128Store = (offset: number): Bytes => [...simd(0x0b), 4, ...uleb(offset)]
const v128Load32Splat = (offset: number): Bytes => [...simd(0x09), 2, ...uleb(offset)]
const v128Const = (words: number[]): Bytes => [...simd(0x0c), ...new Uint8Array(Uint32Array.from(words).buffer)]
const shuffle = (lanes: number[]): Bytes => [...simd(0x0d), ...lanes]
const I32X4_SPLAT = simd(0x11)
const V128_OR = simd(0x50)
const V128_XOR = simd(0x51)
const I32X4_SHL = simd(0xab)
const I32X4_SHR_U = simd(0xad)
const I32X4_ADD = simd(0xae)
const BLOCK = 0x02
const LOOP = 0x03
const EMPTY = 0x40
const BR = 0x0c
const BR_IF = 0x0d
const END = 0x0b

// --- the function: xor4(state, data, groups) ------------------------------------
// `state` points at the 16 input words (word 8 the low counter, which must not wrap
// within the call); `data` at groups × 256 bytes XORed in place. Word 8 is advanced.

const P_STATE = 0
const P_DATA = 1
const P_GROUPS = 2
const L_COUNTER = 3
const L_ROUND = 4
const X = (j: number): number => 5 + j
const T = (k: number): number => 21 + k

// Salsa20 quarter-round index quadruples: the column round, then the row round
const ROUNDS = [
  [0, 4, 8, 12], [5, 9, 13, 1], [10, 14, 2, 6], [15, 3, 7, 11],
  [0, 1, 2, 3], [5, 6, 7, 4], [10, 11, 8, 9], [15, 12, 13, 14]
]
// i32 lane interleavings for the 4×4 transposition (byte indices, 16+ = 2nd operand)
const PAIRS_LO = [0, 1, 2, 3, 16, 17, 18, 19, 4, 5, 6, 7, 20, 21, 22, 23]
const PAIRS_HI = [8, 9, 10, 11, 24, 25, 26, 27, 12, 13, 14, 15, 28, 29, 30, 31]
const HALVES_LO = [0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23]
const HALVES_HI = [8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31]

/** Input word j of the four blocks: splatted from `state`, the counter word plus 0..3. */
function inputWord (j: number): Bytes {
  if (j === 8) return [...localGet(L_COUNTER), ...I32X4_SPLAT, ...v128Const([0, 1, 2, 3]), ...I32X4_ADD]
  return [...localGet(P_STATE), ...v128Load32Splat(4 * j)]
}

function xor4Body (): Bytes {
  const b: Bytes = []
  b.push(...localGet(P_STATE), 0x28, 2, ...uleb(32), ...localSet(L_COUNTER))
  b.push(BLOCK, EMPTY, LOOP, EMPTY)
  b.push(...localGet(P_GROUPS), ...I32_EQZ, BR_IF, 1)
  for (let j = 0; j < 16; j++) b.push(...inputWord(j), ...localSet(X(j)))
  b.push(...i32Const(10), ...localSet(L_ROUND), LOOP, EMPTY)
  // x[dst] ^= rotl(x[s1] + x[s2], rot)
  const step = (dst: number, s1: number, s2: number, rot: number): void => {
    b.push(...localGet(X(s1)), ...localGet(X(s2)), ...I32X4_ADD, ...localTee(T(0)),
      ...i32Const(rot), ...I32X4_SHL, ...localGet(T(0)), ...i32Const(32 - rot), ...I32X4_SHR_U, ...V128_OR,
      ...localGet(X(dst)), ...V128_XOR, ...localSet(X(dst)))
  }
  for (const [q0, q1, q2, q3] of ROUNDS) {
    step(q1, q0, q3, 7)
    step(q2, q1, q0, 9)
    step(q3, q2, q1, 13)
    step(q0, q3, q2, 18)
  }
  b.push(...localGet(L_ROUND), ...i32Const(1), ...I32_SUB, ...localTee(L_ROUND), BR_IF, 0, END)
  for (let j = 0; j < 16; j++) b.push(...localGet(X(j)), ...inputWord(j), ...I32X4_ADD, ...localSet(X(j)))
  // words 4q..4q+3 of the four blocks → the 16 bytes at 16q of each block
  for (let q = 0; q < 4; q++) {
    const [a, c, d, e] = [X(4 * q), X(4 * q + 1), X(4 * q + 2), X(4 * q + 3)]
    b.push(...localGet(a), ...localGet(c), ...shuffle(PAIRS_LO), ...localSet(T(0)))
    b.push(...localGet(a), ...localGet(c), ...shuffle(PAIRS_HI), ...localSet(T(1)))
    b.push(...localGet(d), ...localGet(e), ...shuffle(PAIRS_LO), ...localSet(T(2)))
    b.push(...localGet(d), ...localGet(e), ...shuffle(PAIRS_HI), ...localSet(T(3)))
    const rows: Array<[number, number, number[]]> = [[T(0), T(2), HALVES_LO], [T(0), T(2), HALVES_HI], [T(1), T(3), HALVES_LO], [T(1), T(3), HALVES_HI]]
    rows.forEach(([lo, hi, lanes], block) => {
      const offset = block * 64 + q * 16
      b.push(...localGet(P_DATA), ...localGet(P_DATA), ...v128Load(offset),
        ...localGet(lo), ...localGet(hi), ...shuffle(lanes), ...V128_XOR, ...v128Store(offset))
    })
  }
  b.push(...localGet(P_DATA), ...i32Const(256), ...I32_ADD, ...localSet(P_DATA))
  b.push(...localGet(L_COUNTER), ...i32Const(4), ...I32_ADD, ...localSet(L_COUNTER))
  b.push(...localGet(P_GROUPS), ...i32Const(1), ...I32_SUB, ...localSet(P_GROUPS))
  b.push(BR, 0, END, END)
  b.push(...localGet(P_STATE), ...localGet(L_COUNTER), ...i32Store(32), END)
  return b
}

/** Bytes processed per call: the staging area after the 64-byte state. */
const CAPACITY = 64 * 1024
const DATA_AT = 256
const PAGES = Math.ceil((DATA_AT + CAPACITY) / 65536)

function moduleBytes (): Uint8Array {
  const I32 = 0x7f
  const V128 = 0x7b
  const FUNC = 0x60
  const code = [...vec([[...uleb(2), I32], [...uleb(20), V128]]), ...xor4Body()]
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([[FUNC, ...vec([[I32], [I32], [I32]]), ...vec([])]])),
    ...section(3, vec([[0]])),
    ...section(5, vec([[0x00, ...uleb(PAGES)]])),
    ...section(7, vec([[...name('memory'), 0x02, 0], [...name('xor4'), 0x00, 0]])),
    ...section(10, vec([[...uleb(code.length), ...code]]))
  ])
}

// --- the JavaScript side ------------------------------------------------------

// the project's `lib` has no WebAssembly declarations: the little used here
interface WasmInstance { exports: { memory: { buffer: ArrayBuffer }, xor4: (state: number, data: number, groups: number) => void } }
interface WasmApi {
  Module: new (bytes: Uint8Array) => object
  Instance: new (module: object) => WasmInstance
}

/** Salsa20 "expand 32-byte k". */
const SIGMA = [0x61707865, 0x3320646e, 0x79622d32, 0x6b206574]
const TWO_32 = 2 ** 32
/** Bytes per xor4 group (four blocks). */
const GROUP = 256

/** XORs Salsa20 keystream into data, four blocks at a time. */
export class SimdSalsa {
  private readonly xor4: (state: number, data: number, groups: number) => void
  private readonly state: DataView
  private readonly bytes: Uint8Array

  constructor (instance: WasmInstance) {
    // the memory never grows, so views on its buffer stay valid
    this.xor4 = instance.exports.xor4
    this.state = new DataView(instance.exports.memory.buffer, 0, 64)
    this.bytes = new Uint8Array(instance.exports.memory.buffer)
  }

  /**
   * Writes to `out` the first `length` bytes of `parts` XORed with the keystream of
   * `key` (8 words) and `nonce` (2 words) from byte `position` of the stream on.
   * Any position and length: the groups around the ends are computed whole, and
   * the bytes outside the range ignored.
   */
  xorInto (key: Uint32Array, nonce: Uint32Array, position: number, parts: Iterable<Uint8Array>, length: number, out: Uint8Array): void {
    const words = [SIGMA[0], key[0], key[1], key[2], key[3], SIGMA[1], nonce[0], nonce[1], 0, 0, SIGMA[2], key[4], key[5], key[6], key[7], SIGMA[3]]
    words.forEach((word, i) => { this.set(i, word) })
    const source = parts[Symbol.iterator]()
    let part: Uint8Array = new Uint8Array(0)
    let partAt = 0
    for (let done = 0; done < length;) {
      const pos = position + done
      const group = Math.floor(pos / GROUP)
      const lead = pos - group * GROUP
      const lo = (group * 4) % TWO_32
      // a call must not carry the low counter word into the high one (2^32 is a group boundary)
      const room = Math.min(CAPACITY, (TWO_32 - lo) / 4 * GROUP)
      const n = Math.min(length - done, room - lead)
      for (let filled = 0; filled < n;) {
        if (partAt === part.byteLength) {
          const next = source.next()
          if (next.done === true) throw new RangeError(`xor: ${length} bytes announced, fewer given`)
          part = next.value
          partAt = 0
          continue
        }
        const take = Math.min(part.byteLength - partAt, n - filled)
        this.bytes.set(part.subarray(partAt, partAt + take), DATA_AT + lead + filled)
        partAt += take
        filled += take
      }
      this.set(8, lo)
      this.set(9, Math.floor(group * 4 / TWO_32))
      this.xor4(0, DATA_AT, Math.ceil((lead + n) / GROUP))
      out.set(this.bytes.subarray(DATA_AT + lead, DATA_AT + lead + n), done)
      done += n
    }
  }

  /** Sets input word `i` (WebAssembly memory is little-endian). */
  private set (i: number, word: number): void {
    this.state.setUint32(i * 4, word, true)
  }
}

let compiled: SimdSalsa | null | undefined

/** The process's SIMD Salsa20, or undefined where WebAssembly SIMD is missing. */
export function simdSalsa (): SimdSalsa | undefined {
  if (compiled === undefined) {
    try {
      const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly
      compiled = wasm != null ? new SimdSalsa(new wasm.Instance(new wasm.Module(moduleBytes()))) : null
    } catch {
      compiled = null
    }
  }
  return compiled ?? undefined
}
