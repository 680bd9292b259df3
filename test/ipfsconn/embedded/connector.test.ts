import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { after, afterEach, describe, it } from 'node:test'
import { CID } from 'multiformats/cid'
import { embeddedConnector } from '../../../src/ipfsconn/embedded/index.js'
import { createLogger, silentLogger } from '../../../src/util/logger.js'
import { buildUnixfs, each, pinOf, rawBlock } from '../../compliance/ipfs-connector.js'
import type { EmbeddedConnectorInit, EmbeddedIPFSConnector } from '../../../src/ipfsconn/embedded/index.js'

const repos: string[] = []
const running: EmbeddedIPFSConnector[] = []

async function tmpRepo (): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ipfs-embedded-'))
  repos.push(dir)
  return dir
}

async function startNode (init: Partial<EmbeddedConnectorInit> = {}, logLines?: string[]): Promise<EmbeddedIPFSConnector> {
  const logger = logLines != null ? createLogger({ level: 'info', write: (l) => { logLines.push(l) } }) : silentLogger()
  const c = embeddedConnector({ repoPath: init.repoPath ?? await tmpRepo(), swarmListen: ['/ip4/127.0.0.1/tcp/0'], ...init })({ logger })
  await c.start()
  running.push(c)
  return c
}

async function collect<T> (source: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = []
  for await (const x of source) out.push(x)
  return out
}

