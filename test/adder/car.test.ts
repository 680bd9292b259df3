import { describe, it } from 'node:test'
import { carBytes } from './car-bytes.js'
import assert from 'node:assert/strict'
import * as dagPb from '@ipld/dag-pb'
import * as dagCbor from '@ipld/dag-cbor'
import * as raw from 'multiformats/codecs/raw'
import { CID } from 'multiformats/cid'
import { identity } from 'multiformats/hashes/identity'
import { sha256, sha512 } from 'multiformats/hashes/sha2'
import { readCar, checkDagComplete } from '../../src/adder/car.js'
import type { AddedBlock } from '../../src/adder/types.js'

interface Block { cid: CID, bytes: Uint8Array }

async function rawBlock (text: string, hasher: typeof sha256 | typeof sha512 = sha256): Promise<Block> {
  const bytes = new TextEncoder().encode(text)
  return { cid: CID.createV1(raw.code, await hasher.digest(bytes)), bytes }
}

async function pbBlock (links: Block[]): Promise<Block> {
  const bytes = dagPb.encode(dagPb.prepare({ Links: links.map((l, i) => ({ Hash: l.cid, Name: `l${i}`, Tsize: l.bytes.length })) }))
  return { cid: CID.createV0(await sha256.digest(bytes)), bytes }
}

async function cborBlock (value: unknown): Promise<Block> {
  const bytes = dagCbor.encode(value)
  return { cid: CID.createV1(dagCbor.code, await sha256.digest(bytes)), bytes }
}

/** A CAR made with @ipld/car's writer. */
async function car (roots: CID[], blocks: Block[]): Promise<Uint8Array> {
  return await carBytes(roots, blocks)
}

async function * chunks (bytes: Uint8Array, size = 7): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size)
}

async function all (blocks: AsyncIterable<AddedBlock>): Promise<AddedBlock[]> {
  const out: AddedBlock[] = []
  for await (const b of blocks) out.push(b)
  return out
}

/** A small DAG: dag-pb root → (raw leaf, sha2-512 raw leaf, dag-cbor node → raw leaf). */
async function dag (): Promise<{ root: Block, blocks: Block[] }> {
  const a = await rawBlock('leaf a')
  const b = await rawBlock('leaf b', sha512)
  const c = await rawBlock('leaf c')
  const node = await cborBlock({ child: c.cid, list: [1, 'x'] })
  const root = await pbBlock([a, b, node])
  return { root, blocks: [root, a, b, node, c] }
}

function store (blocks: Block[]): (cid: CID) => Promise<Uint8Array | undefined> {
  const m = new Map(blocks.map((b) => [b.cid.toString(), b.bytes]))
  return async (cid) => m.get(cid.toString())
}

