import assert from 'node:assert/strict'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { after, afterEach, describe, it } from 'node:test'
import * as dagCbor from '@ipld/dag-cbor'
import * as cborg from 'cborg'
import { base36 } from 'multiformats/bases/base36'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { identity } from 'multiformats/hashes/identity'
import { sha256 } from 'multiformats/hashes/sha2'
import { embeddedConnector } from '../../../src/ipfsconn/embedded/index.js'
import { base36Text, writeBase36 } from '../../../src/ipfsconn/embedded/base36.js'
import { isInlineLeaf, pinKey, pinnedBlockKey } from '../../../src/ipfsconn/embedded/pin-records.js'
import { silentLogger } from '../../../src/util/logger.js'
import { pinOf } from '../../compliance/ipfs-connector.js'
import type { EmbeddedIPFSConnector } from '../../../src/ipfsconn/embedded/index.js'

const repos: string[] = []
const running: EmbeddedIPFSConnector[] = []

async function startNode (): Promise<EmbeddedIPFSConnector> {
  const repoPath = await fs.mkdtemp(path.join(os.tmpdir(), 'ipfs-records-'))
  repos.push(repoPath)
  const c = embeddedConnector({ repoPath, swarmListen: ['/ip4/127.0.0.1/tcp/0'] })({ logger: silentLogger() })
  await c.start()
  running.push(c)
  return c
}

function inlineCid (text: string): CID {
  return CID.createV1(raw.code, identity.digest(new TextEncoder().encode(text)))
}

/** The raw value of a key of Helia's datastore. */
async function rawRecord (c: EmbeddedIPFSConnector, key: string): Promise<Uint8Array | undefined> {
  const helia = c.helia as any
  try {
    return await helia.datastore.get({ toString: () => key })
  } catch (err: any) {
    if (err.name === 'NotFoundError') return undefined
    throw err
  }
}

async function drain (source: AsyncIterable<unknown>): Promise<void> {
  for await (const _ of source) { /* consume */ }
}

