/**
 * Compliance suite for IPFSConnector implementations (spec pinning-internals §12).
 * Content is put into the node with `blockStream`, so the suite needs nothing but the interface.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import * as dagCbor from '@ipld/dag-cbor'
import { importer } from 'ipfs-unixfs-importer'
import { fixedSize } from 'ipfs-unixfs-importer/chunker'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { identity } from 'multiformats/hashes/identity'
import { sha256 } from 'multiformats/hashes/sha2'
import { pinWithOpts } from '../../src/api/common/pin.js'
import type { BlockWithFormat, IPFSConnector } from '../../src/interface/ipfs-connector.js'
import type { Pin } from '../../src/interface/types.js'

/** Options a test may ask the factory for. */
export interface ConnectorTestOptions {
  /** No-progress pin timeout in ms. */
  pinTimeout?: number
  unpinDisable?: boolean
}

/** A started connector and how to dispose of it (stop, delete its repo). */
export interface ConnectorFixture {
  connector: IPFSConnector
  close: () => Promise<void>
}

export type ConnectorFactory = (options: ConnectorTestOptions) => Promise<ConnectorFixture>

/** The empty identity CID (raw, no data): available on every node without any block. */
export const EMPTY_IDENTITY = CID.parse('bafkqaaa')

/** A DAG built in memory: its root and every block. */
export interface TestDag {
  root: CID
  blocks: BlockWithFormat[]
}

/** Imports files with ipfs-unixfs-importer into memory (CIDv1, dag-pb, raw leaves, small chunks). */
export async function buildUnixfs (files: Array<{ path: string, content: Uint8Array }>, chunkSize = 16_384): Promise<TestDag & { entries: Map<string, CID> }> {
  const blocks: BlockWithFormat[] = []
  const store = {
    put: async (cid: CID, bytes: Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>) => {
      const chunks: Uint8Array[] = []
      if (bytes instanceof Uint8Array) chunks.push(bytes)
      else for await (const c of bytes) chunks.push(c)
      blocks.push({ cid, data: Buffer.concat(chunks) })
      return cid
    }
  }
  const entries = new Map<string, CID>()
  let root: CID | undefined
  for await (const e of importer(files, store, { cidVersion: 1, rawLeaves: true, chunker: fixedSize({ chunkSize }) })) {
    entries.set(e.path ?? '', e.cid)
    root = e.cid
  }
  assert.ok(root != null)
  return { root, blocks, entries }
}

/** A single raw block of random bytes. */
export async function rawBlock (size = 64): Promise<BlockWithFormat> {
  const data = randomBytes(size)
  return { cid: CID.createV1(raw.code, await sha256.digest(data)), data }
}

/** A dag-cbor block. */
export async function cborBlock (value: unknown): Promise<BlockWithFormat> {
  const data = dagCbor.encode(value)
  return { cid: CID.createV1(dagCbor.code, await sha256.digest(data)), data }
}

export async function * each<T> (items: T[]): AsyncGenerator<T> {
  yield * items
}

/** A recursive (-1), direct (0) or limited-depth pin of `cid`. */
export function pinOf (cid: CID, maxDepth = -1): Pin {
  const pin = pinWithOpts(cid, { mode: maxDepth === 0 ? 'direct' : 'recursive' })
  pin.maxDepth = maxDepth
  return pin
}

async function collect<T> (source: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = []
  for await (const x of source) out.push(x)
  return out
}

