import { describe, it, afterEach } from 'node:test'
import assert from 'node:assert/strict'
import { TRACKER_STATUS_BITS as B } from '../../../src/interface/types.js'
import { RECOVER_WINDOW, TRACK_WINDOW } from '../../../src/pintracker/stateless/stateless.js'
import { GatedIPFS, waitFor } from '../fake-ipfs.js'
import { collect, localPin, setup, stopAll } from './helpers.js'
import type { StatelessPinTracker } from '../../../src/pintracker/stateless/stateless.js'
import type { Pin } from '../../../src/interface/types.js'

const count = async (it: AsyncIterable<unknown>): Promise<number> => (await collect(it)).length

describe('stateless tracker: pins tracked beyond TRACK_WINDOW', () => {
  afterEach(stopAll)

  it('holds at most TRACK_WINDOW queued operations, shows the rest pin_queued and pins everything', async () => {
    const n = TRACK_WINDOW + 2 * RECOVER_WINDOW
    const pins = await Promise.all(Array.from({ length: n }, async (_, i) => await localPin(i)))
    const ipfs = new GatedIPFS()
    const { state, tracker } = await setup({ concurrentPins: 2 }, pins, { ipfs })
    const t = tracker as StatelessPinTracker
    // as the CRDT put hook: every pin of a large merge tracked at once
    for (const p of pins) await tracker.track(p)
    assert.ok(t.operationCount <= TRACK_WINDOW + 2, `operations ${t.operationCount}`)
    // two are running (pinning); every other one counts as queued
    assert.equal(await tracker.pinQueueSize(), n - 2)
    assert.equal((await tracker.status(pins[n - 1].cid)).status, 'pin_queued')
    assert.equal(await count(tracker.statusAll(B.pin_queued)), n - 2)
    // only items with an operation fall through to the computed status (spec §10.6 note)
    assert.equal(await count(tracker.statusAll(B.unexpectedly_unpinned)), t.operationCount)

    // a pin left to the walk and removed before it is queued is never pinned
    const removed = pins[n - 1]
    await state.rm(removed.cid)
    await tracker.untrack(removed.cid)
    // pins tracked while the walk runs are queued too
    const more: Pin[] = await Promise.all(Array.from({ length: 500 }, async (_, i) => await localPin(n + i)))
    for (const p of more) {
      await state.add(p)
      await tracker.track(p)
    }
    let maxOps = 0
    const sampler = setInterval(() => { maxOps = Math.max(maxOps, t.operationCount) }, 1)
    ipfs.open()
    const total = n + more.length - 1
    await waitFor(() => ipfs.pinned.size === total, 60_000).finally(() => { clearInterval(sampler) })
    assert.ok(maxOps <= TRACK_WINDOW + 3, `max operations ${maxOps}`)
    assert.equal(ipfs.pinned.has(removed.cid.toString()), false)
    await waitFor(async () => (await tracker.pinQueueSize()) === 0)
    assert.equal(await count(tracker.statusAll(B.pinned)), total)
    assert.equal(t.operationCount, 0)
  })

  it('reports items IPFS lost as unexpectedly_unpinned again once the walk ended', async () => {
    const n = TRACK_WINDOW + 10
    const pins = await Promise.all(Array.from({ length: n }, async (_, i) => await localPin(i)))
    const ipfs = new GatedIPFS()
    const { tracker } = await setup({ concurrentPins: 2 }, pins, { ipfs })
    for (const p of pins) await tracker.track(p)
    ipfs.open()
    await waitFor(() => ipfs.pinned.size === n, 60_000)
    await waitFor(async () => (await tracker.pinQueueSize()) === 0)
    ipfs.pinned.delete(pins[0].cid.toString())
    const info = await tracker.status(pins[0].cid)
    assert.equal(info.status, 'unexpectedly_unpinned')
  })

  it('keeps Go\'s queue-full error with queues no larger than the window', async () => {
    const pins = await Promise.all(Array.from({ length: 12 }, async (_, i) => await localPin(i)))
    const ipfs = new GatedIPFS()
    const { tracker } = await setup({ concurrentPins: 1, maxPinQueueSize: 10 }, pins, { ipfs })
    let failed = 0
    for (const p of pins) await tracker.track(p).catch(() => { failed++ })
    assert.equal(failed, 1) // one running, ten queued
    ipfs.open()
  })
})
