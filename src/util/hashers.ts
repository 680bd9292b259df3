/**
 * Multihash functions by name (the `hash` add parameter; Go: `multihash.Names`, looked up
 * case-insensitively) and by code (the embedded IPFS node verifying blocks). Shared by the
 * adder and the IPFS connector, so both accept the same set.
 */
import { createHash } from 'node:crypto'
import { blake2b, blake2s } from '@noble/hashes/blake2.js'
import { from } from 'multiformats/hashes/hasher'
import { sha256, sha512 } from 'multiformats/hashes/sha2'
import { UnknownHashFunctionError, UnsupportedHashFunctionError } from '../interface/errors.js'
import type { MultihashHasher } from 'multiformats/hashes/interface'

function nodeHasher (name: string, code: number, algorithm: string): MultihashHasher {
  return from({ name, code, encode: (input) => new Uint8Array(createHash(algorithm).update(input).digest()) })
}

/** Names Go's go-multihash knows but that are not computed here (they make the add fail). */
const KNOWN_UNSUPPORTED = new Set([
  'identity', 'md5', 'dbl-sha2-256', 'murmur3-x64-64', 'murmur3-32', 'x11', 'poseidon-bls12_381-a2-fc1',
  'sha2-256-trunc254-padded', 'sha2-224', 'sha2-512-224', 'sha2-512-256', 'shake-128', 'shake-256',
  'keccak-224', 'keccak-256', 'keccak-384', 'keccak-512', 'blake3'
])

const cache = new Map<string, MultihashHasher>()

function build (name: string): MultihashHasher | undefined {
  switch (name) {
    case 'sha2-256': return sha256
    case 'sha2-512': return sha512
    case 'sha1': return nodeHasher(name, 0x11, 'sha1')
    case 'sha3-224': return nodeHasher(name, 0x17, 'sha3-224')
    case 'sha3-256': return nodeHasher(name, 0x16, 'sha3-256')
    case 'sha3-384': return nodeHasher(name, 0x15, 'sha3-384')
    case 'sha3-512': return nodeHasher(name, 0x14, 'sha3-512')
  }
  // blake2b-8 … blake2b-512 (0xb201 … 0xb240), blake2s-8 … blake2s-256 (0xb241 … 0xb260)
  const m = /^blake2([bs])-(\d+)$/.exec(name)
  if (m != null) {
    const bits = Number(m[2])
    const max = m[1] === 'b' ? 512 : 256
    if (bits % 8 !== 0 || bits < 8 || bits > max || String(bits) !== m[2]) {
      return undefined
    }
    const dkLen = bits / 8
    const code = (m[1] === 'b' ? 0xb200 : 0xb240) + dkLen
    const fn = m[1] === 'b' ? blake2b : blake2s
    return from({ name, code, encode: (input) => fn(input, { dkLen }) })
  }
  return undefined
}

/**
 * Returns the hasher for a multihash function name (case-insensitive; '' means `sha2-256`).
 *
 * @throws UnknownHashFunctionError when Go's multihash table has no such name
 * @throws UnsupportedHashFunctionError when the name is known but not computed here
 */
export function getHasher (name: string): MultihashHasher {
  const key = name === '' ? 'sha2-256' : name.toLowerCase()
  let hasher = cache.get(key)
  if (hasher == null) {
    hasher = build(key)
    if (hasher == null) {
      if (KNOWN_UNSUPPORTED.has(key)) {
        throw new UnsupportedHashFunctionError(`hash function not supported: ${key}`)
      }
      throw new UnknownHashFunctionError()
    }
    cache.set(key, hasher)
  }
  return hasher
}

/** The name of a multihash code this module computes (the inverse of the table above). */
function nameOfCode (code: number): string | undefined {
  switch (code) {
    case 0x12: return 'sha2-256'
    case 0x13: return 'sha2-512'
    case 0x11: return 'sha1'
    case 0x17: return 'sha3-224'
    case 0x16: return 'sha3-256'
    case 0x15: return 'sha3-384'
    case 0x14: return 'sha3-512'
  }
  if (code > 0xb200 && code <= 0xb240) return `blake2b-${(code - 0xb200) * 8}`
  if (code > 0xb240 && code <= 0xb260) return `blake2s-${(code - 0xb240) * 8}`
  return undefined
}

/**
 * The hasher of a multihash code, or undefined. The embedded IPFS node verifies added
 * blocks with it: Helia only knows sha2-256 and identity unless given more.
 */
export function hasherForCode (code: number): MultihashHasher | undefined {
  const name = nameOfCode(code)
  return name == null ? undefined : getHasher(name)
}
