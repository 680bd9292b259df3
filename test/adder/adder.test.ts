import { describe, it } from 'node:test'
import { carBytes } from './car-bytes.js'
import assert from 'node:assert/strict'
import * as dagPb from '@ipld/dag-pb'
import * as raw from 'multiformats/codecs/raw'
import { CID } from 'multiformats/cid'
import { sha256 } from 'multiformats/hashes/sha2'
import { add } from '../../src/adder/adder.js'
import { openDestination } from '../../src/adder/destination.js'
import { DestinationUnavailableError } from '../../src/adder/errors.js'
import { parseAddParams } from '../../src/api/common/add-params.js'
import { silentLogger } from '../../src/util/logger.js'
import type { AdderComponents } from '../../src/adder/adder.js'
import type { BlockStreamFn } from '../../src/adder/destination.js'
import type { AddEntry, AddedBlock, AddedOutput } from '../../src/adder/types.js'
import type { BlockWithFormat } from '../../src/interface/ipfs-connector.js'
import type { Pin, PinOptions } from '../../src/interface/types.js'

const LOCAL = '12D3KooWLocal'

interface Fake {
  components: AdderComponents
  allocateCalls: PinOptions[]
  pins: Pin[]
  /** Blocks stored per destination peer. */
  stored: Map<string, CID[]>
}

function fake (opts: { allocs?: string[], failing?: Set<string>, reachable?: Set<string>, local?: Map<string, Uint8Array> } = {}): Fake {
  const f: Fake = { allocateCalls: [], pins: [], stored: new Map(), components: undefined as any }
  f.components = {
    peerId: LOCAL,
    cluster: {
      blockAllocate: async (o) => { f.allocateCalls.push(o); return [...(opts.allocs ?? [LOCAL])] },
      pinObject: async (pin) => { f.pins.push(pin); return pin }
    },
    blockStreamTo: (peer) => {
      if (opts.reachable != null && !opts.reachable.has(peer)) throw new DestinationUnavailableError(`no route to ${peer}`)
      return async (blocks: AsyncIterable<BlockWithFormat>) => {
        const list: CID[] = []
        f.stored.set(peer, list)
        for await (const b of blocks) {
          if (opts.failing?.has(peer) === true) throw new Error(`${peer} is broken`)
          list.push(b.cid)
          opts.local?.set(b.cid.toString(), b.data)
        }
      }
    },
    getLocalBlock: async (cid) => opts.local?.get(cid.toString()),
    logger: silentLogger()
  }
  return f
}

async function * files (...items: Array<[string, string]>): AsyncGenerator<AddEntry> {
  for (const [path, text] of items) {
    yield { type: 'file', path, content: (async function * () { yield new TextEncoder().encode(text) })() }
  }
}

const params = (q = ''): ReturnType<typeof parseAddParams> => parseAddParams(new URLSearchParams(q))

async function rawBlock (text: string): Promise<AddedBlock> {
  const bytes = new TextEncoder().encode(text)
  return { cid: CID.createV1(raw.code, await sha256.digest(bytes)), bytes }
}

async function carFile (root: CID, blocks: AddedBlock[]): Promise<AsyncGenerator<AddEntry>> {
  const bytes = await carBytes([root], blocks)
  return (async function * () { yield { type: 'file', path: 'x.car', content: (async function * () { yield bytes })() } })()
}

