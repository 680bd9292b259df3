import { describe, it, afterEach } from 'node:test'
import assert from 'node:assert/strict'
import { waitFor } from '../fake-ipfs.js'
import { cidOf, collect, localPin, setup, stopAll } from './helpers.js'

describe('stateless tracker: recover', () => {
  afterEach(stopAll)

  it('re-pins an unexpectedly unpinned item', async () => {
    const a = await localPin(1)
    const { ipfs, tracker } = await setup({}, [a])
    ipfs.block(a.cid)
    const info = await tracker.recover(a.cid)
    assert.ok(['pin_queued', 'pinning'].includes(info.status), info.status)
    ipfs.release(a.cid)
    await waitFor(async () => (await tracker.status(a.cid)).status === 'pinned')
  })

  it('returns the status unchanged when there is nothing to recover', async () => {
    const a = await localPin(1)
    const { ipfs, tracker } = await setup({}, [a])
    ipfs.pinned.set(a.cid.toString(), { cid: a.cid, type: 'recursive' })
    const info = await tracker.recover(a.cid)
    assert.equal(info.status, 'pinned')
    assert.equal(ipfs.calls.length, 0)
  })

  it('retries a failed unpin', async () => {
    const c = await cidOf(1)
    const { ipfs, tracker } = await setup({})
    ipfs.unpinFailures.set(c.toString(), 'busy')
    await tracker.untrack(c)
    await waitFor(async () => (await tracker.status(c)).status === 'unpin_error')
    ipfs.unpinFailures.clear()
    await tracker.recover(c)
    await waitFor(async () => (await tracker.status(c)).status === 'unpinned')
    assert.equal(ipfs.unpinCalls(c).length, 2)
  })

  it('gives a fresh status when the pin left the state meanwhile', async () => {
    const a = await localPin(1)
    const { ipfs, tracker, state } = await setup({}, [a])
    ipfs.pinFailures.set(a.cid.toString(), 'nope')
    await tracker.track(a)
    await waitFor(async () => (await tracker.status(a.cid)).status === 'pin_error')
    await state.rm(a.cid)
    const info = await tracker.recover(a.cid)
    // the operation in error still answers the status
    assert.equal(info.status, 'pin_error')
    assert.equal(ipfs.pinCalls(a.cid).length, 1)
  })

  it('recovers every item in error and yields their new status', async () => {
    const [ok, failed, missing] = [await localPin(1), await localPin(2), await localPin(3)]
    const { ipfs, tracker } = await setup({}, [ok, failed, missing])
    ipfs.pinned.set(ok.cid.toString(), { cid: ok.cid, type: 'recursive' })
    ipfs.pinFailures.set(failed.cid.toString(), 'first failure')
    await tracker.track(failed)
    await waitFor(async () => (await tracker.status(failed.cid)).status === 'pin_error')
    ipfs.pinFailures.clear()

    const out = await collect(tracker.recoverAll())
    assert.deepEqual(out.map((i) => i.name).sort(), ['pin-2', 'pin-3'])
    for (const i of out) assert.ok(['pin_queued', 'pinning', 'pinned'].includes(i.status), i.status)
    await waitFor(async () => (await tracker.status(failed.cid)).status === 'pinned')
    await waitFor(async () => (await tracker.status(missing.cid)).status === 'pinned')
    assert.equal(ipfs.pinCalls(ok.cid).length, 0)
    assert.equal((await collect(tracker.recoverAll())).length, 0)
  })

  it('stops recoverAll at the first enqueue error', async () => {
    const pins = [await localPin(1), await localPin(2), await localPin(3), await localPin(4)]
    const { ipfs, tracker } = await setup({ concurrentPins: 1, maxPinQueueSize: 1 }, pins)
    for (const p of pins) ipfs.block(p.cid)
    await assert.rejects(collect(tracker.recoverAll()), { name: 'QueueFullError' })
    for (const p of pins) ipfs.release(p.cid)
  })

  it('refuses to go on with recoverAll once the tracker stopped', async () => {
    const a = await localPin(1)
    const { tracker } = await setup({}, [a])
    await tracker.stop?.()
    await assert.rejects(collect(tracker.recoverAll()), { name: 'TrackerStoppedError' })
  })
})
