/**
 * A 3-peer cluster of real daemons (trust everyone): joining, replication of pins and
 * added content, convergence of concurrent pins/unpins, and a peer catching up after
 * being down. One cluster serves all the tests, in order.
 */
import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { ClusterPeer, destroyAll, parallel, randomCids, startCluster, waitFormed, waitMetrics, waitUntil } from './cluster-harness.js'
import { identityCid, jsonDocs } from './content.js'

describe('cluster of 3 peers', () => {
  let peers: ClusterPeer[] = []
  let ids: string[] = []

  before(async () => {
    peers = await startCluster(3)
    // allocations (replication factors, adds) need every peer's freespace metric
    await waitMetrics(peers)
    ids = peers.map((p) => p.peerId).sort()
  })
  after(async () => { await destroyAll(peers) })

  /** Waits until `pin ls` is the same on every peer given; returns it. */
  async function converged (on: ClusterPeer[], want: (ls: string[]) => boolean, timeout = 30_000): Promise<string[]> {
    let lists: string[][] = []
    await waitUntil(async () => {
      lists = await Promise.all(on.map(async (p) => await p.pinLs()))
      return lists.every((l) => JSON.stringify(l) === JSON.stringify(lists[0])) && want(lists[0])
    }, timeout, () => `pin ls differs or is not as expected: ${JSON.stringify(lists.map((l, i) => ({ peer: on[i].name, count: l.length })))}`)
    return lists[0]
  }

  it('joins: every peer lists the 3 peers, and id shows 3 cluster peers', async () => {
    // each peer's own IPFS ID, as its `id` says
    const ipfsIds = new Map<string, string>()
    for (const p of peers) ipfsIds.set(p.peerId, jsonDocs((await p.ctl(['--enc=json', 'id'])).stdout)[0].ipfs.id)
    for (const p of peers) {
      // every entry of peers ls carries that peer's IPFS ID (as TestClustersPeers)
      const docs = jsonDocs((await p.ctl(['--enc=json', 'peers', 'ls'])).stdout)
      for (const d of docs) {
        assert.equal(d.error, '', `${p.name}: entry of ${d.id}`)
        assert.equal(d.ipfs.id, ipfsIds.get(d.id), `${p.name}: IPFS ID of ${d.id}`)
      }
      assert.deepEqual(await p.peersLs(), ids, `peers ls on ${p.name}`)
      const r = await p.ctl(['--enc=json', 'id'])
      assert.equal(r.code, 0, r.stdout + r.stderr)
      const id = jsonDocs(r.stdout)[0]
      assert.equal(id.id, p.peerId)
      assert.deepEqual([...id.cluster_peers].sort(), ids, `id.cluster_peers on ${p.name}`)
      // the text output of peers ls names every peer and its peer count
      const text = await p.ctl(['peers', 'ls'])
      assert.equal(text.code, 0)
      for (const other of ids) assert.match(text.stdout, new RegExp(`^${other} \\| peer\\d \\| Sees 2 other peers$`, 'm'))
    }
  })

  it('a pin added on one peer shows on all', async () => {
    const cid = identityCid('pinned on peer 2').toString()
    const r = await peers[1].ctl(['pin', 'add', '--name', 'from-peer-2', cid])
    assert.equal(r.code, 0, r.stdout + r.stderr)
    const ls = await converged(peers, (l) => l.includes(cid), 15_000)
    assert.deepEqual(ls, [cid])
    for (const p of peers) {
      const doc = jsonDocs((await p.ctl(['--enc=json', 'pin', 'ls', cid])).stdout)[0]
      assert.equal(doc.name, 'from-peer-2', `pin name on ${p.name}`)
    }
    // every peer pins it (replication -1: everywhere), as seen from every peer
    await waitUntil(async () => {
      for (const p of peers) {
        const st = jsonDocs((await p.ctl(['--enc=json', 'status', cid])).stdout)[0]
        const statuses = Object.values(st.peer_map).map((e: any) => e.status)
        if (statuses.length !== 3 || statuses.some((s) => s !== 'pinned')) return false
      }
      return true
    }, 20_000, async () => (await peers[0].ctl(['status', cid])).stdout)
    // recover goes to every peer too
    const rec = await peers[2].ctl(['--enc=json', 'recover', cid])
    assert.equal(rec.code, 0, rec.stdout + rec.stderr)
    const info = jsonDocs(rec.stdout)[0]
    assert.deepEqual(Object.keys(info.peer_map).sort(), ids)
    for (const e of Object.values(info.peer_map) as any[]) assert.equal(e.status, 'pinned')
  })

  it('a pin with replication factor 2 is pinned by 2 peers and remote on the third', async () => {
    const cid = identityCid('two copies').toString()
    const r = await peers[0].ctl(['pin', 'add', '--replication', '2', cid])
    assert.equal(r.code, 0, r.stdout + r.stderr)
    const pin = jsonDocs((await peers[0].ctl(['--enc=json', 'pin', 'ls', cid])).stdout)[0]
    assert.equal(pin.allocations.length, 2, JSON.stringify(pin))
    let last = ''
    for (const p of peers) {
      await waitUntil(async () => {
        const st = jsonDocs((last = (await p.ctl(['--enc=json', 'status', cid])).stdout))[0]
        const m = st?.peer_map ?? {}
        return Object.keys(m).length === 3 && pin.allocations.every((a: string) => m[a]?.status === 'pinned') &&
          Object.entries(m).filter(([id]) => !pin.allocations.includes(id)).every(([, e]: [string, any]) => e.status === 'remote')
      }, 20_000, () => `status on ${p.name}: ${last}`)
    }
    assert.equal((await peers[0].ctl(['pin', 'rm', cid])).code, 0)
  })

  it('content added on one peer is streamed to and pinned by all', async () => {
    // a few blocks (chunker of 1 KiB): the blocks exist only on peer 3 before the add sends them
    const file = join(peers[2].dir, 'some-file.bin')
    const content = Buffer.alloc(5000)
    for (let i = 0; i < content.length; i++) content[i] = (i * 7919 + 13) & 0xff
    await writeFile(file, content)
    const r = await peers[2].ctl(['add', '--chunker', 'size-1024', '--quieter', file])
    assert.equal(r.code, 0, r.stdout + r.stderr)
    const cid = r.stdout.trim()
    assert.match(cid, /^(Qm|bafy)\w+$/)
    let last = ''
    await waitUntil(async () => {
      const st = await peers[0].ctl(['--enc=json', 'status', cid])
      last = st.stdout
      const doc = jsonDocs(st.stdout)[0]
      const entries = Object.entries(doc?.peer_map ?? {})
      return entries.length === 3 && entries.every(([, e]: [string, any]) => e.status === 'pinned')
    }, 30_000, () => `status on peer1: ${last}`)
    const doc = jsonDocs(last)[0]
    assert.deepEqual(Object.keys(doc.peer_map).sort(), ids)
    // the text form too
    const text = await peers[0].ctl(['status', cid])
    assert.equal(text.stdout.match(/: PINNED \|/g)?.length, 3, text.stdout)
    for (const p of peers) {
      const ls = await p.pinLs()
      assert.ok(ls.includes(cid), `${p.name} lists the added CID`)
    }
    // with replication 2, the blocks go to the 2 allocated peers only: pinned there, remote on the third
    content[0] ^= 0xff
    await writeFile(file, content)
    const r2 = await peers[2].ctl(['add', '--chunker', 'size-1024', '--rmin', '2', '--rmax', '2', '--quieter', file])
    assert.equal(r2.code, 0, r2.stdout + r2.stderr)
    const cid2 = r2.stdout.trim()
    const pin = jsonDocs((await peers[0].ctl(['--enc=json', 'pin', 'ls', cid2])).stdout)[0]
    assert.equal(pin.allocations.length, 2, JSON.stringify(pin))
    await waitUntil(async () => {
      last = (await peers[0].ctl(['--enc=json', 'status', cid2])).stdout
      const m = jsonDocs(last)[0]?.peer_map ?? {}
      return Object.keys(m).length === 3 && Object.entries(m).every(([id, e]: [string, any]) => e.status === (pin.allocations.includes(id) ? 'pinned' : 'remote'))
    }, 30_000, () => `status on peer1: ${last}`)
  })

  it('concurrent pins and unpins on different peers converge to the same pinset', async () => {
    const before = await peers[0].pinLs()
    // identity CIDs of random bytes: unfetchable content would keep the trackers' pin
    // workers busy for pin_timeout (2 min) and stall the pins of the next test
    const batches = await Promise.all(peers.map(async () => await randomCids(50, 'identity')))
    // 50 pins on each peer, the three peers at once, 10 requests in flight per peer
    await Promise.all(peers.map(async (p, i) => { await parallel(batches[i], 10, async (cid) => { await p.restPin(cid) }) }))
    // 20 of each peer's pins unpinned from the next peer, again all at once; the unpinning
    // peer must have received those pins first (an unpin of an unknown pin is refused)
    const removed = batches.map((b) => b.slice(0, 20))
    await Promise.all(peers.map(async (_, i) => {
      const from = peers[(i + 1) % 3]
      await waitUntil(async () => {
        const ls = new Set(await from.pinLs())
        return removed[i].every((c) => ls.has(c))
      }, 20_000, () => `${from.name} never received the pins of ${peers[i].name}`)
      await parallel(removed[i], 10, async (cid) => { await from.restUnpin(cid) })
    }))
    const want = [...before, ...batches.flatMap((b) => b.slice(20))].sort()
    const ls = await converged(peers, (l) => l.length === want.length, 30_000)
    assert.deepEqual(ls, want)
    // the full text listings (names, allocations, options) are the same too
    const texts = await Promise.all(peers.map(async (p) => (await p.ctl(['pin', 'ls'])).stdout.split('\n').sort().join('\n')))
    assert.equal(texts[1], texts[0])
    assert.equal(texts[2], texts[0])
    // every tracker follows: the remaining new pins are PINNED on all 3 peers, as peer 1's status says
    let bad: string[] = []
    await waitUntil(async () => {
      const r = await peers[0].ctl(['--enc=json', 'status'])
      const infos = jsonDocs(r.stdout)
      const byCid = new Map(infos.map((i) => [i.cid as string, i]))
      bad = batches.flatMap((b) => b.slice(20)).filter((c) => {
        const entries = Object.values(byCid.get(c)?.peer_map ?? {}) as any[]
        return entries.length !== 3 || entries.some((e) => e.status !== 'pinned')
      })
      return bad.length === 0 && infos.length === want.length
    }, 30_000, () => `${bad.length} pins not PINNED on all peers, e.g. ${bad.slice(0, 3).join(', ')}`)
    // and the removed ones are unpinned on all 3
    for (const r of removed) {
      const st = jsonDocs((await peers[1].ctl(['--enc=json', 'status', r[0]])).stdout)[0]
      const entries = Object.values(st.peer_map) as any[]
      assert.equal(entries.length, 3)
      for (const e of entries) assert.equal(e.status, 'unpinned', `status of removed ${r[0]}`)
    }
    // an unpin of something already unpinned (elsewhere) is refused everywhere
    for (const p of peers) {
      const r = await p.ctl(['pin', 'rm', removed[0][0]])
      assert.equal(r.code, 2, `${p.name}: ${r.stdout}${r.stderr}`)
      assert.match(r.stdout, /pin is not part of the pinset/)
    }
  })

  it('a peer that was down catches up on restart', async () => {
    const [p1, p2, p3] = peers
    const code = await p3.stop('SIGTERM')
    assert.equal(code, 0, `peer 3 exit code\n${p3.log}`)
    const before = await p1.pinLs()
    // 20 new pins and 5 unpins while it is down
    const extra = await randomCids(20, 'identity')
    await parallel(extra, 5, async (cid) => { await p1.restPin(cid) })
    const gone = before.slice(0, 5)
    await parallel(gone, 5, async (cid) => { await p1.restUnpin(cid) })
    const want = [...before.slice(5), ...extra].sort()
    await converged([p1, p2], (l) => l.length === want.length, 15_000)
    // peer 3 leaves the peerset once its ping expires (2 ping intervals)
    const two = [p1.peerId, p2.peerId].sort()
    await waitUntil(async () => JSON.stringify(await p1.peersLs()) === JSON.stringify(two) && JSON.stringify(await p2.peersLs()) === JSON.stringify(two),
      20_000, 'peer 3 never left the peerset of peers 1 and 2')
    // and the status of a pin lists the two live peers only (TestClustersStatusAllWithErrors, CRDT)
    const st = jsonDocs((await p1.ctl(['--enc=json', 'status', extra[0]])).stdout)[0]
    assert.deepEqual(Object.keys(st.peer_map).sort(), two)
    // same folder, no --bootstrap: the peerstore written at shutdown brings it back
    const peerstore = await readFile(join(p3.dir, 'peerstore'), 'utf8')
    for (const p of [p1, p2]) assert.ok(peerstore.includes(p.multiaddr), `peer 3's peerstore has ${p.multiaddr}:\n${peerstore}`)
    await p3.start()
    await waitFormed(peers, 30_000)
    const ls = await converged(peers, (l) => l.length === want.length, 30_000)
    assert.deepEqual(ls, want)
    // peer 3's tracker followed: the removed pins are unpinned on all 3, the new ones
    // PINNED everywhere, asked from peer 3
    const gst = jsonDocs((await p3.ctl(['--enc=json', 'status', gone[0]])).stdout)[0]
    assert.deepEqual(Object.keys(gst.peer_map).sort(), ids)
    for (const e of Object.values(gst.peer_map) as any[]) assert.equal(e.status, 'unpinned', `status of ${gone[0]}`)
    let last = ''
    await waitUntil(async () => {
      const r = await p3.ctl(['--enc=json', 'status', extra[19]])
      last = r.stdout
      const entries = Object.values(jsonDocs(r.stdout)[0]?.peer_map ?? {}) as any[]
      return entries.length === 3 && entries.every((e) => e.status === 'pinned')
    }, 20_000, () => `status on peer 3: ${last}`)
  })

  it('shuts down cleanly, and every peerstore file lists the other peers', async () => {
    const codes = await Promise.all(peers.map(async (p) => await p.stop('SIGTERM')))
    assert.deepEqual(codes, [0, 0, 0], peers.map((p) => `${p.name}:\n${p.log.split('\n').slice(-5).join('\n')}`).join('\n'))
    for (const p of peers) {
      const text = await readFile(join(p.dir, 'peerstore'), 'utf8')
      for (const other of peers) {
        if (other !== p) assert.ok(text.includes(other.multiaddr), `${p.name}'s peerstore lacks ${other.multiaddr}:\n${text}`)
      }
    }
  })
})