/** Registers the suite for one implementation. */
export function ipfsConnectorCompliance (name: string, factory: ConnectorFactory): void {
  describe(`IPFSConnector compliance: ${name}`, () => {
    let fx: ConnectorFixture
    let ipfs: IPFSConnector
    before(async () => {
      fx = await factory({ pinTimeout: 400 })
      ipfs = fx.connector
    })
    after(async () => { await fx?.close() })

    it('reports its peer ID and addresses ending in /p2p/<id>', async () => {
      const id = await ipfs.id()
      assert.match(id.id, /^(12D3Koo|Qm)/)
      assert.equal(id.error, '')
      assert.ok((id.addresses ?? []).length > 0)
      for (const a of id.addresses ?? []) assert.ok(a.endsWith(`/p2p/${id.id}`), a)
    })

    it('stores blocks with blockStream and returns them with blockGet', async () => {
      const b = await rawBlock(100)
      const c = await cborBlock({ hello: 'world' })
      await ipfs.blockStream(each([b, c]))
      assert.deepEqual(Buffer.from(await ipfs.blockGet(b.cid)), Buffer.from(b.data))
      assert.deepEqual(Buffer.from(await ipfs.blockGet(c.cid)), Buffer.from(c.data))
    })

    it('stores blocks the caller hashed itself (hashedInProcess) and identity blocks', async () => {
      const dag = await buildUnixfs([{ path: 'g', content: randomBytes(70_000) }])
      const id = { cid: CID.createV1(raw.code, identity.digest(Uint8Array.of(1, 2, 3))), data: Uint8Array.of(1, 2, 3) }
      await ipfs.blockStream(each([...dag.blocks, id]), { hashedInProcess: true })
      for (const b of dag.blocks) assert.deepEqual(Buffer.from(await ipfs.blockGet(b.cid, { offline: true })), Buffer.from(b.data))
      await ipfs.blockStream(each([id]))
    })

    it('reads only the local blockstore with blockGet offline', async () => {
      const b = await rawBlock(48)
      await assert.rejects(ipfs.blockGet(b.cid, { offline: true }), { name: 'BlockNotFoundError' })
      await ipfs.blockStream(each([b]))
      assert.deepEqual(Buffer.from(await ipfs.blockGet(b.cid, { offline: true })), Buffer.from(b.data))
    })

    it('rejects a block whose data does not match its CID', async () => {
      const good = await rawBlock(32)
      const bad = { cid: good.cid, data: randomBytes(32) }
      await assert.rejects(ipfs.blockStream(each([bad])), (err: Error) => err instanceof Error && /match|hash/i.test(err.message))
      await assert.rejects(ipfs.blockGet(good.cid, { signal: AbortSignal.timeout(300) }))
    })

    it('pins an identity CID without any block', async () => {
      await ipfs.pin(pinOf(EMPTY_IDENTITY))
      assert.equal(await ipfs.pinLsCid(pinOf(EMPTY_IDENTITY)), 'recursive')
      await ipfs.unpin(EMPTY_IDENTITY)
      assert.equal(await ipfs.pinLsCid(pinOf(EMPTY_IDENTITY)), 'unpinned')
    })

    it('pins recursively, idempotently, and reports children as not pinned by themselves', async () => {
      const dag = await buildUnixfs([{ path: 'f', content: randomBytes(50_000) }])
      await ipfs.blockStream(each(dag.blocks))
      await ipfs.pin(pinOf(dag.root))
      await ipfs.pin(pinOf(dag.root))
      assert.equal(await ipfs.pinLsCid(pinOf(dag.root)), 'recursive')
      assert.equal(await ipfs.pinLsCid(pinOf(dag.root, 0)), 'unpinned')
      const child = dag.blocks.find((b) => !b.cid.equals(dag.root))?.cid as CID
      assert.ok(['indirect', 'unpinned'].includes(await ipfs.pinLsCid(pinOf(child))))
      await ipfs.unpin(dag.root)
      assert.equal(await ipfs.pinLsCid(pinOf(dag.root)), 'unpinned')
    })

    it('pins directly (max depth 0) and with a limited depth', async () => {
      const b = await rawBlock()
      await ipfs.blockStream(each([b]))
      await ipfs.pin(pinOf(b.cid, 0))
      assert.equal(await ipfs.pinLsCid(pinOf(b.cid, 0)), 'direct')
      assert.equal(await ipfs.pinLsCid(pinOf(b.cid)), 'unpinned')
      await ipfs.unpin(b.cid)

      const dag = await buildUnixfs([{ path: 'd/x', content: randomBytes(40_000) }])
      await ipfs.blockStream(each(dag.blocks))
      await ipfs.pin(pinOf(dag.root, 1))
      assert.equal(await ipfs.pinLsCid(pinOf(dag.root, 1)), 'recursive')
      await ipfs.unpin(dag.root)
    })

    it('treats unpinning a CID that is not pinned as success', async () => {
      const b = await rawBlock()
      await ipfs.unpin(b.cid)
    })

    it('lists both recursive and direct pins, and indirect ones when asked', async () => {
      const d = await buildUnixfs([{ path: 'l', content: randomBytes(40_000) }])
      const b = await rawBlock()
      await ipfs.blockStream(each([...d.blocks, b]))
      await ipfs.pin(pinOf(d.root))
      await ipfs.pin(pinOf(b.cid, 0))
      const listed = await collect(ipfs.pinLs(['recursive', 'direct']))
      const byCid = new Map(listed.map((p) => [p.cid.toString(), p.type]))
      assert.equal(byCid.get(d.root.toString()), 'recursive')
      assert.equal(byCid.get(b.cid.toString()), 'direct')
      const indirect = await collect(ipfs.pinLs(['indirect']))
      const leaves = d.blocks.filter((x) => !x.cid.equals(d.root)).map((x) => x.cid.toString())
      for (const l of leaves) assert.ok(indirect.some((p) => p.cid.toString() === l && p.type === 'indirect'), l)
      assert.ok(!indirect.some((p) => p.cid.equals(d.root)))
      const all = await collect(ipfs.pinLs(['all']))
      assert.ok(all.length >= 2 + leaves.length)
      // root types of many CIDs at once, in order: indirect and absent ones are 'unpinned', v0 and v1 alike
      const absent = await rawBlock()
      const child = d.blocks.find((x) => !x.cid.equals(d.root))!.cid
      assert.deepEqual(await ipfs.pinLsCids([b.cid, d.root, child, absent.cid, d.root.toV1()]),
        ['direct', 'recursive', 'unpinned', 'unpinned', 'recursive'])
      assert.deepEqual(await ipfs.pinLsCids([]), [])
      await ipfs.unpin(d.root)
      await ipfs.unpin(b.cid)
    })

    it('garbage-collects unpinned blocks and keeps pinned ones', async () => {
      const keep = await buildUnixfs([{ path: 'k', content: randomBytes(40_000) }])
      const drop = await rawBlock(200)
      await ipfs.blockStream(each([...keep.blocks, drop]))
      await ipfs.pin(pinOf(keep.root))
      const removed = await collect(ipfs.repoGC())
      assert.ok(removed.every((r) => r.error === ''))
      assert.ok(removed.some((r) => r.key?.multihash.bytes.toString() === drop.cid.multihash.bytes.toString()))
      for (const b of keep.blocks) {
        assert.ok(!removed.some((r) => r.key?.multihash.bytes.toString() === b.cid.multihash.bytes.toString()))
        assert.equal((await ipfs.blockGet(b.cid)).byteLength, b.data.byteLength)
      }
      await ipfs.unpin(keep.root)
    })

    it('reports repo size and storage max', async () => {
      const before = await ipfs.repoStat()
      assert.ok(before.storageMax > 0)
      const b = await rawBlock(100_000)
      await ipfs.blockStream(each([b]))
      const afterPut = await ipfs.repoStat()
      assert.ok(afterPut.repoSize >= before.repoSize + 100_000, `${afterPut.repoSize} < ${before.repoSize} + 100000`)
    })

    it('resolves /ipfs/ paths through directories and /ipld/ paths through dag-cbor', async () => {
      const dag = await buildUnixfs([{ path: 'top/a/b.txt', content: Buffer.from('hello\n') }])
      await ipfs.blockStream(each(dag.blocks))
      const top = dag.entries.get('top') as CID
      const file = dag.entries.get('top/a/b.txt') as CID
      assert.ok((await ipfs.resolve(`/ipfs/${top}/a/b.txt`)).equals(file))
      assert.ok((await ipfs.resolve(`/ipfs/${top}`)).equals(top))
      const c = await cborBlock({ link: file, n: 1 })
      await ipfs.blockStream(each([c]))
      assert.ok((await ipfs.resolve(`/ipld/${c.cid}/link`)).equals(file))
      await assert.rejects(ipfs.resolve(`/ipfs/${top}/nope`))
      await assert.rejects(ipfs.resolve('/ipfs/not-a-cid'))
    })

    it('answers config keys and rejects unknown ones', async () => {
      assert.ok(await ipfs.configKey('Datastore/StorageMax') != null)
      assert.ok(Array.isArray(await ipfs.configKey('Addresses/Swarm')))
      await assert.rejects(ipfs.configKey('No/Such/Key'))
      await assert.rejects(ipfs.configKey(''))
    })

    it('lists swarm peers', async () => {
      assert.ok(Array.isArray(await ipfs.swarmPeers()))
    })

    it('fails a pin when no block arrives for pin_timeout', async () => {
      const missing = await rawBlock()
      const t0 = Date.now()
      await assert.rejects(ipfs.pin(pinOf(missing.cid)), (err: Error) => /timed out/i.test(err.message))
      assert.ok(Date.now() - t0 < 5_000)
      assert.equal(await ipfs.pinLsCid(pinOf(missing.cid)), 'unpinned')
    })

    it('aborts a pin when the caller aborts', async () => {
      const slow = await factory({ pinTimeout: 60_000 })
      try {
        const missing = await rawBlock()
        const controller = new AbortController()
        setTimeout(() => { controller.abort() }, 100)
        await assert.rejects(slow.connector.pin(pinOf(missing.cid), { signal: controller.signal }), { name: 'AbortError' })
      } finally {
        await slow.close()
      }
    })

    it('refuses unpins when unpin is disabled', async () => {
      const locked = await factory({ unpinDisable: true })
      try {
        await assert.rejects(locked.connector.unpin(EMPTY_IDENTITY), { message: 'ipfs unpinning is disallowed by configuration on this peer' })
      } finally {
        await locked.close()
      }
    })
  })
}
