import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import * as cborg from 'cborg'
import { CID } from 'multiformats/cid'
import { base36 } from 'multiformats/bases/base36'
import * as dagPb from '@ipld/dag-pb'
import * as raw from 'multiformats/codecs/raw'
import { identity } from 'multiformats/hashes/identity'
import { sha256 } from 'multiformats/hashes/sha2'
import { cidFromBytes } from '../../../src/api/common/cid.js'
import { isBase32Of } from '../../../src/api/common/codec.js'
import { readRecordText, rootCid } from '../../../src/ipfsconn/embedded/pin-listing.js'
import { originalCid } from '../../../src/ipfsconn/embedded/helpers.js'
import { base32 } from 'multiformats/bases/base32'

const utf8 = (b: Uint8Array): string => new TextDecoder().decode(b)

async function cids (): Promise<CID[]> {
  const out: CID[] = []
  for (let i = 0; i < 8; i++) {
    const d = await sha256.digest(new TextEncoder().encode(`listing-${i}`))
    out.push(CID.createV0(d), CID.createV1(raw.code, d), CID.createV1(dagPb.code, d))
    const b = new Uint8Array(8)
    new DataView(b.buffer).setBigUint64(0, BigInt(i))
    out.push(CID.createV1(raw.code, identity.digest(b)))
  }
  return out
}

/** Helia's key text of a pin (`toDSKey` without the prefix). */
const keyText = (c: CID): string => (c.version === 0 ? c.toV1() : c).toString(base36)

describe('embedded connector: pin listing', () => {
  it('reads the depth and metadata.cid of records as cborg encodes them', async () => {
    for (const c of await cids()) {
      for (const depth of [Infinity, 0, 1, 23]) {
        const rec = { depth, metadata: { cid: c.toString() } }
        assert.deepEqual(readRecordText(utf8(cborg.encode(rec))), { depth, metaCid: c.toString() })
      }
      assert.deepEqual(readRecordText(utf8(cborg.encode({ depth: Infinity, metadata: {} }))), { depth: Infinity, metaCid: undefined })
    }
  })

  it('leaves every other record to cborg', () => {
    for (const rec of [
      { depth: 24, metadata: { cid: 'bafy' } },
      { depth: 1.5, metadata: { cid: 'bafy' } },
      { depth: Infinity, metadata: { cid: 'bafy', other: 'x' } },
      { depth: Infinity, metadata: { name: 'x' } },
      { depth: Infinity, metadata: { cid: 'ünï' } },
      { depth: Infinity, metadata: { cid: 5 } },
      { metadata: { cid: 'bafy' }, depth: Infinity, extra: 1 },
      { depth: Infinity }
    ]) {
      assert.equal(readRecordText(utf8(cborg.encode(rec))), undefined, JSON.stringify(rec))
    }
  })

  it('finds the CID a pin was made with, as originalCid over the parsed key', async () => {
    const all = await cids()
    for (const c of all) {
      const key = keyText(c)
      const stored = CID.parse(key, base36)
      for (const metadata of [{ cid: c.toString() }, {}, { cid: all[0].toString() }, { cid: 'not a cid' }, { cid: c.toV1().toString(base36) }]) {
        const got = rootCid(key, metadata.cid, () => metadata)
        const want = originalCid(stored, metadata)
        assert.ok(got.equals(want), `${c} ${JSON.stringify(metadata)}`)
        assert.equal(got.version, want.version)
        assert.deepEqual(got.bytes, want.bytes)
        assert.equal(got.toString(), want.toString())
      }
    }
  })

  it('builds CIDs from bytes as CID.decode does', async () => {
    for (const c of await cids()) {
      const got = cidFromBytes(c.bytes)
      assert.ok(got.equals(CID.decode(c.bytes)))
      assert.equal(got.toString(), c.toString())
      assert.equal(isBase32Of(c.toV1().toString(), c.toV1().bytes), true)
      assert.equal(isBase32Of(c.toV1().toString(base32) + 'a', c.toV1().bytes), false)
      assert.equal(isBase32Of(c.toV1().toString().toUpperCase(), c.toV1().bytes), false)
    }
  })
})
