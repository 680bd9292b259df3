import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { describe, it } from 'node:test'
import * as dagPb from '@ipld/dag-pb'
import { encodeLeaf, framedChunk, leafData } from '../../src/adder/importer/nodes.js'

describe('unixfs importer: leaf encoding', () => {
  it('frames a chunk from framedChunk in place, byte for byte as dag-pb encodes the leaf', () => {
    for (const size of [1, 127, 128, 16383, 16384, 262144, 1 << 20]) {
      const chunk = framedChunk(size)
      chunk.set(randomBytes(size))
      const copy = Uint8Array.from(chunk)
      const out = encodeLeaf('file', chunk)
      assert.equal(out.buffer, chunk.buffer, `size ${size}: built around the chunk`)
      assert.deepEqual(Buffer.from(out), Buffer.from(dagPb.encode({ Data: leafData('file', copy), Links: [] })), `size ${size}`)
      assert.deepEqual(Buffer.from(chunk), Buffer.from(copy), 'the chunk bytes are unchanged')
    }
  })

  it('copies other chunks (views, shorter parts of a framed chunk) and encodes them the same', () => {
    const framed = framedChunk(1000)
    framed.set(randomBytes(1000))
    for (const data of [randomBytes(500), framed.subarray(0, 999), framed.subarray(1), framed.slice(0, 10)]) {
      const before = Buffer.from(framed)
      const out = encodeLeaf('raw', data)
      assert.notEqual(out.buffer, framed.buffer)
      assert.deepEqual(Buffer.from(out), Buffer.from(dagPb.encode({ Data: leafData('raw', Uint8Array.from(data)), Links: [] })))
      assert.deepEqual(Buffer.from(framed), before, 'the framed chunk is not written')
    }
    assert.deepEqual(Buffer.from(encodeLeaf('file', undefined)), Buffer.from(dagPb.encode({ Data: leafData('file', undefined), Links: [] })))
  })
})
