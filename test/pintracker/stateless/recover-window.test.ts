import { describe, it, afterEach } from 'node:test'
import assert from 'node:assert/strict'
import { RECOVER_WINDOW } from '../../../src/pintracker/stateless/stateless.js'
import { GatedIPFS, waitFor } from '../fake-ipfs.js'
import { collect, localPin, setup, stopAll } from './helpers.js'

describe('stateless tracker: recoverAll backpressure', () => {
  afterEach(stopAll)

  it('keeps at most RECOVER_WINDOW pin operations queued, and recovers everything', async () => {
    const n = 2 * RECOVER_WINDOW + 500
    const pins = await Promise.all(Array.from({ length: n }, async (_, i) => await localPin(i)))
    const ipfs = new GatedIPFS()
    const { tracker } = await setup({ concurrentPins: 2 }, pins, { ipfs })
    let done = false
    const recovering = collect(tracker.recoverAll()).finally(() => { done = true })
    await waitFor(async () => (await tracker.pinQueueSize()) >= RECOVER_WINDOW - 2)
    // the listing waits for the workers instead of queueing the whole pinset
    await new Promise((resolve) => setTimeout(resolve, 20))
    assert.ok(await tracker.pinQueueSize() <= RECOVER_WINDOW)
    assert.equal(done, false)
    let max = 0
    const sampler = setInterval(() => { void tracker.pinQueueSize().then((q) => { max = Math.max(max, q) }) }, 1)
    ipfs.open()
    const out = await recovering.finally(() => { clearInterval(sampler) })
    assert.equal(out.length, n)
    assert.ok(max <= RECOVER_WINDOW, `max queued ${max}`)
    await waitFor(() => ipfs.pinned.size === n, 10_000)
  })

  it('stops waiting for room when the caller aborts', async () => {
    const pins = await Promise.all(Array.from({ length: RECOVER_WINDOW + 10 }, async (_, i) => await localPin(i)))
    const ipfs = new GatedIPFS()
    const { tracker } = await setup({ concurrentPins: 1 }, pins, { ipfs })
    const controller = new AbortController()
    const recovering = assert.rejects(collect(tracker.recoverAll({ signal: controller.signal })), { name: 'AbortError' })
    await waitFor(async () => (await tracker.pinQueueSize()) >= RECOVER_WINDOW - 1)
    controller.abort()
    await recovering
    ipfs.open()
  })

  it('fails instead of waiting once the tracker stops', async () => {
    const pins = await Promise.all(Array.from({ length: RECOVER_WINDOW + 10 }, async (_, i) => await localPin(i)))
    const ipfs = new GatedIPFS()
    const { tracker } = await setup({ concurrentPins: 1 }, pins, { ipfs })
    const recovering = assert.rejects(collect(tracker.recoverAll()), { name: 'TrackerStoppedError' })
    await waitFor(async () => (await tracker.pinQueueSize()) >= RECOVER_WINDOW - 1)
    await tracker.stop?.()
    await recovering
    ipfs.open()
  })
})
