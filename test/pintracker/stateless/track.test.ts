import { describe, it, afterEach } from 'node:test'
import assert from 'node:assert/strict'
import { waitFor } from '../fake-ipfs.js'
import { IPFS_ADDRS, IPFS_ID, PEER, localPin, remotePin, setup, stopAll } from './helpers.js'

describe('stateless tracker: track and untrack', () => {
  afterEach(stopAll)

  it('moves a pin from queued to pinning to pinned', async () => {
    const a = await localPin(1)
    const b = await localPin(2)
    const { ipfs, tracker } = await setup({ concurrentPins: 1 }, [a, b])
    ipfs.block(a.cid)
    ipfs.block(b.cid)
    await tracker.track(a)
    await waitFor(async () => (await tracker.status(a.cid)).status === 'pinning')
    await tracker.track(b)
    const queued = await tracker.status(b.cid)
    assert.equal(queued.status, 'pin_queued')
    assert.equal(queued.attemptCount, 0)
    assert.equal(await tracker.pinQueueSize(), 1)

    const pinning = await tracker.status(a.cid)
    assert.equal(pinning.attemptCount, 1)
    assert.equal(pinning.priorityPin, true)
    assert.equal(pinning.name, 'pin-1')
    assert.equal(pinning.peer, PEER)
    assert.equal(pinning.peerName, 'peer-one')
    assert.equal(pinning.ipfsPeerId, IPFS_ID)
    assert.deepEqual(pinning.ipfsPeerAddresses, IPFS_ADDRS)
    assert.equal(pinning.created, a.timestamp)

    ipfs.release(a.cid)
    await waitFor(async () => (await tracker.status(a.cid)).status === 'pinned')
    await waitFor(async () => (await tracker.status(b.cid)).status === 'pinning')
    assert.equal(await tracker.pinQueueSize(), 0)
    ipfs.release(b.cid)
    await waitFor(async () => (await tracker.status(b.cid)).status === 'pinned')
    // done operations leave the tracker: the status now comes from state + IPFS
    const done = await tracker.status(a.cid)
    assert.equal(done.attemptCount, 0)
    assert.equal(done.timestamp?.getTime(), Math.floor(a.timestamp!.getTime() / 1000) * 1000)
  })

  it('reports pin_error with the IPFS message and the attempt count', async () => {
    const a = await localPin(1)
    const { ipfs, tracker } = await setup({}, [a])
    ipfs.pinFailures.set(a.cid.toString(), 'pin timed out')
    await tracker.track(a)
    await waitFor(async () => (await tracker.status(a.cid)).status === 'pin_error')
    const info = await tracker.status(a.cid)
    assert.equal(info.error, 'pin timed out')
    assert.equal(info.attemptCount, 1)
  })

  it('does not queue a second operation while the same one is queued or running', async () => {
    const a = await localPin(1)
    const { ipfs, tracker } = await setup({}, [a])
    ipfs.block(a.cid)
    await tracker.track(a)
    await waitFor(() => ipfs.pinCalls(a.cid).length === 1)
    await tracker.track({ ...a, name: 'renamed' })
    const info = await tracker.status(a.cid)
    assert.equal(info.status, 'pinning')
    assert.equal(info.name, 'renamed')
    ipfs.release(a.cid)
    await waitFor(async () => (await tracker.status(a.cid)).status === 'pinned')
    assert.equal(ipfs.pinCalls(a.cid).length, 1)
  })

  it('aborts a running pin when an unpin replaces it', async () => {
    const a = await localPin(1)
    const { ipfs, tracker, state } = await setup({}, [a])
    ipfs.block(a.cid)
    await tracker.track(a)
    await waitFor(() => ipfs.pinCalls(a.cid).length === 1)
    await state.rm(a.cid)
    await tracker.untrack(a.cid)
    await waitFor(() => ipfs.aborted.length === 1)
    assert.deepEqual(ipfs.aborted, [{ op: 'pin', cid: a.cid.toString() }])
    // the unpin has its own gate: release it
    ipfs.release(a.cid)
    await waitFor(() => ipfs.unpinCalls(a.cid).length === 1)
    await waitFor(async () => (await tracker.status(a.cid)).status === 'unpinned')
    const info = await tracker.status(a.cid)
    assert.equal(info.attemptCount, 0)
    assert.equal(info.error, '')
  })

  it('keeps an unpin in unpin_error and carries its attempts to the next unpin', async () => {
    const a = await localPin(1)
    const { ipfs, tracker } = await setup({})
    ipfs.unpinFailures.set(a.cid.toString(), 'error unpinning')
    await tracker.untrack(a.cid)
    await waitFor(async () => (await tracker.status(a.cid)).status === 'unpin_error')
    assert.equal((await tracker.status(a.cid)).attemptCount, 1)
    await tracker.untrack(a.cid)
    await waitFor(async () => { const s = await tracker.status(a.cid); return s.status === 'unpin_error' && s.attemptCount === 2 })
    const info = await tracker.status(a.cid)
    assert.equal(info.status, 'unpin_error')
    assert.equal(info.error, 'error unpinning')
  })

  it('refuses an operation when its queue is full', async () => {
    const [a, b, c] = [await localPin(1), await localPin(2), await localPin(3)]
    const { ipfs, tracker } = await setup({ concurrentPins: 1, maxPinQueueSize: 1 }, [a, b, c])
    ipfs.block(a.cid)
    await tracker.track(a)
    await waitFor(() => ipfs.pinCalls(a.cid).length === 1)
    await tracker.track(b)
    await assert.rejects(tracker.track(c), {
      name: 'QueueFullError',
      message: 'pin/unpin operation queue is full. Try increasing max_pin_queue_size'
    })
    const info = await tracker.status(c.cid)
    assert.equal(info.status, 'pin_error')
    assert.equal(info.error, 'pin/unpin operation queue is full. Try increasing max_pin_queue_size')
    assert.equal(await tracker.pinQueueSize(), 1)
    ipfs.release(a.cid)
    await waitFor(async () => (await tracker.status(b.cid)).status === 'pinned')
    assert.equal(ipfs.pinCalls(c.cid).length, 0)
  })

  it('unpins a remote pin at once and reports it remote', async () => {
    const r = await remotePin(1)
    const { ipfs, tracker } = await setup({}, [r])
    await tracker.track(r)
    assert.deepEqual(ipfs.unpinCalls(r.cid).length, 1)
    assert.equal(ipfs.pinCalls().length, 0)
    const info = await tracker.status(r.cid)
    assert.equal(info.status, 'remote')
    assert.deepEqual(info.allocations, r.allocations)
  })

  it('succeeds when unpinning a remote pin fails, keeping it remote', async () => {
    const r = await remotePin(1)
    const { ipfs, tracker } = await setup({}, [r])
    ipfs.unpinFailures.set(r.cid.toString(), 'ipfs is down')
    await tracker.track(r)
    const info = await tracker.status(r.cid)
    assert.equal(info.status, 'remote')
    assert.equal(info.error, 'ipfs is down')
  })

  it('ignores meta pins', async () => {
    const m = { ...(await localPin(1)), type: 'meta-pin' as const }
    const { ipfs, tracker } = await setup({}, [m])
    await tracker.track(m)
    assert.equal(ipfs.calls.length, 0)
    assert.equal((await tracker.status(m.cid)).status, 'sharded')
  })

  it('aborts in-flight operations on stop, and stops twice', async () => {
    const a = await localPin(1)
    const { ipfs, tracker } = await setup({}, [a])
    ipfs.block(a.cid)
    await tracker.track(a)
    await waitFor(() => ipfs.pinCalls(a.cid).length === 1)
    await tracker.stop?.()
    assert.deepEqual(ipfs.aborted, [{ op: 'pin', cid: a.cid.toString() }])
    await tracker.stop?.()
  })

  it('runs operations tracked before start once started', async () => {
    const a = await localPin(1)
    const { ipfs, tracker } = await setup({}, [a])
    await tracker.stop?.()
    await tracker.track(a)
    assert.equal((await tracker.status(a.cid)).status, 'pin_queued')
    await tracker.start?.()
    await waitFor(async () => (await tracker.status(a.cid)).status === 'pinned')
    assert.equal(ipfs.pinCalls(a.cid).length, 1)
  })
})