describe('car reader', () => {
  it('streams the verified blocks of a single-root CAR', async () => {
    const { root, blocks } = await dag()
    const imported = await readCar(chunks(await car([root.cid], blocks)))
    assert.ok(imported.root.equals(root.cid))
    const got = await all(imported.blocks)
    assert.deepEqual(got.map((b) => b.cid.toString()), blocks.map((b) => b.cid.toString()))
    assert.deepEqual(got.map((b) => Buffer.from(b.bytes)), blocks.map((b) => Buffer.from(b.bytes)))
  })

  it('accepts identity-hashed blocks whose bytes match the CID', async () => {
    const bytes = new TextEncoder().encode('inline')
    const block = { cid: CID.createV1(raw.code, identity.digest(bytes)), bytes }
    const imported = await readCar(chunks(await car([block.cid], [block])))
    assert.equal((await all(imported.blocks)).length, 1)
  })

  it('refuses a CAR without roots', async () => {
    const a = await rawBlock('a')
    await assert.rejects(readCar(chunks(await car([], [a]))), { name: 'InvalidArgumentError', message: 'only CAR files with a single root are supported' })
  })

  it('refuses a CAR with two roots', async () => {
    const a = await rawBlock('a')
    const b = await rawBlock('b')
    await assert.rejects(readCar(chunks(await car([a.cid, b.cid], [a, b]))), { name: 'InvalidArgumentError', message: 'only CAR files with a single root are supported' })
  })

  it('refuses something that is not a CAR', async () => {
    await assert.rejects(readCar(chunks(new TextEncoder().encode('hello, I am a text file'))), (err: Error) => err.name === 'InvalidArgumentError' && err.message.startsWith('invalid CAR: '))
  })

  it('refuses a block whose bytes do not match its CID', async () => {
    const a = await rawBlock('good')
    const bad = { cid: a.cid, bytes: new TextEncoder().encode('evil') }
    const imported = await readCar(chunks(await car([a.cid], [bad])))
    await assert.rejects(all(imported.blocks), { name: 'InvalidArgumentError', message: `block ${a.cid.toString()} does not match its CID (corrupt CAR block)` })
  })

  it('refuses a corrupt sha2-512 block and a corrupt identity block', async () => {
    const b = await rawBlock('good', sha512)
    const imported = await readCar(chunks(await car([b.cid], [{ cid: b.cid, bytes: new Uint8Array([1]) }])))
    await assert.rejects(all(imported.blocks), { name: 'InvalidArgumentError', message: /does not match its CID/ })
    const id = CID.createV1(raw.code, identity.digest(new Uint8Array([1, 2])))
    const imported2 = await readCar(chunks(await car([id], [{ cid: id, bytes: new Uint8Array([9]) }])))
    await assert.rejects(all(imported2.blocks), { name: 'InvalidArgumentError', message: /does not match its CID/ })
  })

  it('refuses a block hashed with a function it cannot verify', async () => {
    const bytes = new Uint8Array([1, 2, 3])
    const digest = await sha256.digest(bytes)
    // same digest bytes, labelled blake2b-256 (0xb220)
    const cid = CID.createV1(raw.code, { code: 0xb220, size: 32, digest: digest.digest, bytes: Uint8Array.from([0xa0, 0xe4, 0x02, 32, ...digest.digest]) })
    const imported = await readCar(chunks(await car([cid], [{ cid, bytes }])))
    await assert.rejects(all(imported.blocks), { name: 'InvalidArgumentError', message: `cannot verify block ${cid.toString()}: unsupported hash function 0xb220` })
  })

  it('refuses a block with an unsupported codec', async () => {
    const bytes = new TextEncoder().encode('{"a":1}')
    const cid = CID.createV1(0x0129, await sha256.digest(bytes)) // dag-json
    const imported = await readCar(chunks(await car([cid], [{ cid, bytes }])))
    await assert.rejects(all(imported.blocks), { name: 'InvalidArgumentError', message: `block ${cid.toString()} has unsupported codec 0x129: only dag-pb, raw and dag-cbor are supported` })
  })

  it('refuses a dag-pb block that does not decode', async () => {
    const bytes = new Uint8Array([0xff, 0xff, 0xff])
    const cid = CID.createV0(await sha256.digest(bytes))
    const imported = await readCar(chunks(await car([cid], [{ cid, bytes }])))
    await assert.rejects(all(imported.blocks), (err: Error) => err.name === 'InvalidArgumentError' && err.message.startsWith(`block ${cid.toString()} cannot be decoded: `))
  })

  it('refuses a truncated CAR', async () => {
    const { root, blocks } = await dag()
    const bytes = await car([root.cid], blocks)
    const imported = await readCar(chunks(bytes.subarray(0, bytes.length - 5)))
    await assert.rejects(all(imported.blocks), (err: Error) => err.name === 'InvalidArgumentError' && err.message.startsWith('invalid CAR: '))
  })

  it('refuses a CAR truncated inside its header', async () => {
    const { root, blocks } = await dag()
    const bytes = await car([root.cid], blocks)
    await assert.rejects(readCar(chunks(bytes.subarray(0, 20))), (err: Error) => err.name === 'InvalidArgumentError' && err.message.startsWith('invalid CAR: '))
  })

  it('reads the CAR lazily, as blocks are consumed', async () => {
    const { root, blocks } = await dag()
    const bytes = await car([root.cid], blocks)
    let read = 0
    async function * counting (): AsyncGenerator<Uint8Array> {
      for await (const c of chunks(bytes, 16)) { read += c.length; yield c }
    }
    const imported = await readCar(counting())
    const it = imported.blocks[Symbol.asyncIterator]()
    await it.next()
    assert.ok(read < bytes.length, `read ${read} of ${bytes.length} bytes for the first block`)
    await it.return?.()
  })
})

describe('dag completeness check', () => {
  it('passes when every block under the root is present', async () => {
    const { root, blocks } = await dag()
    await checkDagComplete(root.cid, store(blocks))
  })

  it('reads each block once, even when linked twice', async () => {
    const leaf = await rawBlock('shared')
    const root = await pbBlock([leaf, leaf])
    const reads: string[] = []
    const get = store([root, leaf])
    await checkDagComplete(root.cid, async (cid) => { reads.push(cid.toString()); return await get(cid) })
    assert.deepEqual(reads, [root.cid.toString(), leaf.cid.toString()])
  })

  it('does not fetch identity-hashed blocks', async () => {
    const inline = { cid: CID.createV1(raw.code, identity.digest(new Uint8Array([7]))), bytes: new Uint8Array([7]) }
    const root = await pbBlock([inline])
    await checkDagComplete(root.cid, store([root]))
  })

  it('reports the first missing block under a dag-pb node', async () => {
    const { root, blocks } = await dag()
    const missing = blocks[2] // the sha2-512 leaf
    await assert.rejects(checkDagComplete(root.cid, store(blocks.filter((b) => b !== missing))), {
      name: 'IncompleteDagError',
      message: `CAR is missing block ${missing.cid.toString()} under root ${root.cid.toString()}`
    })
  })

  it('reports a missing block linked from dag-cbor', async () => {
    const { root, blocks } = await dag()
    const missing = blocks[4] // linked only from the dag-cbor node
    await assert.rejects(checkDagComplete(root.cid, store(blocks.filter((b) => b !== missing))), {
      name: 'IncompleteDagError',
      message: `CAR is missing block ${missing.cid.toString()} under root ${root.cid.toString()}`
    })
  })

  it('reports a missing root', async () => {
    const { root } = await dag()
    await assert.rejects(checkDagComplete(root.cid, store([])), { name: 'IncompleteDagError', message: `CAR is missing block ${root.cid.toString()} under root ${root.cid.toString()}` })
  })

  it('stops when aborted', async () => {
    const { root, blocks } = await dag()
    await assert.rejects(checkDagComplete(root.cid, store(blocks), { signal: AbortSignal.abort(new Error('stop')) }), { message: 'stop' })
  })
})