describe('adder', () => {
  it('allocates on the first block, streams to the allocations and pins with them', async () => {
    const f = fake({ allocs: ['', 'peerB'], reachable: new Set([LOCAL, 'peerB']) })
    const outputs: AddedOutput[] = []
    const root = await add(files(['a.txt', 'aaa']), params('name=n&replication=2'), f.components, { onOutput: (o) => outputs.push(o) })
    assert.equal(f.allocateCalls.length, 1)
    assert.equal(f.allocateCalls[0].replicationFactorMin, 2)
    assert.deepEqual(outputs[0].allocations, [LOCAL, 'peerB'])
    // the importer's blocks (MFS root directory included), the same on every destination
    assert.ok(f.stored.get(LOCAL)?.some((c) => c.equals(root)))
    assert.deepEqual(f.stored.get('peerB'), f.stored.get(LOCAL))
    assert.equal(f.pins.length, 1)
    assert.ok(f.pins[0].cid.equals(root))
    assert.deepEqual(f.pins[0].allocations, [LOCAL, 'peerB'])
    assert.equal(f.pins[0].maxDepth, -1)
    assert.equal(f.pins[0].name, 'n')
  })

  it('streams only to the local peer in local mode, forcing it into the allocations', async () => {
    const f = fake({ allocs: ['peerA', 'peerB'], reachable: new Set([LOCAL]) })
    await add(files(['a.txt', 'aaa']), params('local=true'), f.components)
    assert.deepEqual([...f.stored.keys()], [LOCAL])
    assert.deepEqual(f.pins[0].allocations, ['peerA', LOCAL])
  })

  it('keeps the allocations in local mode when user allocations are given', async () => {
    const f = fake({ allocs: ['12D3KooWDpJ7As7BWAwRMfu1VU2WCqNjvq387JEYKDBj4kx6nXTN'], reachable: new Set([LOCAL]) })
    await add(files(['a.txt', 'aaa']), params('local=true&user-allocations=12D3KooWDpJ7As7BWAwRMfu1VU2WCqNjvq387JEYKDBj4kx6nXTN'), f.components)
    assert.deepEqual(f.pins[0].allocations, ['12D3KooWDpJ7As7BWAwRMfu1VU2WCqNjvq387JEYKDBj4kx6nXTN'])
    assert.deepEqual([...f.stored.keys()], [LOCAL])
  })

  it('does not pin with no-pin', async () => {
    const f = fake()
    const root = await add(files(['a.txt', 'aaa']), params('no-pin=true'), f.components)
    assert.equal(f.pins.length, 0)
    assert.ok(f.stored.get(LOCAL)?.some((c) => c.equals(root)))
  })

  it('fails without pinning when every destination fails', async () => {
    const f = fake({ failing: new Set([LOCAL]) })
    await assert.rejects(add(files(['a.txt', 'aaa']), params(), f.components), { name: 'BlockPutError', message: 'failed to put block on all destinations' })
    assert.equal(f.pins.length, 0)
  })

  it('tolerates a failing destination when another one stores the blocks', async () => {
    const f = fake({ allocs: [LOCAL, 'peerB'], failing: new Set(['peerB']) })
    await add(files(['a.txt', 'aaa']), params(), f.components)
    assert.equal(f.pins.length, 1)
  })

  it('fails when a destination cannot be reached', async () => {
    const f = fake({ allocs: ['peerB'], reachable: new Set([LOCAL]) })
    await assert.rejects(add(files(['a.txt', 'aaa']), params(), f.components), { name: 'DestinationUnavailableError' })
    assert.equal(f.pins.length, 0)
  })

  it('fails when allocation fails, before any block is stored', async () => {
    const f = fake()
    f.components.cluster.blockAllocate = async () => { throw Object.assign(new Error('not enough peers'), { name: 'AllocationError' }) }
    await assert.rejects(add(files(['a.txt', 'aaa']), params(), f.components), { name: 'AllocationError' })
    assert.equal(f.stored.size, 0)
  })

  it('stops and pins nothing when aborted', async () => {
    const f = fake()
    const controller = new AbortController()
    async function * slow (): AsyncGenerator<AddEntry> {
      yield { type: 'file', path: 'big', content: (async function * () { yield new Uint8Array(300_000); controller.abort(new Error('client disconnected')); yield new Uint8Array(10) })() }
    }
    await assert.rejects(add(slow(), params(), f.components, { signal: controller.signal }), { message: 'client disconnected' })
    assert.equal(f.pins.length, 0)
  })

  it('refuses sharded adds and wrapped CARs', async () => {
    const f = fake()
    await assert.rejects(add(files(['a', 'a']), params('shard=true'), f.components), { name: 'InvalidArgumentError' })
    await assert.rejects(add(files(['a', 'a']), params('format=car&wrap-with-directory=true'), f.components), { name: 'InvalidArgumentError', message: 'cannot wrap a CAR file upload' })
  })

  it('imports a CAR with one output event, and checks completeness when asked', async () => {
    const leaf = await rawBlock('leaf')
    const other = await rawBlock('other')
    const rootBytes = dagPb.encode(dagPb.prepare({ Links: [{ Hash: leaf.cid, Name: 'a', Tsize: 4 }, { Hash: other.cid, Name: 'b', Tsize: 5 }] }))
    const root = { cid: CID.createV0(await sha256.digest(rootBytes)), bytes: rootBytes }

    const local = new Map<string, Uint8Array>()
    const f = fake({ local })
    const outputs: AddedOutput[] = []
    const cid = await add(await carFile(root.cid, [root, leaf, other]), params('format=car&check-dag=true'), f.components, { onOutput: (o) => outputs.push(o) })
    assert.ok(cid.equals(root.cid))
    assert.equal(outputs.length, 1)
    assert.equal(outputs[0].bytes, rootBytes.length + 4 + 5)
    assert.equal(f.pins.length, 1)

    const g = fake({ local: new Map() })
    await assert.rejects(add(await carFile(root.cid, [root, leaf]), params('format=car&check-dag=true'), g.components), { name: 'IncompleteDagError' })
    assert.equal(g.pins.length, 0)
    // without the check (as Go), a partial DAG is pinned
    const h = fake({ local: new Map() })
    await add(await carFile(root.cid, [root, leaf]), params('format=car'), h.components)
    assert.equal(h.pins.length, 1)
  })
})

describe('block destination', () => {
  it('bounds its queue: the producer waits for the stream', async () => {
    let release: (() => void) | undefined
    let consumed = 0
    const stream: BlockStreamFn = async (blocks) => {
      for await (const _ of blocks) { // eslint-disable-line no-unused-vars
        consumed++
        if (consumed === 1) await new Promise<void>((resolve) => { release = resolve })
      }
    }
    const d = openDestination('p', stream, { maxBlocks: 2 })
    const block = await rawBlock('b')
    let pushed = 0
    const producer = (async () => {
      for (let i = 0; i < 10; i++) {
        await d.push(block)
        pushed++
      }
    })()
    await new Promise((resolve) => setTimeout(resolve, 20))
    // one block held by the stream, two queued, the fourth push waiting
    assert.equal(pushed, 3)
    release?.()
    await producer
    await d.close()
    assert.equal(consumed, 10)
  })

  it('drops blocks once its stream failed and reports the error on close', async () => {
    const d = openDestination('p', async () => { throw new Error('boom') })
    await new Promise((resolve) => setTimeout(resolve, 5))
    await d.push(await rawBlock('x'))
    await assert.rejects(d.close(), { message: 'boom' })
  })
})
