import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { base58btc } from 'multiformats/bases/base58'
import { decodeStoredPin, decodeStoredWithKey, encodeStoredPin } from '../../src/state/codec.js'
import { cidOf, fullPin } from './fixtures.js'

describe('stored pin codec', () => {
  it('decodes what it encodes, the CID from the key, and says the value is canonical', async () => {
    for (const i of [0, 1]) {
      const pin = await fullPin(i)
      const stored = encodeStoredPin(pin)
      const { pin: back, canonical } = decodeStoredWithKey(stored, pin.cid.bytes)
      assert.equal(canonical, true, `v${pin.cid.version}`)
      assert.ok(back.cid.equals(pin.cid))
      assert.equal(back.cid.toString(), pin.cid.toString())
      assert.equal(back.name, pin.name)
      assert.deepEqual(back.metadata, pin.metadata)
      assert.equal(back.expireAt?.toISOString(), '2030-01-02T03:04:05.000Z')
      // the stored value round-trips byte for byte
      assert.equal(encodeStoredPin(back), stored)
      assert.deepEqual(decodeStoredPin(stored, pin.cid.bytes), back)
    }
  })

  it('takes the CID from the key, and calls a value whose CID text is not the key\'s not canonical', async () => {
    const pin = await fullPin(1)
    const other = await cidOf(99, false)
    const stored = encodeStoredPin(pin)
    const wrong = decodeStoredWithKey(stored, other.bytes)
    assert.ok(wrong.pin.cid.equals(other))
    assert.equal(wrong.canonical, false)
    // the same CID in another base is not the canonical text either
    const b58 = stored.replace(pin.cid.toString(), pin.cid.toString(base58btc))
    assert.notEqual(b58, stored)
    const d = decodeStoredWithKey(b58, pin.cid.bytes)
    assert.ok(d.pin.cid.equals(pin.cid))
    assert.equal(d.canonical, false)
  })

  it('does not keep a view of the key it was given', async () => {
    const pin = await fullPin(1)
    const key = new Uint8Array(pin.cid.bytes)
    const back = decodeStoredPin(encodeStoredPin(pin), key)
    key.fill(0)
    assert.ok(back.cid.equals(pin.cid))
  })
})
