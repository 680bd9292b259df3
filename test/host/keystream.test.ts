import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { hsalsa, xsalsa20 } from '@noble/ciphers/salsa.js'
import { hsalsa20, wordsLE, XSalsa20Stream } from '../../src/host/pnet/keystream.js'

const enc = new TextEncoder()
// golang.org/x/crypto/salsa20's XSalsa20 vectors
const GO_KEY = enc.encode('this is 32-byte key for xsalsa20')
const GO_NONCE = enc.encode('24-byte nonce for xsalsa')

function hex (b: Uint8Array): string {
  return Buffer.from(b).toString('hex')
}

/** Runs `data` through a fresh stream, cut at the given sizes (each piece split in two parts). */
function chunked (key: Uint8Array, nonce: Uint8Array, data: Uint8Array, sizes: number[], offset = 0, simd = true): Uint8Array {
  const s = new XSalsa20Stream(key, nonce, { offset, simd })
  const out = new Uint8Array(data.byteLength)
  let at = 0
  for (const n of sizes) {
    const piece = data.subarray(at, at + n)
    const cut = Math.floor(piece.byteLength / 3)
    out.set(s.xor([piece.subarray(0, cut), piece.subarray(cut)], piece.byteLength), at)
    at += piece.byteLength
  }
  assert.equal(at, data.byteLength)
  assert.equal(s.offset, offset + data.byteLength)
  return out
}

function randomSizes (total: number, max: number): number[] {
  const sizes: number[] = []
  let left = total
  while (left > 0) {
    const n = Math.min(left, 1 + Math.floor(Math.random() * max))
    sizes.push(n)
    left -= n
  }
  return sizes
}

describe('xsalsa20 keystream', () => {
  it('matches the Go XSalsa20 test vectors, with and without SIMD', () => {
    for (const simd of [true, false]) {
      const s = new XSalsa20Stream(GO_KEY, GO_NONCE, { simd })
      assert.equal(hex(s.xor([enc.encode('Hello world!')], 12)), '002d4513843fc240c401e541')
      const block = new XSalsa20Stream(GO_KEY, GO_NONCE, { simd }).xor([new Uint8Array(64)], 64)
      assert.equal(hex(block), '4848297feb1fb52fb66d81609bd547fabcbe7026edc8b5e5e449d088bfa69c088f5d8da1d791267c2c195a7f8cae9c4b4050d08ce6d3a151ec265f3a58e47648')
    }
  })

  it('derives the same HSalsa20 subkey as noble, counter words included', () => {
    for (let i = 0; i < 20; i++) {
      const key = randomBytes(32)
      const nonce = randomBytes(16)
      const expected = new Uint32Array(8)
      hsalsa(Uint32Array.of(0x61707865, 0x3320646e, 0x79622d32, 0x6b206574), wordsLE(key), wordsLE(nonce), expected)
      assert.deepEqual(hsalsa20(key, nonce), expected)
    }
  })

  it('equals one XSalsa20 pass over the whole data at any chunking, with and without SIMD', () => {
    const key = randomBytes(32)
    const nonce = randomBytes(24)
    const data = randomBytes(1024 * 1024 + 77)
    const expected = xsalsa20(key, nonce, data)
    for (const simd of [true, false]) {
      for (const max of [1, 7, 63, 64, 65, 255, 257, 1000, 70_000, 300_000]) {
        const total = max === 1 ? 5000 : data.byteLength
        const got = chunked(key, nonce, data.subarray(0, total), randomSizes(total, max), 0, simd)
        assert.ok(Buffer.from(got).equals(expected.subarray(0, total)), `pieces of up to ${max} bytes, simd ${simd}`)
      }
    }
  })

  it('leaves its input untouched', () => {
    const data = randomBytes(1000)
    const copy = Uint8Array.from(data)
    new XSalsa20Stream(randomBytes(32), randomBytes(24)).xor([data], data.byteLength)
    assert.deepEqual(Uint8Array.from(data), copy)
  })

  it('keeps going past the 32-bit block counter, at any chunking, with and without SIMD', () => {
    const key = randomBytes(32)
    const nonce = randomBytes(24)
    // 28 bytes into block 2^32 - 2, the last one noble's counter reaches
    const offset = (2 ** 32 - 2) * 64 + 28
    const data = randomBytes(64 * 20)
    const once = chunked(key, nonce, data, [data.byteLength], offset, false)
    // the part before the limit agrees with noble
    const lastNobleBlock = xsalsa20(key, nonce, new Uint8Array(64), undefined, 2 ** 32 - 2)
    for (let i = 0; i < 36; i++) assert.equal(once[i], data[i] ^ lastNobleBlock[28 + i])
    for (let round = 0; round < 20; round++) {
      for (const simd of [true, false]) {
        assert.equal(hex(chunked(key, nonce, data, randomSizes(data.byteLength, 300), offset, simd)), hex(once))
      }
    }
    // far past it (the high counter word set), SIMD agrees with the scalar core
    const far = 2 ** 40 + 13
    assert.equal(hex(chunked(key, nonce, data, randomSizes(data.byteLength, 300), far, true)), hex(chunked(key, nonce, data, [data.byteLength], far, false)))
  })
})
