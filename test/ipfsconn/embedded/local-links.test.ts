import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import * as dagPb from '@ipld/dag-pb'
import * as dagCbor from '@ipld/dag-cbor'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { encodeLeaf } from '../../../src/adder/importer/nodes.js'
import { localLinks } from '../../../src/ipfsconn/embedded/local-links.js'
import { SizedBlockstore } from '../../../src/ipfsconn/embedded/sized-blockstore.js'
import type { LocalLinks } from '../../../src/ipfsconn/embedded/local-links.js'
import type { CodecLoader } from '@helia/interface'

const getCodec: CodecLoader = async (code) => {
  if (code === dagPb.code) return dagPb as any
  if (code === dagCbor.code) return dagCbor as any
  if (code === raw.code) return raw as any
  throw new Error(`no codec ${code}`)
}

describe('embedded connector: links of local blocks (local-links.ts)', () => {
  let dir: string
  let store: SizedBlockstore
  let links: LocalLinks

  const put = async (code: number, bytes: Uint8Array): Promise<CID> => {
    const cid = CID.createV1(code, await sha256.digest(bytes))
    await store.put(cid, bytes)
    return cid
  }

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'local-links-'))
    store = new SizedBlockstore(dir)
    await store.open()
    links = localLinks(store, getCodec)
  })
  after(async () => {
    await store.close()
    await rm(dir, { recursive: true, force: true })
  })

  it('a stored raw block has no links; a missing one is undefined', async () => {
    const cid = await put(raw.code, randomBytes(1000))
    assert.deepEqual(await links(cid), [])
    const missing = CID.createV1(raw.code, await sha256.digest(randomBytes(8)))
    assert.equal(await links(missing), undefined)
  })

  it('a UnixFS file leaf (Data only) has no links, at any size', async () => {
    for (const size of [0, 1, 127, 128, 262144, 1 << 20]) {
      const cid = await put(dagPb.code, encodeLeaf('file', size === 0 ? undefined : randomBytes(size)))
      assert.deepEqual(await links(cid), [], `size ${size}`)
    }
    assert.deepEqual(await links(await put(dagPb.code, new Uint8Array(0))), [], 'empty node')
  })

  it('a canonical dag-pb node (links first) gives its links', async () => {
    const a = await put(raw.code, randomBytes(10))
    const b = await put(raw.code, randomBytes(10))
    const cid = await put(dagPb.code, dagPb.encode({ Data: randomBytes(50), Links: [{ Hash: a, Tsize: 10 }, { Hash: b, Tsize: 10 }] }))
    assert.deepEqual((await links(cid))?.map(String), [a, b].map(String))
  })

  it('a dag-pb node with Data before its links (accepted by the decoder) still gives its links', async () => {
    const child = await put(raw.code, randomBytes(10))
    const data = randomBytes(300)
    const dataField = Buffer.concat([Buffer.from([0x0a, 0xac, 0x02]), data]) // 300 = 0xac 0x02
    const bytes = Buffer.concat([dataField, dagPb.encode({ Links: [{ Hash: child }] })])
    assert.equal(dagPb.decode(bytes).Links.length, 1, 'the decoder accepts this order')
    const cid = await put(dagPb.code, bytes)
    assert.deepEqual((await links(cid))?.map(String), [child.toString()])
  })

  it('other codecs are decoded', async () => {
    const child = await put(raw.code, randomBytes(10))
    const cid = await put(dagCbor.code, dagCbor.encode({ a: child, b: [child] }))
    assert.deepEqual((await links(cid))?.map(String), [child.toString(), child.toString()])
    const missing = CID.createV1(dagPb.code, await sha256.digest(randomBytes(8)))
    assert.equal(await links(missing), undefined)
  })
})
