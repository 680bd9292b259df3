import { describe, it, after } from 'node:test'
import assert from 'node:assert/strict'
import { cp } from 'node:fs/promises'
import { join } from 'node:path'
import { FakeNetwork, cleanupDirs, contents, converged, pinOf, tempDir, until } from './net.js'

after(cleanupDirs)

const sleep = async (ms: number): Promise<void> => { await new Promise((resolve) => setTimeout(resolve, ms)) }

describe('crdt batching', () => {
  it('commits by size and by age (spec: size 3, age 1 s)', async () => {
    const net = new FakeNetwork()
    const a = await net.addPeer({ batching: { maxBatchSize: 3, maxBatchAge: 1000, maxQueueSize: 50_000 } })
    await a.consensus.logPin(await pinOf(1))
    await sleep(250)
    assert.equal(await a.state.count(), 0)
    await sleep(1000)
    assert.equal(await a.state.count(), 1)
    for (let i = 2; i <= 5; i++) await a.consensus.logPin(await pinOf(i))
    await sleep(250)
    assert.equal(await a.state.count(), 4)
    await sleep(1000)
    assert.equal(await a.state.count(), 5)
    // one delta per commit
    assert.equal(a.consensus.stats().maxHeight, 3)
    await a.stop()
  })

  it('applies a pin then unpin of one key in one batch as an unpin', async () => {
    const net = new FakeNetwork()
    const a = await net.addPeer({ batching: { maxBatchSize: 100, maxBatchAge: 50, maxQueueSize: 50_000 } })
    await a.consensus.logPin(await pinOf(1))
    await until(async () => await a.state.count() === 1)
    await a.consensus.logPin(await pinOf(1, 'renamed'))
    await a.consensus.logUnpin(await pinOf(1))
    await a.consensus.logPin(await pinOf(2, 'first'))
    await a.consensus.logPin(await pinOf(2, 'second'))
    await until(() => a.consensus.stats().batchQueue === 0 && a.consensus.stats().maxHeight === 2)
    assert.deepEqual(await contents(a.state), [`${(await pinOf(2)).cid.toString()}=second`])
    await a.stop()
  })

  it('refuses items beyond max_queue_size with the reference message', async () => {
    const net = new FakeNetwork()
    const a = await net.addPeer({ batching: { maxBatchSize: 1000, maxBatchAge: 60_000, maxQueueSize: 3 } })
    const pins = await Promise.all(Array.from({ length: 10 }, async (_, i) => await pinOf(i)))
    const results = await Promise.allSettled(pins.map(async (p) => { await a.consensus.logPin(p) }))
    const refused = results.filter((r) => r.status === 'rejected')
    assert.ok(refused.length > 0)
    for (const r of refused) {
      assert.equal((r as PromiseRejectedResult).reason.name, 'BatchQueueFullError')
      assert.equal((r as PromiseRejectedResult).reason.message, 'error batching item: batching max_queue_size reached. Too many operations are waiting to be batched. Try increasing the max_queue_size or adjusting the batching options')
    }
    await a.stop()
  })

  it('refuses items while shutting down, and commits what it accepted', async () => {
    const net = new FakeNetwork()
    const a = await net.addPeer({ batching: { maxBatchSize: 1000, maxBatchAge: 60_000, maxQueueSize: 100 } })
    await a.consensus.logPin(await pinOf(1))
    await a.consensus.beforeStop?.()
    await assert.rejects(a.consensus.logPin(await pinOf(2)), { name: 'BatchShutdownError', message: 'shutting down. Pin could not be batched' })
    await a.consensus.stop?.()
    await a.state.stop?.()
    // what was accepted is in the state after the orderly stop
    const again = await net.addPeer({ id: a.id, crdtPath: a.crdtPath, statePath: a.statePath })
    assert.equal(await again.state.count(), 1)
    await again.stop()
  })

  it('commits acknowledged items after a kill (journal)', async () => {
    const net = new FakeNetwork()
    const a = await net.addPeer({ batching: { maxBatchSize: 10_000, maxBatchAge: 3_600_000, maxQueueSize: 50_000 } })
    const pins = await Promise.all(Array.from({ length: 200 }, async (_, i) => await pinOf(i)))
    await Promise.all(pins.map(async (p) => { await a.consensus.logPin(p) }))
    await a.consensus.logUnpin(pins[0])
    assert.equal(await a.state.count(), 0)
    // a kill: copy the folders as they are on disk now, the batch never committed
    const dir = await tempDir()
    const crdtPath = join(dir, 'crdt')
    const statePath = join(dir, 'state')
    await cp(a.crdtPath, crdtPath, { recursive: true })
    await cp(a.statePath, statePath, { recursive: true })
    await a.stop()

    const b = await net.addPeer({ id: a.id, crdtPath, statePath, batching: { maxBatchSize: 10_000, maxBatchAge: 3_600_000, maxQueueSize: 50_000 } })
    assert.equal(await b.state.count(), 199)
    assert.equal(await b.state.has(pins[0].cid), false)
    await b.consensus.idle()
    assert.equal(b.tracker.calls.filter((c) => c.op === 'track').length, 199)
    const heads = b.consensus.stats()
    // the journal is empty now: another restart commits nothing more
    await b.stop()
    const c = await net.addPeer({ id: a.id, crdtPath, statePath, batching: { maxBatchSize: 10_000, maxBatchAge: 3_600_000, maxQueueSize: 50_000 } })
    assert.deepEqual(c.consensus.stats(), heads)
    await c.stop()
  })

  it('announces a replayed journal to the other peers', async () => {
    const net = new FakeNetwork()
    const batching = { maxBatchSize: 10_000, maxBatchAge: 3_600_000, maxQueueSize: 50_000 }
    const a = await net.addPeer({ batching })
    for (let i = 0; i < 5; i++) await a.consensus.logPin(await pinOf(i))
    const dir = await tempDir()
    await cp(a.crdtPath, join(dir, 'crdt'), { recursive: true })
    await cp(a.statePath, join(dir, 'state'), { recursive: true })
    await a.stop()
    const other = await net.addPeer()
    const a2 = await net.addPeer({ id: a.id, crdtPath: join(dir, 'crdt'), statePath: join(dir, 'state'), batching })
    assert.equal((await converged([a2, other])).length, 5)
    await a2.stop()
    await other.stop()
  })

  it('acknowledges 40,000 pins from 20 concurrent clients and commits them all', async () => {
    const net = new FakeNetwork()
    const a = await net.addPeer({ batching: { maxBatchSize: 5000, maxBatchAge: 1000, maxQueueSize: 50_000 } })
    const N = 40_000
    const pins = await Promise.all(Array.from({ length: N }, async (_, i) => await pinOf(i)))
    const t = Date.now()
    let next = 0
    await Promise.all(Array.from({ length: 20 }, async () => {
      while (next < N) await a.consensus.logPin(pins[next++])
    }))
    const ackMs = Date.now() - t
    // the batch queue empties when the last commit starts, not when it ends: wait for the pins
    await until(async () => a.consensus.stats().batchQueue === 0 && await a.state.count() === N, 60_000, 20)
    const allMs = Date.now() - t
    assert.equal(await a.state.count(), N)
    console.log(`# batched ingest: ${Math.round(N / (ackMs / 1000))} acks/s, all ${N} committed after ${allMs} ms (${Math.round(N / (allMs / 1000))} pins/s)`)
    // (the ingest rate target is checked by bench/cluster.ts, not here)
    await a.stop()
  })
})
