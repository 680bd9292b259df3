import { describe, it, afterEach } from 'node:test'
import assert from 'node:assert/strict'
import { parseStatusFilter } from '../../../src/api/common/status.js'
import { waitFor } from '../fake-ipfs.js'
import { IPFS_ID, PEER, cidOf, collect, localPin, remotePin, setup, stopAll } from './helpers.js'
import type { Harness } from './helpers.js'
import type { Pin, PinInfo } from '../../../src/interface/types.js'

const f = (s: string): number => parseStatusFilter(s).filter
const byName = (infos: PinInfo[]): Record<string, string> =>
  Object.fromEntries(infos.map((i) => [i.name === '' ? i.cid.toString() : i.name, i.status]))

interface Fixture extends Harness {
  pins: Record<'p1' | 'p2' | 'p3' | 'meta' | 'remote' | 'busy', Pin>
}

/**
 * p1 pinned recursive, p2 pinned direct, p3 missing from IPFS, a meta pin, a remote
 * pin, `busy` being pinned, and an unpin error for a CID not in the state.
 */
async function fixture (opts: { keyless?: boolean } = {}): Promise<Fixture> {
  const p1 = await localPin(1)
  const p2 = await localPin(2, { mode: 'direct' })
  const p3 = await localPin(3)
  const meta = { ...(await localPin(4)), type: 'meta-pin' as const }
  const remote = { ...(await remotePin(5)), name: 'pin-5' }
  const busy = await localPin(6)
  const h = await setup({}, [p1, p2, p3, meta, remote, busy], opts)
  h.ipfs.pinned.set(p1.cid.toString(), { cid: p1.cid, type: 'recursive' })
  h.ipfs.pinned.set(p2.cid.toString(), { cid: p2.cid, type: 'direct' })
  h.ipfs.block(busy.cid)
  await h.tracker.track(busy)
  await waitFor(() => h.ipfs.pinCalls(busy.cid).length === 1)
  const gone = await cidOf(7)
  h.ipfs.unpinFailures.set(gone.toString(), 'cannot unpin')
  await h.tracker.untrack(gone)
  await waitFor(async () => (await h.tracker.status(gone)).status === 'unpin_error')
  return { ...h, pins: { p1, p2, p3, meta, remote, busy } }
}

describe('stateless tracker: status', () => {
  afterEach(stopAll)

  it('reports pinned, unexpectedly_unpinned, sharded, remote and unpinned', async () => {
    const { tracker, pins } = await fixture()
    assert.equal((await tracker.status(pins.p1.cid)).status, 'pinned')
    assert.equal((await tracker.status(pins.p2.cid)).status, 'pinned')
    const missing = await tracker.status(pins.p3.cid)
    assert.equal(missing.status, 'unexpectedly_unpinned')
    assert.equal(missing.error, 'the item should be pinned but it is not')
    assert.equal((await tracker.status(pins.meta.cid)).status, 'sharded')
    assert.equal((await tracker.status(pins.remote.cid)).status, 'remote')
    assert.equal((await tracker.status(pins.busy.cid)).status, 'pinning')
    const absent = await tracker.status(await cidOf(99))
    assert.equal(absent.status, 'unpinned')
    assert.equal(absent.peer, PEER)
    assert.equal(absent.ipfsPeerId, IPFS_ID)
  })

  it('fills the PinInfo from the stored pin', async () => {
    const { tracker, pins } = await fixture()
    const info = await tracker.status(pins.p1.cid)
    assert.equal(info.name, 'pin-1')
    assert.deepEqual(info.allocations, [])
    assert.deepEqual(info.origins, [])
    assert.equal(info.metadata, undefined)
    const secs = Math.floor(pins.p1.timestamp!.getTime() / 1000) * 1000
    assert.equal(info.created?.getTime(), secs)
    assert.equal(info.timestamp?.getTime(), secs)
    assert.equal(info.peerName, 'peer-one')
  })

  it('reports cluster_error when IPFS cannot tell', async () => {
    const { tracker, ipfs, pins } = await fixture()
    ipfs.pinLsCidError = new Error('ipfs unreachable')
    const info = await tracker.status(pins.p1.cid)
    assert.equal(info.status, 'cluster_error')
    assert.equal(info.error, 'ipfs unreachable')
  })
})

