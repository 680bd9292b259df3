import { describe, it, after } from 'node:test'
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { create as createDigest } from 'multiformats/hashes/digest'
import { pinWithOpts } from '../../../src/api/common/pin.js'
import { FakeNetwork, cleanupDirs, converged, pinOf, until } from './net.js'
import type { Pin } from '../../../src/interface/types.js'

after(cleanupDirs)

/** `n` distinct pins, made as they are read. */
function * manyPins (n: number, from = 0): Generator<Pin> {
  const allocations = ['12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA']
  for (let i = from; i < from + n; i++) {
    const digest = createHash('sha256').update(`bulk-${i}`).digest()
    const cid = CID.createV1(raw.code, createDigest(0x12, new Uint8Array(digest)))
    const pin = pinWithOpts(cid, { name: `bulk pin ${i}`, replicationFactorMin: 2, replicationFactorMax: 3, metadata: { k: 'v' } })
    pin.allocations = allocations
    pin.timestamp = new Date('2026-01-01T00:00:00Z')
    yield pin
  }
}

describe('crdt offline state', () => {
  it('imports in bulk fast, exports, and cleans', async () => {
    const net = new FakeNetwork()
    const a = await net.addPeer({ offline: true })
    const N = 200_000
    const pins = [...manyPins(N)]
    const t = Date.now()
    assert.equal(await a.consensus.importPins(pins), N)
    const ms = Date.now() - t
    console.log(`# bulk import: ${N} pins in ${ms} ms = ${Math.round(N / (ms / 1000))} pins/s, ${a.consensus.stats().maxHeight} deltas`)
    assert.equal(await a.state.count(), N)
    const stats = a.consensus.stats()
    assert.equal(stats.heads, 1)
    assert.ok(stats.maxHeight >= N / 5000 && stats.maxHeight <= N / 1000, `${stats.maxHeight} deltas`)
    let exported = 0
    for await (const { json } of (await a.consensus.state()).listJson()) {
      if (exported++ === 0) assert.equal(JSON.parse(json).name.startsWith('bulk pin'), true)
    }
    assert.equal(exported, N)
    // importing the same pins again changes nothing visible
    await a.consensus.importPins(manyPins(10))
    assert.equal(await a.state.count(), N)
    await a.consensus.clean()
    assert.equal(await a.state.count(), 0)
    assert.deepEqual(a.consensus.stats(), { heads: 0, maxHeight: 0, queuedJobs: 0, dirty: false, batchQueue: 0 })
    await a.stop()
  })

  it('writes offline; peers learn the writes once the peer is online', async () => {
    const net = new FakeNetwork()
    const off = await net.addPeer({ offline: true })
    const N = 30_000
    await off.consensus.importPins(manyPins(N))
    await off.consensus.logPin(await pinOf('offline single'))
    await off.consensus.logUnpin([...manyPins(1)][0])
    const { id, crdtPath, statePath } = off
    await off.stop()

    const b = await net.addPeer()
    const a = await net.addPeer({ id, crdtPath, statePath, rebroadcastInterval: 50 })
    const t = Date.now()
    await until(() => b.consensus.stats().maxHeight === a.consensus.stats().maxHeight && b.consensus.stats().queuedJobs === 0, 60_000, 5)
    const ms = Date.now() - t
    console.log(`# catch-up of ${N} pins in ${a.consensus.stats().maxHeight} batched deltas: ${ms} ms = ${Math.round(N / (ms / 1000))} pins/s`)
    assert.equal((await converged([a, b])).length, N)
    await a.stop()
    await b.stop()
  })

  it('cleans a store that is not started', async () => {
    const net = new FakeNetwork()
    const a = await net.addPeer({ offline: true })
    await a.consensus.importPins(manyPins(100))
    await a.consensus.stop?.()
    await a.consensus.clean()
    assert.equal(await a.state.count(), 0)
    await a.stop()
  })
})
