import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { FsBlockstore } from 'blockstore-fs'
import { NextToLast } from 'blockstore-fs/sharding'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { SizedBlockstore, folderSize } from '../../../src/ipfsconn/embedded/sized-blockstore.js'

async function block (size: number): Promise<{ cid: CID, bytes: Uint8Array }> {
  const bytes = randomBytes(size)
  return { cid: CID.createV1(raw.code, await sha256.digest(bytes)), bytes }
}

async function concat (it: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Uint8Array[] = []
  for await (const c of it) chunks.push(c)
  return Buffer.concat(chunks)
}

describe('embedded connector: SizedBlockstore writes', () => {
  let dir: string
  before(async () => { dir = await mkdtemp(join(tmpdir(), 'sized-bs-')) })
  after(async () => { await rm(dir, { recursive: true, force: true }) })

  it('putMany stores every block, yields the CIDs in source order and counts each block once', async () => {
    const store = new SizedBlockstore(join(dir, 'a'))
    await store.open()
    const blocks = await Promise.all(Array.from({ length: 40 }, async (_, i) => await block(1000 + i)))
    const source = [...blocks, blocks[3], blocks[7]] // repeats are stored once
    const yielded: string[] = []
    for await (const cid of store.putMany(source)) yielded.push(cid.toString())
    assert.deepEqual(yielded, source.map((b) => b.cid.toString()))
    for (const b of blocks) assert.deepEqual(await concat(store.get(b.cid)), Buffer.from(b.bytes))
    const total = blocks.reduce((n, b) => n + b.bytes.byteLength, 0)
    assert.equal(store.size(), total)
    assert.equal(await folderSize(join(dir, 'a')), total)
    await store.close()
  })

  it('writes the layout of blockstore-fs (readable by it) and leaves no temporary file', async () => {
    const root = join(dir, 'b')
    const store = new SizedBlockstore(root)
    await store.open()
    const b = await block(5000)
    await store.put(b.cid, b.bytes)
    const fsStore = new FsBlockstore(root)
    await fsStore.open()
    assert.deepEqual(await concat(fsStore.get(b.cid)), Buffer.from(b.bytes))
    const files = await readdir(root, { recursive: true })
    assert.ok(!files.some((f) => f.endsWith('.tmp')), files.join(','))
    await store.close()
  })

  it('creates a shard folder again when it was removed after the first write', async () => {
    const root = join(dir, 'c')
    const store = new SizedBlockstore(root)
    await store.open()
    const b = await block(300)
    await store.put(b.cid, b.bytes)
    const folder = (await readdir(root))[0]
    await rm(join(root, folder), { recursive: true })
    await store.put(b.cid, b.bytes)
    assert.equal(await store.has(b.cid), true)
    assert.equal((await readFile(join(root, folder, (await readdir(join(root, folder)))[0]))).byteLength, 300)
    await store.close()
  })

  it('putMany rethrows a failed write', async () => {
    const root = join(dir, 'd')
    const store = new SizedBlockstore(root)
    await store.open()
    const good = await block(100)
    const bad = { cid: good.cid, bytes: (async function * () { throw new Error('unreadable') })() }
    const other = await block(120)
    await assert.rejects(async () => { for await (const _ of store.putMany([bad as any, other])) {} }, /unreadable/)
    await store.close()
  })

  it('reports a failed file-system write with its code, and keeps working for other blocks', async () => {
    const root = join(dir, 'e')
    const store = new SizedBlockstore(root)
    await store.open()
    const b = await block(200)
    // a file where the block's shard folder must go
    const { dir: shard } = new NextToLast().encode(b.cid)
    await writeFile(join(root, shard), 'not a folder')
    await assert.rejects(store.put(b.cid, b.bytes), (err: any) => err.name === 'BlockWriteError' && ['ENOTDIR', 'EEXIST'].includes(err.code))
    assert.equal(store.size(), 0)
    let other = await block(100)
    while (new NextToLast().encode(other.cid).dir === shard) other = await block(100)
    await store.put(other.cid, other.bytes)
    assert.equal(store.size(), 100)
    await store.close()
  })

  it('close waits for the writes in flight; a put after close fails', async () => {
    const root = join(dir, 'f')
    const store = new SizedBlockstore(root)
    await store.open()
    const blocks = await Promise.all(Array.from({ length: 50 }, async () => await block(64 * 1024)))
    const puts = blocks.map(async (b) => await store.put(b.cid, b.bytes))
    await store.close()
    await Promise.all(puts)
    const reopened = new SizedBlockstore(root)
    await reopened.open()
    assert.equal(reopened.size(), 50 * 64 * 1024)
    for (const b of blocks) assert.equal(await reopened.has(b.cid), true)
    await reopened.close()
    const late = await block(10)
    await assert.rejects(store.put(late.cid, late.bytes), { name: 'BlockWriterClosedError' })
  })

  it('stores many concurrent puts larger than the writer\'s ring in total, and blocks too large for it', async () => {
    const root = join(dir, 'g')
    const store = new SizedBlockstore(root)
    await store.open()
    const sizes = [...Array.from({ length: 40 }, (_, i) => 1024 * 1024 + i * 4099), 0, 1, 5 * 1024 * 1024, 3 * 1024 * 1024]
    const blocks = await Promise.all(sizes.map(async (n) => await block(n)))
    await Promise.all(blocks.map(async (b) => await store.put(b.cid, b.bytes)))
    for (const b of blocks) assert.deepEqual(await concat(store.get(b.cid)), Buffer.from(b.bytes))
    assert.equal(store.size(), sizes.reduce((a, b) => a + b, 0))
    await store.close()
  })
})