for (const keyless of [false, true]) {
  describe(`stateless tracker: statusAll${keyless ? ' (state without key bytes)' : ''}`, () => {
    afterEach(stopAll)

    it('lists every state item, with both recursive and direct IPFS pins pinned', async () => {
      const { tracker, pins } = await fixture({ keyless })
      const all = await collect(tracker.statusAll(0))
      assert.deepEqual(byName(all), {
        'pin-1': 'pinned',
        'pin-2': 'pinned',
        'pin-3': 'unexpectedly_unpinned',
        'pin-4': 'sharded',
        'pin-5': 'remote',
        'pin-6': 'pinning'
      })
      const p3 = all.find((i) => i.name === 'pin-3')!
      assert.equal(p3.error, 'the item should be pinned but it is not')
      assert.equal(p3.cid.toString(), pins.p3.cid.toString())
      assert.ok(p3.cid.equals(pins.p3.cid))
      assert.equal(p3.timestamp?.getTime(), Math.floor(pins.p3.timestamp!.getTime() / 1000) * 1000)
      assert.equal(p3.created?.getTime(), p3.timestamp?.getTime())
      assert.equal(p3.ipfsPeerId, IPFS_ID)
      assert.equal(p3.peer, PEER)
      const remote = all.find((i) => i.name === 'pin-5')!
      assert.deepEqual(remote.allocations, pins.remote.allocations)
    })

    it('filters on state statuses', async () => {
      const { tracker } = await fixture({ keyless })
      assert.deepEqual(byName(await collect(tracker.statusAll(f('pinned')))), { 'pin-1': 'pinned', 'pin-2': 'pinned' })
      assert.deepEqual(byName(await collect(tracker.statusAll(f('sharded,remote')))), { 'pin-4': 'sharded', 'pin-5': 'remote' })
    })

    it('answers operation-only filters from the operations, without IPFS', async () => {
      const { tracker, ipfs, pins } = await fixture({ keyless })
      const calls = ipfs.pinLsCalls
      const errors = await collect(tracker.statusAll(f('error')))
      assert.equal(errors.length, 1)
      assert.equal(errors[0].status, 'unpin_error')
      assert.equal(errors[0].error, 'cannot unpin')
      assert.deepEqual(byName(await collect(tracker.statusAll(f('pinning')))), { 'pin-6': 'pinning' })
      assert.equal(ipfs.pinLsCalls, calls)
      // sharded/remote need the state but not IPFS
      await collect(tracker.statusAll(f('remote')))
      assert.equal(ipfs.pinLsCalls, calls)
      ipfs.release(pins.busy.cid)
    })

    it('uses the computed status of an item whose operation does not match the filter', async () => {
      const { tracker } = await fixture({ keyless })
      // pin-6 is pinning, not in IPFS yet: as in Go, it shows up as unexpectedly unpinned
      assert.deepEqual(byName(await collect(tracker.statusAll(f('unexpectedly_unpinned')))), {
        'pin-3': 'unexpectedly_unpinned',
        'pin-6': 'unexpectedly_unpinned'
      })
    })

    it('asks IPFS page by page, with every item matched to its own answer', async () => {
      // 1,300 items over three pages: every 3rd pinned, every 5th remote, every 7th sharded
      const pins: Pin[] = []
      for (let i = 0; i < 1300; i++) {
        if (i % 7 === 0) pins.push({ ...(await localPin(1000 + i)), type: 'meta-pin' as const })
        else if (i % 5 === 0) pins.push(await remotePin(1000 + i))
        else pins.push(await localPin(1000 + i))
      }
      const h = await setup({}, pins, { keyless })
      pins.forEach((p, i) => { if (i % 3 === 0) h.ipfs.pinned.set(p.cid.toString(), { cid: p.cid, type: 'recursive' }) })
      const asked: number[] = []
      const inner = h.ipfs.pinLsCids.bind(h.ipfs)
      h.ipfs.pinLsCids = async (cids) => { asked.push(cids.length); return await inner(cids) }
      const expected = new Map(pins.map((p, i) => [p.cid.toString(),
        i % 7 === 0 ? 'sharded' : i % 5 === 0 ? 'remote' : i % 3 === 0 ? 'pinned' : 'unexpectedly_unpinned']))
      const all = await collect(h.tracker.statusAll(0))
      assert.equal(all.length, pins.length)
      for (const info of all) assert.equal(info.status, expected.get(info.cid.toString()), info.cid.toString())
      // bounded lookups, and only the local items are asked about
      assert.ok(asked.length >= 3 && asked.every((n) => n <= 512), String(asked))
      assert.equal(asked.reduce((a, b) => a + b, 0), [...expected.values()].filter((s) => s === 'pinned' || s === 'unexpectedly_unpinned').length)
      assert.equal((await collect(h.tracker.statusAll(f('pinned')))).length, [...expected.values()].filter((s) => s === 'pinned').length)
    })

    it('fails when IPFS cannot list its pins', async () => {
      const { tracker, ipfs } = await fixture({ keyless })
      ipfs.pinLsError = new Error('connection refused')
      await assert.rejects(collect(tracker.statusAll(0)), {
        name: 'IPFSError',
        message: 'could not get pinset from IPFS: connection refused'
      })
    })
  })
}
