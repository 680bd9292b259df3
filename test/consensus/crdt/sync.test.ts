import { describe, it, after } from 'node:test'
import assert from 'node:assert/strict'
import { CID } from 'multiformats/cid'
import { decodeBroadcast, decodeFetchRequest, encodeFetchRequest } from '../../../src/consensus/crdt/proto.js'
import { FakeNetwork, cidOf, cleanupDirs, contents, converged, pinOf, until } from './net.js'
import type { TestPeer } from './net.js'

after(cleanupDirs)

/** Writes `n` pins on `peer`, one delta each. */
async function unbatchedPins (peer: TestPeer, n: number, from = 0): Promise<void> {
  for (let i = from; i < from + n; i++) await peer.consensus.logPin(await pinOf(i))
}

describe('crdt DAG sync', () => {
  it('brings a late joiner up to 10,000 unbatched deltas quickly', async () => {
    const net = new FakeNetwork()
    const a = await net.addPeer()
    const N = 10_000
    let t = Date.now()
    await unbatchedPins(a, N)
    const writeMs = Date.now() - t
    assert.equal(a.consensus.stats().maxHeight, N)
    let served = 0
    net.intercept = async function * (_from, _to, blocks) {
      for await (const b of blocks) {
        served++
        yield b
      }
    }
    const b = await net.addPeer()
    t = Date.now()
    // the next write announces a's head
    await a.consensus.logPin(await pinOf(N))
    await until(() => b.consensus.stats().maxHeight === N + 1 && b.consensus.stats().heads === 1 && b.consensus.stats().queuedJobs === 0, 120_000, 5)
    const ms = Date.now() - t
    assert.equal(await b.state.count(), N + 1)
    console.log(`# local unbatched writes: ${Math.round(N / (writeMs / 1000))} pins/s; catch-up of ${N + 1} deltas: ${ms} ms = ${Math.round((N + 1) / (ms / 1000))} pins/s, ${served} blocks served`)
    assert.ok(served <= N + 1 + 10, `served ${served} blocks`)
    assert.deepEqual(await contents(b.state), await contents(a.state))
    assert.equal(b.consensus.stats().heads, 1)
    assert.equal(b.consensus.stats().maxHeight, N + 1)
    assert.equal(b.consensus.stats().dirty, false)
    await b.consensus.idle()
    assert.equal(b.tracker.calls.length, N + 1)
    // b writes on top of what it synced
    await b.consensus.logPin(await pinOf('b'))
    assert.equal(b.consensus.stats().maxHeight, N + 2)
    await converged([a, b])
    await a.stop()
    await b.stop()
  })

  it('adopts announced heads at once, so writes made while syncing build on them', async () => {
    const net = new FakeNetwork()
    const a = await net.addPeer()
    await unbatchedPins(a, 300)
    let release: () => void = () => {}
    const gate = new Promise<void>((resolve) => { release = resolve })
    net.intercept = async function * (_from, _to, blocks) {
      let n = 0
      for await (const b of blocks) {
        if (++n === 2) await gate
        yield b
      }
    }
    const b = await net.addPeer()
    await a.consensus.logPin(await pinOf(300))
    await until(() => b.consensus.stats().heads === 1)
    assert.equal(b.consensus.stats().maxHeight, 301)
    await b.consensus.logPin(await pinOf('during-sync'))
    assert.equal(b.consensus.stats().maxHeight, 302)
    release()
    const final = await converged([a, b])
    assert.equal(final.length, 302)
    assert.equal(b.consensus.stats().heads, 1)
    await a.stop()
    await b.stop()
  })

  it('ignores the updates of an untrusted peer', async () => {
    const net = new FakeNetwork()
    const ids = { a: '', b: '' }
    const { newPeerId } = await import('./net.js')
    ids.a = await newPeerId()
    ids.b = await newPeerId()
    const a = await net.addPeer({ id: ids.a, trustAll: false, trustedPeers: [ids.b] })
    const b = await net.addPeer({ id: ids.b, trustAll: false, trustedPeers: [ids.a] })
    const c = await net.addPeer()
    await c.consensus.logPin(await pinOf('from-c'))
    await a.consensus.logPin(await pinOf('from-a'))
    await until(async () => await b.state.has(await cidOf('from-a')) && await c.state.has(await cidOf('from-a')))
    await new Promise((resolve) => setTimeout(resolve, 100))
    await a.consensus.idle()
    await b.consensus.idle()
    assert.equal(await a.state.has(await cidOf('from-c')), false)
    assert.equal(await b.state.has(await cidOf('from-c')), false)
    assert.equal(await c.state.count(), 2)
    await a.stop()
    await b.stop()
    await c.stop()
  })

  it('marks the store dirty when a sync breaks off, and the repair completes it', async () => {
    const net = new FakeNetwork()
    const a = await net.addPeer()
    await unbatchedPins(a, 2000)
    // the network breaks for good after 500 blocks (retries fail too)
    let broken = true
    let n = 0
    net.intercept = async function * (_from, _to, blocks) {
      for await (const b of blocks) {
        if (broken && ++n > 500) throw new Error('connection reset')
        yield b
      }
    }
    const b = await net.addPeer({ repairInterval: 300 })
    await a.consensus.logPin(await pinOf(2000))
    await until(() => b.consensus.stats().dirty)
    await b.consensus.idle()
    assert.equal(await b.state.count(), 0)
    broken = false
    await until(async () => await b.state.count() === 2001, 20_000)
    await until(() => !b.consensus.stats().dirty)
    assert.deepEqual(await contents(b.state), await contents(a.state))
    await a.stop()
    await b.stop()
  })

  it('resumes an interrupted sync after a restart', async () => {
    const net = new FakeNetwork()
    const a = await net.addPeer()
    await unbatchedPins(a, 1500)
    let release: () => void = () => {}
    const gate = new Promise<void>((resolve) => { release = resolve })
    net.intercept = async function * (_from, _to, blocks) {
      let n = 0
      for await (const b of blocks) {
        if (++n === 700) await gate
        yield b
      }
    }
    const b = await net.addPeer()
    await a.consensus.logPin(await pinOf(1500))
    await until(() => b.consensus.stats().heads === 1)
    // b stops in the middle of the sync (the stream is stuck), then starts again
    const stopping = b.stop()
    release()
    await stopping
    net.intercept = undefined
    const b2 = await net.addPeer({ id: b.id, crdtPath: b.crdtPath, statePath: b.statePath })
    await until(async () => await b2.state.count() === 1501, 20_000)
    await b2.consensus.idle()
    assert.deepEqual(await contents(b2.state), await contents(a.state))
    assert.equal(b2.consensus.stats().queuedJobs, 0)
    await a.stop()
    await b2.stop()
  })

  it('keeps heads and state across a restart', async () => {
    const net = new FakeNetwork()
    const a = await net.addPeer()
    await unbatchedPins(a, 5)
    const before = a.consensus.stats()
    const pins = await contents(a.state)
    await a.stop()
    const a2 = await net.addPeer({ id: a.id, crdtPath: a.crdtPath, statePath: a.statePath })
    assert.deepEqual(a2.consensus.stats(), before)
    assert.deepEqual(await contents(a2.state), pins)
    await a2.consensus.logPin(await pinOf(99))
    assert.equal(a2.consensus.stats().maxHeight, before.maxHeight + 1)
    assert.equal(a2.consensus.stats().heads, 1)
    await a2.stop()
  })

  it('fetches from another peer when the announcer cannot serve', async () => {
    const net = new FakeNetwork()
    const a = await net.addPeer({ rebroadcastInterval: 100 })
    const b = await net.addPeer()
    await unbatchedPins(a, 200)
    await converged([a, b])
    // c hears a's head from a's rebroadcast, but a refuses to serve it: b has the blocks
    const refused: string[] = []
    net.intercept = (from, to, blocks) => {
      if (from === a.id) {
        refused.push(to)
        throw new Error('a does not serve')
      }
      return blocks
    }
    const c = await net.addPeer()
    await until(async () => await c.state.count() === 200, 10_000)
    assert.ok(refused.includes(c.id))
    net.intercept = undefined
    await a.consensus.logPin(await pinOf(200))
    assert.equal((await converged([a, b, c])).length, 201)
    await a.stop()
    await b.stop()
    await c.stop()
  })

  it('gives up on a stuck peer after the fetch timeout, and stops while a fetch is stuck', async () => {
    const net = new FakeNetwork()
    const a = await net.addPeer({ rebroadcastInterval: 100 })
    const b = await net.addPeer()
    await unbatchedPins(a, 50)
    await converged([a, b])
    // a (the announcer) never answers: c must time out and ask b
    net.intercept = (from, _to, blocks) => {
      if (from !== a.id) return blocks
      return (async function * () { await new Promise(() => {}); yield * blocks })()
    }
    const c = await net.addPeer({ fetchTimeout: 200 })
    await until(async () => await c.state.count() === 50, 10_000)
    // every fetch hangs now: stopping must not wait for it
    net.intercept = () => (async function * () { await new Promise(() => {}) })()
    const d = await net.addPeer({ fetchTimeout: 60_000 })
    await until(() => d.consensus.stats().queuedJobs === 1)
    await new Promise((resolve) => setTimeout(resolve, 50))
    const t = Date.now()
    await d.stop()
    assert.ok(Date.now() - t < 2000)
    await a.stop()
    await b.stop()
    await c.stop()
  })

  it('accepts a legacy broadcast holding a bare CID', async () => {
    const net = new FakeNetwork()
    const a = await net.addPeer()
    await unbatchedPins(a, 3)
    const head = decodeBroadcast(net.published[net.published.length - 1].data)[0]
    net.published.length = 0
    const b = await net.addPeer()
    net.deliver(a.id, b.id, head)
    await until(async () => await b.state.count() === 3)
    await a.stop()
    await b.stop()
  })

  it('serves the blocks below the roots, stopping at the requester\'s heads and at max', async () => {
    const net = new FakeNetwork()
    const a = await net.addPeer()
    await unbatchedPins(a, 100)
    const heads = net.published.map((m) => decodeBroadcast(m.data)[0])
    const collect = async (request: Uint8Array): Promise<number> => {
      let n = 0
      for await (const _ of a.consensus.serveFetch(request)) n++ // eslint-disable-line no-unused-vars
      return n
    }
    assert.equal(await collect(encodeFetchRequest({ roots: [heads[99]], have: [heads[49]], max: 0 })), 50)
    assert.equal(await collect(encodeFetchRequest({ roots: [heads[99]], have: [], max: 10 })), 10)
    assert.equal(await collect(encodeFetchRequest({ roots: [heads[99]], have: [], max: 0 })), 100)
    assert.equal(decodeFetchRequest(encodeFetchRequest({ roots: [], have: [], max: 0 })).roots.length, 0)
    assert.ok(CID.decode(heads[0]).code === 0x70)
    await a.stop()
  })
})
