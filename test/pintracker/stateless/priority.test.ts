import { describe, it, afterEach } from 'node:test'
import assert from 'node:assert/strict'
import { waitFor } from '../fake-ipfs.js'
import { localPin, setup, stopAll } from './helpers.js'

describe('stateless tracker: priority', () => {
  afterEach(stopAll)

  it('keeps priority while attempts stay within priority_pin_max_retries (spec §10.3 example)', async () => {
    const e = await localPin(1)
    const ok = await localPin(2)
    const { ipfs, tracker } = await setup({ concurrentPins: 1, priorityPinMaxAge: 10_000, priorityPinMaxRetries: 1 }, [e, ok])
    assert.equal((await tracker.status(ok.cid)).attemptCount, 0)
    ipfs.pinFailures.set(e.cid.toString(), 'error pinning')
    ipfs.unpinFailures.set(e.cid.toString(), 'error unpinning')

    await tracker.track(e)
    await waitFor(async () => (await tracker.status(e.cid)).status === 'pin_error')
    let st = await tracker.status(e.cid)
    assert.equal(st.attemptCount, 1)
    assert.equal(st.priorityPin, true)

    await tracker.recover(e.cid)
    await waitFor(async () => (await tracker.status(e.cid)).status === 'pin_error')
    st = await tracker.status(e.cid)
    assert.equal(st.attemptCount, 2)
    assert.equal(st.priorityPin, true)

    await tracker.recover(e.cid)
    await waitFor(async () => (await tracker.status(e.cid)).status === 'pin_error')
    st = await tracker.status(e.cid)
    assert.equal(st.attemptCount, 3)
    assert.equal(st.priorityPin, false)

    // an unpin starts counting again; a second unpin carries the count
    await tracker.untrack(e.cid)
    await waitFor(async () => (await tracker.status(e.cid)).status === 'unpin_error')
    assert.equal((await tracker.status(e.cid)).attemptCount, 1)
    await tracker.untrack(e.cid)
    await waitFor(async () => { const s = await tracker.status(e.cid); return s.status === 'unpin_error' && s.attemptCount === 2 })
  })

  it('does not prioritise pins older than priority_pin_max_age', async () => {
    const old = await localPin(1)
    old.timestamp = new Date(Date.now() - 60_000)
    const { ipfs, tracker } = await setup({ priorityPinMaxAge: 30_000 }, [old])
    ipfs.block(old.cid)
    await tracker.track(old)
    const info = await tracker.status(old.cid)
    assert.equal(info.priorityPin, false)
    ipfs.release(old.cid)
  })

  it('drains the priority queue before the normal one', async () => {
    const busy = await localPin(1)
    const old = await localPin(2)
    old.timestamp = new Date(Date.now() - 60_000)
    const fresh = await localPin(3)
    const { ipfs, tracker } = await setup({ concurrentPins: 1, priorityPinMaxAge: 30_000 }, [busy, old, fresh])
    ipfs.block(busy.cid)
    await tracker.track(busy)
    await waitFor(() => ipfs.pinCalls().length === 1)
    await tracker.track(old)
    await tracker.track(fresh)
    ipfs.release(busy.cid)
    await waitFor(() => ipfs.pinCalls().length === 3)
    assert.deepEqual(ipfs.pinCalls().map((c) => c.cid), [busy, fresh, old].map((p) => p.cid.toString()))
  })
})
