import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { ByteKeySet } from '../../../src/pintracker/stateless/byte-key-set.js'

const bytesOf = (i: number, len = 36): Uint8Array => Uint8Array.from({ length: len }, (_, k) => (i * 31 + k * 7 + (i >> (k % 16))) & 0xff)

describe('stateless tracker: ByteKeySet', () => {
  it('holds what was added, through growth, and nothing else', () => {
    const set = new ByteKeySet()
    const n = 20_000
    for (let i = 0; i < n; i++) set.add(bytesOf(i))
    for (let i = 0; i < n; i++) set.add(bytesOf(i)) // duplicates
    assert.equal(set.size, n)
    for (let i = 0; i < n; i++) assert.ok(set.has(bytesOf(i)), `has ${i}`)
    for (let i = n; i < n + 2000; i++) assert.equal(set.has(bytesOf(i)), false)
  })

  it('tells keys apart by length and content, and copies what it stores', () => {
    const set = new ByteKeySet()
    const key = Uint8Array.from([1, 2, 3])
    set.add(key)
    set.add(new Uint8Array(0))
    set.add(Buffer.from([1, 2, 3, 0]))
    key[0] = 9
    assert.ok(set.has(Uint8Array.from([1, 2, 3])))
    assert.ok(set.has(new Uint8Array(0)))
    assert.ok(set.has(Uint8Array.from([1, 2, 3, 0])))
    assert.equal(set.has(Uint8Array.from([1, 2])), false)
    assert.equal(set.has(Uint8Array.from([9, 2, 3])), false)
    assert.equal(set.size, 3)
  })

  it('stores keys longer than 64 KiB', () => {
    const set = new ByteKeySet()
    const big = bytesOf(1, 70_000)
    set.add(big)
    assert.ok(set.has(bytesOf(1, 70_000)))
    assert.equal(set.has(bytesOf(2, 70_000)), false)
  })
})
