/**
 * A set of byte strings (CID bytes) in flat typed arrays, for the IPFS pinset that
 * `statusAll` checks every state item against.
 *
 * Why not `Set<string>`: with a million pins the set held a million strings in the
 * JS heap (~80 MB, all promoted to old space and traced by every major GC), and each
 * `add`/`has` hashed a freshly built string. Here a pin costs its bytes plus 10 bytes
 * of table, lookups take the state's key bytes as they are, and the GC sees three arrays.
 */

/** Slots per entry at most (load factor 1/2 keeps probe sequences short). */
const MAX_LOAD = 0.5
const INITIAL_SLOTS = 1024
const INITIAL_ARENA = 16 * 1024

/** FNV-1a over `bytes` (32 bit). */
function hashOf (bytes: Uint8Array): number {
  let h = 0x811c9dc5
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193)
  return h | 0
}

/** An insert-only set of byte strings. */
export class ByteKeySet {
  /** Entries back to back: a 2-byte big-endian length (or 0xffff + 4 bytes) then the bytes. */
  private arena = new Uint8Array(INITIAL_ARENA)
  private used = 0
  /** Per slot: arena offset + 1 of the entry (0: empty slot). */
  private offsets = new Int32Array(INITIAL_SLOTS)
  /** Per slot: hash of the entry. */
  private hashes = new Int32Array(INITIAL_SLOTS)
  private count = 0

  /** Number of distinct keys. */
  get size (): number {
    return this.count
  }

  /** Adds `bytes` (copied). */
  add (bytes: Uint8Array): void {
    const h = hashOf(bytes)
    const mask = this.offsets.length - 1
    let i = h & mask
    while (this.offsets[i] !== 0) {
      if (this.hashes[i] === h && this.equalsAt(this.offsets[i] - 1, bytes)) return
      i = (i + 1) & mask
    }
    this.offsets[i] = this.append(bytes) + 1
    this.hashes[i] = h
    this.count++
    if (this.count > this.offsets.length * MAX_LOAD) this.grow()
  }

  /** True when `bytes` was added. */
  has (bytes: Uint8Array): boolean {
    const h = hashOf(bytes)
    const mask = this.offsets.length - 1
    let i = h & mask
    while (this.offsets[i] !== 0) {
      if (this.hashes[i] === h && this.equalsAt(this.offsets[i] - 1, bytes)) return true
      i = (i + 1) & mask
    }
    return false
  }

  /** Writes an entry to the arena; returns its offset. */
  private append (bytes: Uint8Array): number {
    const n = bytes.length
    const head = n < 0xffff ? 2 : 6
    if (this.used + head + n > this.arena.length) {
      const bigger = new Uint8Array(Math.max(this.arena.length * 2, this.used + head + n))
      bigger.set(this.arena.subarray(0, this.used))
      this.arena = bigger
    }
    const a = this.arena
    const at = this.used
    if (head === 2) {
      a[at] = n >>> 8
      a[at + 1] = n & 0xff
    } else {
      a[at] = 0xff
      a[at + 1] = 0xff
      a[at + 2] = n >>> 24
      a[at + 3] = (n >>> 16) & 0xff
      a[at + 4] = (n >>> 8) & 0xff
      a[at + 5] = n & 0xff
    }
    a.set(bytes, at + head)
    this.used = at + head + n
    return at
  }

  private equalsAt (at: number, bytes: Uint8Array): boolean {
    const a = this.arena
    let n = (a[at] << 8) | a[at + 1]
    let p = at + 2
    if (n === 0xffff) {
      n = ((a[at + 2] << 24) >>> 0) + ((a[at + 3] << 16) | (a[at + 4] << 8) | a[at + 5])
      p = at + 6
    }
    if (n !== bytes.length) return false
    for (let i = 0; i < n; i++) if (a[p + i] !== bytes[i]) return false
    return true
  }

  /** Doubles the table, re-placing entries by their stored hash. */
  private grow (): void {
    const oldOffsets = this.offsets
    const oldHashes = this.hashes
    this.offsets = new Int32Array(oldOffsets.length * 2)
    this.hashes = new Int32Array(oldOffsets.length * 2)
    const mask = this.offsets.length - 1
    for (let j = 0; j < oldOffsets.length; j++) {
      if (oldOffsets[j] === 0) continue
      let i = oldHashes[j] & mask
      while (this.offsets[i] !== 0) i = (i + 1) & mask
      this.offsets[i] = oldOffsets[j]
      this.hashes[i] = oldHashes[j]
    }
  }
}