describe('embedded connector: pin records', () => {
  afterEach(async () => {
    await Promise.all(running.splice(0).map(async (c) => { await c.stop() }))
  })
  after(async () => {
    await Promise.all(repos.map(async (r) => { await fs.rm(r, { recursive: true, force: true }) }))
  })

  it('encodes base36 exactly as multiformats does, leading zero bytes included', async () => {
    const samples = [new Uint8Array(0), new Uint8Array([0]), new Uint8Array([0, 0, 7]), new Uint8Array([0, 255, 1]),
      new Uint8Array([1]), new Uint8Array([255, 255, 255, 255, 255, 255, 255, 255, 255])]
    for (let i = 0; i < 200; i++) {
      samples.push(CID.createV1(i % 2 === 0 ? raw.code : dagCbor.code, await sha256.digest(new TextEncoder().encode(`b36-${i}`))).bytes)
      samples.push(inlineCid(`x${i}`).bytes)
    }
    for (const b of samples) assert.equal(base36Text(b), base36.encode(b), Buffer.from(b).toString('hex'))
    // at an offset of a caller's buffer, leaving the bytes before it alone
    const out = new Uint8Array(200).fill(0x2f)
    const end = writeBase36(samples[10], out, 5)
    assert.equal(Buffer.from(out.subarray(0, end)).toString('latin1'), '/////' + base36.encode(samples[10]).slice(1))
  })

  it('tells root pin types in bulk, for long keys and records not in Helia\'s layout too', async () => {
    const c = await startNode()
    const helia = c.helia as any
    const short = inlineCid('short')
    const long = inlineCid('l'.repeat(300)) // a key longer than the reused key buffer
    const direct = inlineCid('direct')
    const odd = inlineCid('odd layout')
    await c.pin(pinOf(short))
    await c.pin(pinOf(long))
    await c.pin(pinOf(direct, 0))
    // a record whose keys are in another order: read by decoding it
    await helia.datastore.put({ toString: () => pinKey(odd) }, cborg.encode({ metadata: {}, depth: 0 }, { mapSorter: () => 1 }))
    assert.deepEqual(await c.pinLsCids([short, long, direct, odd, inlineCid('absent'), short]),
      ['recursive', 'recursive', 'direct', 'direct', 'unpinned', 'recursive'])
  })

  it('tells inline leaves (identity multihash, raw codec) from other CIDs', () => {
    assert.equal(isInlineLeaf(inlineCid('x')), true)
    assert.equal(isInlineLeaf(CID.createV1(dagCbor.code, identity.digest(dagCbor.encode({ a: 1 })))), false)
    assert.equal(isInlineLeaf(CID.parse('QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o')), false)
  })

  it('uses Helia\'s datastore keys', () => {
    const v0 = CID.parse('QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o')
    assert.equal(pinKey(v0), `/pin/${v0.toV1().toString(base36)}`)
    assert.equal(pinKey(v0), pinKey(v0.toV1()))
    assert.equal(pinnedBlockKey(v0), `/pinned-block/${base36.encode(v0.multihash.bytes)}`)
  })

  it('pins an inline leaf with only its pin record, in the form Helia writes and reads', async () => {
    const c = await startNode()
    const helia = c.helia as any
    const cid = inlineCid('written by helia')
    // Helia's own pin of it: the record, plus a pinned-block count
    await drain(helia.pins.add(cid, { metadata: { cid: cid.toString() } }))
    const byHelia = await rawRecord(c, pinKey(cid))
    assert.ok(await rawRecord(c, pinnedBlockKey(cid)) != null)
    await c.unpin(cid)
    assert.equal(await rawRecord(c, pinKey(cid)), undefined)
    assert.equal(await rawRecord(c, pinnedBlockKey(cid)), undefined, 'unpin went through Helia and cleared the count')

    await c.pin(pinOf(cid))
    assert.deepEqual(await rawRecord(c, pinKey(cid)), byHelia)
    assert.equal(await rawRecord(c, pinnedBlockKey(cid)), undefined, 'no block count for an inline leaf')
    const got = await helia.pins.get(cid)
    assert.equal(got.depth, Infinity)
    assert.equal(await c.pinLsCid(pinOf(cid)), 'recursive')
    const listed: string[] = []
    for await (const p of c.pinLs(['recursive'])) listed.push(p.cid.toString())
    assert.deepEqual(listed, [cid.toString()])
  })

  it('unpins an inline leaf and pins it again at another depth', async () => {
    const c = await startNode()
    const cid = inlineCid('depths')
    await c.pin(pinOf(cid, 0))
    assert.equal(await c.pinLsCid(pinOf(cid, 0)), 'direct')
    assert.equal(await c.pinLsCid(pinOf(cid)), 'unpinned')
    await c.pin(pinOf(cid))
    assert.equal(await c.pinLsCid(pinOf(cid)), 'recursive')
    assert.equal(await c.pinLsCid(pinOf(cid, 0)), 'unpinned')
    await c.unpin(cid)
    assert.equal(await c.pinLsCid(pinOf(cid)), 'unpinned')
    // unpinning what is not pinned succeeds (as Kubo's "not pinned")
    await c.unpin(cid)
    for await (const _ of (c.helia as any).pins.ls()) assert.fail('no pin should remain')
  })

  it('keeps many concurrent inline pins, all readable when each call returns', async () => {
    const c = await startNode()
    const cids = Array.from({ length: 300 }, (_, i) => inlineCid(`many-${i}`))
    await Promise.all(cids.map(async (cid) => {
      await c.pin(pinOf(cid))
      assert.equal(await c.pinLsCid(pinOf(cid)), 'recursive')
    }))
    let n = 0
    for await (const _ of c.pinLs(['recursive'])) n++
    assert.equal(n, 300)
  })

  it('reports an inline leaf below a pinned DAG as indirect', async () => {
    const c = await startNode()
    const leaf = inlineCid('leaf of a dag')
    const block = dagCbor.encode({ link: leaf })
    const root = CID.createV1(dagCbor.code, await sha256.digest(block))
    await c.blockStream((async function * () { yield { cid: root, data: block } })())
    await c.pin(pinOf(root))
    assert.equal(await c.pinLsCid(pinOf(leaf)), 'indirect')
    // pinning and unpinning the leaf itself leaves the DAG's count alone
    await c.pin(pinOf(leaf))
    assert.equal(await c.pinLsCid(pinOf(leaf)), 'recursive')
    await c.unpin(leaf)
    assert.equal(await c.pinLsCid(pinOf(leaf)), 'indirect')
  })
})