describe('embedded IPFS connector', () => {
  afterEach(async () => {
    await Promise.all(running.splice(0).map(async (c) => { await c.stop() }))
  })
  after(async () => {
    await Promise.all(repos.map(async (r) => { await fs.rm(r, { recursive: true, force: true }) }))
  })

  it('starts and stops idempotently, and stop is safe before start', async () => {
    const c = embeddedConnector({ repoPath: await tmpRepo(), swarmListen: ['/ip4/127.0.0.1/tcp/0'] })({ logger: silentLogger() })
    await c.stop()
    await Promise.all([c.start(), c.start()])
    assert.ok(c.helia != null)
    await c.stop()
    await c.stop()
    assert.equal(c.helia, undefined)
    await assert.rejects(c.id(), { name: 'NotStartedError' })
  })

  it('keeps its peer ID and its pins across restarts', async () => {
    const repoPath = await tmpRepo()
    const a = await startNode({ repoPath })
    const before = (await a.id()).id
    const b = await rawBlock()
    await a.blockStream(each([b]))
    await a.pin(pinOf(b.cid))
    await a.stop()
    await a.start()
    assert.equal((await a.id()).id, before)
    assert.equal(await a.pinLsCid(pinOf(b.cid)), 'recursive')
    assert.equal((await a.repoStat()).repoSize > 0, true)
  })

  it('announces the configured addresses with /p2p/<id>', async () => {
    const a = await startNode({ announce: ['/ip4/203.0.113.7/tcp/4001'] })
    const id = await a.id()
    assert.deepEqual(id.addresses, [`/ip4/203.0.113.7/tcp/4001/p2p/${id.id}`])
    assert.deepEqual(await a.configKey('Addresses/Announce'), ['/ip4/203.0.113.7/tcp/4001'])
    assert.equal(await a.configKey('Datastore/StorageMax'), '10GB')
  })

  it('fetches a multi-block DAG from another node over bitswap when pinning', async () => {
    const lines: string[] = []
    const a = await startNode({}, lines)
    const b = await startNode({}, lines)
    const dag = await buildUnixfs([{ path: 'big', content: randomBytes(2 * 1024 * 1024) }], 65_536)
    assert.ok(dag.blocks.length > 30)
    await a.blockStream(each(dag.blocks))
    await b.connectSwarms((await a.id()).addresses ?? [])
    assert.deepEqual(await b.swarmPeers(), [(await a.id()).id])
    const sizeBefore = (await b.repoStat()).repoSize
    await b.pin(pinOf(dag.root))
    assert.equal(await b.pinLsCid(pinOf(dag.root)), 'recursive')
    assert.ok((await b.repoStat()).repoSize >= sizeBefore + 2 * 1024 * 1024)
    // and the other way round: a fetches a block only b has
    const onlyB = await rawBlock(1000)
    await b.blockStream(each([onlyB]))
    assert.deepEqual(Buffer.from(await a.blockGet(onlyB.cid)), Buffer.from(onlyB.data))
    // fetching must not spam error logs (no content routing is configured)
    assert.deepEqual(lines.filter((l) => l.includes('\tERROR\t')), [])
  })

  it('fails a pin whose DAG is partly unavailable after pin_timeout without progress', async () => {
    const lines: string[] = []
    const a = await startNode({}, lines)
    const b = await startNode({ pinTimeout: 300 }, lines)
    const dag = await buildUnixfs([{ path: 'p', content: randomBytes(100_000) }])
    // a gets every block but one leaf
    const missing = dag.blocks.find((x) => x.cid.code === 0x55) as { cid: CID }
    await a.blockStream(each(dag.blocks.filter((x) => !x.cid.equals(missing.cid))))
    await b.connectSwarms((await a.id()).addresses ?? [])
    await assert.rejects(b.pin(pinOf(dag.root)), { name: 'PinTimeoutError' })
    assert.equal(await b.pinLsCid(pinOf(dag.root)), 'unpinned')
    assert.deepEqual(lines.filter((l) => l.includes('\tERROR\t')), [])
  })

  it('keeps pinning past pin_timeout while blocks keep arriving (no-progress timeout)', async () => {
    const a = await startNode()
    const b = await startNode({ pinTimeout: 700 })
    const dag = await buildUnixfs([{ path: 'slow', content: randomBytes(100_000) }])
    const late = dag.blocks.filter((x) => x.cid.code === 0x55).slice(0, 4)
    await a.blockStream(each(dag.blocks.filter((x) => !late.includes(x))))
    await b.connectSwarms((await a.id()).addresses ?? [])
    const t0 = Date.now()
    const pinning = b.pin(pinOf(dag.root))
    // one missing block reaches `a` every 250 ms: each gap is shorter than pin_timeout, the total is longer
    for (const block of late) {
      await new Promise((resolve) => setTimeout(resolve, 250))
      await a.blockStream(each([block]))
    }
    await pinning
    assert.ok(Date.now() - t0 > 700)
    assert.equal(await b.pinLsCid(pinOf(dag.root)), 'recursive')
  })

  it('pins from a connected peer that only got the content after an earlier pin timed out', async () => {
    const a = await startNode()
    const b = await startNode({ pinTimeout: 500 })
    const dag = await buildUnixfs([{ path: 'later', content: randomBytes(300_000) }], 65_536)
    await b.connectSwarms((await a.id()).addresses ?? [])
    await assert.rejects(b.pin(pinOf(dag.root)), { name: 'PinTimeoutError' })
    await a.blockStream(each(dag.blocks))
    // give `a` time to act on a stale want of `b`'s (it pushed the root, `b` dropped
    // it, and `a` then ignored `b`'s next want): the cancel must have cleared it
    await new Promise((resolve) => setTimeout(resolve, 200))
    await b.pin(pinOf(dag.root))
    assert.equal(await b.pinLsCid(pinOf(dag.root)), 'recursive')
  })

  it('completes a waiting pin when the missing block is put locally', async () => {
    const b = await startNode({ pinTimeout: 2000 })
    const dag = await buildUnixfs([{ path: 'local', content: randomBytes(50_000) }])
    const late = dag.blocks.find((x) => x.cid.code === 0x55) as (typeof dag.blocks)[number]
    await b.blockStream(each(dag.blocks.filter((x) => x !== late)))
    const t0 = Date.now()
    const pinning = b.pin(pinOf(dag.root))
    await new Promise((resolve) => setTimeout(resolve, 100))
    await b.blockStream(each([late]))
    await pinning
    assert.ok(Date.now() - t0 < 1500)
  })

  it('replaces a direct pin by a recursive one and back', async () => {
    const a = await startNode()
    const dag = await buildUnixfs([{ path: 'r', content: randomBytes(40_000) }])
    await a.blockStream(each(dag.blocks))
    await a.pin(pinOf(dag.root, 0))
    await a.pin(pinOf(dag.root))
    assert.equal(await a.pinLsCid(pinOf(dag.root)), 'recursive')
    assert.deepEqual((await collect(a.pinLs(['recursive', 'direct']))).map((p) => p.type), ['recursive'])
    await a.pin(pinOf(dag.root, 0))
    assert.equal(await a.pinLsCid(pinOf(dag.root, 0)), 'direct')
  })

  it('lists a CIDv0 pin with the CID it was pinned with', async () => {
    const a = await startNode()
    const dag = await buildUnixfs([{ path: 'v0', content: randomBytes(40_000) }])
    await a.blockStream(each(dag.blocks))
    const v0 = dag.root.toV0()
    await a.pin(pinOf(v0))
    const listed = await collect(a.pinLs(['recursive']))
    assert.equal(listed.length, 1)
    assert.equal(listed[0].cid.toString(), v0.toString())
    assert.equal(await a.pinLsCid(pinOf(dag.root)), 'recursive')
  })

  it('keeps blocks shared with another pin when one pin is removed and GC runs', async () => {
    const a = await startNode()
    const shared = randomBytes(50_000)
    const one = await buildUnixfs([{ path: 'one', content: Buffer.concat([shared, Buffer.from('1')]) }])
    const two = await buildUnixfs([{ path: 'two', content: Buffer.concat([shared, Buffer.from('2')]) }])
    await a.blockStream(each([...one.blocks, ...two.blocks]))
    await a.pin(pinOf(one.root))
    await a.pin(pinOf(two.root))
    await a.unpin(one.root)
    await a.pin(pinOf(one.root))
    await a.unpin(two.root)
    const removed = await collect(a.repoGC())
    for (const b of one.blocks) {
      assert.ok(!removed.some((r) => r.key?.multihash.bytes.toString() === b.cid.multihash.bytes.toString()))
      await a.blockGet(b.cid, { signal: AbortSignal.timeout(500) })
    }
    assert.ok(removed.some((r) => r.key?.multihash.bytes.toString() === two.root.multihash.bytes.toString()))
  })

  it('lowers repo size when GC removes blocks', async () => {
    const a = await startNode()
    const big = await rawBlock(300_000)
    await a.blockStream(each([big]))
    const full = (await a.repoStat()).repoSize
    await collect(a.repoGC())
    assert.ok((await a.repoStat()).repoSize <= full - 300_000)
  })

  it('fails an /ipns/ name it cannot resolve with a clear error (more in names.test.ts)', async () => {
    const a = await startNode()
    await assert.rejects(a.resolve('/ipns/k51qzi5uqu5dlvj2baxnqndepeb86cbk3ng7n3i46uzyxzyqj2xjonzllnv0v8'), { name: 'NameResolutionError', message: /could not resolve name .*no IPNS record/ })
  })

  it('reports a hash mismatch by name', async () => {
    const a = await startNode()
    const b = await rawBlock()
    await assert.rejects(a.blockStream(each([{ cid: b.cid, data: randomBytes(10) }])), { name: 'BlockHashMismatchError' })
  })

  it('refuses unpins with UnpinDisabledError when unpin_disable is set', async () => {
    const a = await startNode({ unpinDisable: true })
    await assert.rejects(a.unpin(CID.parse('bafkqaaa')), { name: 'UnpinDisabledError' })
  })

  it('triggers informers every N-th pin event', async () => {
    let triggered = 0
    const c = embeddedConnector({ repoPath: await tmpRepo(), swarmListen: ['/ip4/127.0.0.1/tcp/0'], informerTriggerInterval: 2 })({
      logger: silentLogger(),
      triggerInformers: () => { triggered++ }
    })
    await c.start()
    running.push(c)
    await c.pin(pinOf(CID.parse('bafkqaaa'))) // pin start + pin end = 2 events
    assert.equal(triggered, 1)
  })
})
