/**
 * Batched CRDT ingest survives a crash (spec consensus §3.6): with batching on, a pin is
 * acknowledged before it is in a delta. A peer SIGKILLed right after acknowledging
 * thousands of pins, some of them still in an uncommitted batch, must bring every
 * acknowledged pin back on restart and deliver it to the other peer.
 */
import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { ClusterPeer, destroyAll, parallel, randomCids, startCluster, waitUntil } from './cluster-harness.js'

const BATCH_SIZE = 500
/** 10,000 pins plus half a batch: the last batch is certainly partial when the peer dies. */
const TOTAL = 10_000 + BATCH_SIZE / 2
const CONCURRENCY = 20

describe('batched ingest and SIGKILL', () => {
  let peers: ClusterPeer[] = []

  before(async () => {
    peers = await startCluster(2, {
      edit: (cfg) => { cfg.consensus.crdt.batching = { max_batch_size: BATCH_SIZE, max_batch_age: '60s' } }
    })
  })
  after(async () => { await destroyAll(peers) })

  it(`loses none of ${TOTAL} acknowledged pins when the peer is killed before the batch age`, async () => {
    const [p1, p2] = peers
    const cids = await randomCids(TOTAL)
    const acked = new Set<string>()
    const t0 = Date.now()
    await parallel(cids, CONCURRENCY, async (cid) => {
      await p1.restPin(cid)
      acked.add(cid)
    })
    const ingestMs = Date.now() - t0
    await p1.kill()
    assert.equal(acked.size, TOTAL)
    // the kill came before the last (partial) batch could be committed: peer 2 misses pins
    const seenBefore = await p2.allocations()
    assert.ok(seenBefore.length < TOTAL, `peer 2 already had all ${TOTAL} pins before the restart: nothing was at risk`)
    const want = [...acked].sort()

    // restarted as it was first started (no flags): killed, it wrote no peerstore file, so
    // peer 2 finds it again (re-bootstrap of known peers, every 30 s)
    await p1.start()
    // the journal of acknowledged items is committed before the peer is ready
    assert.equal((await p1.allocations()).length, TOTAL, 'peer 1 right after its restart')
    const counts = { p1: 0, p2: 0 }
    await waitUntil(async () => {
      const [a, b] = await Promise.all([p1.allocations(), p2.allocations()])
      counts.p1 = a.length
      counts.p2 = b.length
      return a.length >= TOTAL && b.length >= TOTAL
    }, 90_000, () => `pins after restart: ${JSON.stringify(counts)} of ${TOTAL} (peer 2 had ${seenBefore.length} before)`, 1000)
    // exactly the acknowledged pins, as `pin ls` shows them on both peers
    assert.deepEqual(await p1.pinLs(), want, 'peer 1 pin ls')
    assert.deepEqual(await p2.pinLs(), want, 'peer 2 pin ls')
    console.log(`ingest of ${TOTAL} pins: ${ingestMs} ms; peer 2 had ${seenBefore.length} at the kill`)
  })

  it('keeps every pin acknowledged before a SIGKILL that comes in the middle of the stream', async () => {
    const [p1, p2] = peers
    const before = await p1.allocations()
    const cids = await randomCids(4_000)
    const acked = new Set<string>()
    const sent = new Set<string>()
    const KILL_AT = 2_777
    let killed: Promise<void> | undefined
    await parallel(cids, CONCURRENCY, async (cid) => {
      if (killed != null) return
      sent.add(cid)
      try {
        await p1.restPin(cid)
      } catch {
        return // in flight when the peer died: may or may not be kept
      }
      acked.add(cid)
      // acknowledgements keep arriving while others are in flight: kill at once, mid-stream
      if (acked.size === KILL_AT) killed = p1.kill()
    })
    await killed
    assert.ok(acked.size >= KILL_AT && sent.size > acked.size, `acked ${acked.size}, sent ${sent.size}`)
    await p1.start(['--bootstrap', p2.multiaddr])
    const counts = { p1: 0, p2: 0 }
    const missing = (ls: string[]): string[] => { const set = new Set(ls); return [...acked].filter((c) => !set.has(c)) }
    await waitUntil(async () => {
      const [a, b] = await Promise.all([p1.allocations(), p2.allocations()])
      counts.p1 = missing(a).length
      counts.p2 = missing(b).length
      return counts.p1 === 0 && counts.p2 === 0
    }, 60_000, () => `acknowledged pins missing after restart: ${JSON.stringify(counts)} of ${acked.size}`, 1000)
    // nothing else appeared: the pinset is the old one plus acknowledged or in-flight pins
    const [a, b] = await Promise.all([p1.pinLs(), p2.pinLs()])
    assert.deepEqual(b, a, 'both peers list the same pins')
    const allowed = new Set([...before, ...sent])
    assert.deepEqual(a.filter((c) => !allowed.has(c)), [])
  })
})
