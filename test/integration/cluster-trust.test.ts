/**
 * Trust and the private network (spec consensus §3.4, §5): peers 1 and 2 trust only each
 * other; peer 3 trusts everyone (it bootstraps to peer 1) and peer 4 trusts nobody
 * (`trusted_peers: []`, `--no-trust`). Writes of untrusted peers never reach the others,
 * while trusted writes reach everyone who trusts their author. Then a peer with another
 * cluster secret tries to join peer 1.
 */
import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { ClusterPeer, destroyAll, startCluster, waitUntil } from './cluster-harness.js'
import { identityCid } from './content.js'

const sleep = async (ms: number): Promise<void> => { await new Promise((resolve) => setTimeout(resolve, ms)) }
/** Long enough for several rebroadcasts (2 s ±30 %) and pings (2 s). */
const SETTLE = 7_000

describe('cluster trust', () => {
  let peers: ClusterPeer[] = []
  const others: ClusterPeer[] = []
  let p1: ClusterPeer, p2: ClusterPeer, p3: ClusterPeer, p4: ClusterPeer

  before(async () => {
    peers = await startCluster(4, {
      edit: (cfg, i, all) => {
        // peers 1 and 2: only each other (and self); peer 3: everyone (default "*");
        // peer 4: nobody but self, and --no-trust for its bootstrap peer
        if (i === 0) cfg.consensus.crdt.trusted_peers = [all[1].peerId]
        if (i === 1) cfg.consensus.crdt.trusted_peers = [all[0].peerId]
        if (i === 3) cfg.consensus.crdt.trusted_peers = []
      },
      args: (i) => i === 3 ? ['--no-trust'] : []
    })
    ;[p1, p2, p3, p4] = peers
  })
  after(async () => { await destroyAll([...peers, ...others]) })

  const has = async (p: ClusterPeer, cid: string): Promise<boolean> => (await p.pinLs()).includes(cid)

  it('a pin of a trusted peer reaches the peers that trust it, not the one that trusts nobody', async () => {
    const cid = identityCid('pinned by trusted peer 1').toString()
    assert.equal((await p1.ctl(['pin', 'add', cid])).code, 0)
    await waitUntil(async () => await has(p2, cid) && await has(p3, cid), 20_000, 'peer 1 pin never reached peers 2 and 3')
    await sleep(SETTLE)
    assert.deepEqual(await p4.pinLs(), [], 'peer 4 (--no-trust, trusted_peers []) took updates from peer 1')
  })

  it('updates of an untrusted peer do not change the others\' pinset', async () => {
    const mine = identityCid('pinned by untrusted peer 3').toString()
    const r = await p3.ctl(['pin', 'add', mine])
    assert.equal(r.code, 0, r.stdout + r.stderr)
    assert.ok(await has(p3, mine), 'peer 3 sees its own pin')
    // peer 3 also unpins a pin of peer 1: only its own view changes
    const trusted = identityCid('pinned by trusted peer 1').toString()
    assert.equal((await p3.ctl(['pin', 'rm', trusted])).code, 0)
    assert.equal(await has(p3, trusted), false)
    // a later pin by peer 1 still reaches peers 2 and 3, so peer 3's announcements had time to go out
    const later = identityCid('pinned by peer 1 after peer 3 wrote').toString()
    assert.equal((await p1.ctl(['pin', 'add', later])).code, 0)
    await waitUntil(async () => await has(p2, later) && await has(p3, later), 20_000, 'peer 1 pin never reached peers 2 and 3')
    await sleep(SETTLE)
    for (const p of [p1, p2]) {
      assert.deepEqual(await p.pinLs(), [trusted, later].sort(), `pinset of ${p.name}`)
    }
    assert.deepEqual(await p3.pinLs(), [mine, later].sort(), 'pinset of peer 3 (its own view)')
    assert.deepEqual(await p4.pinLs(), [], 'pinset of peer 4')
  })

  it('writes of a peer that trusts nobody reach only the peer that trusts everyone', async () => {
    const cid = identityCid('pinned by peer 4').toString()
    assert.equal((await p4.ctl(['pin', 'add', cid])).code, 0)
    assert.deepEqual(await p4.pinLs(), [cid])
    // peer 3 trusts everyone: it takes the pin; peers 1 and 2 do not
    await waitUntil(async () => await has(p3, cid), 20_000, 'peer 3 (trusting "*") never received peer 4\'s pin')
    await sleep(SETTLE)
    for (const p of [p1, p2]) assert.equal(await has(p, cid), false, `${p.name} took peer 4's pin`)
  })

  it('a peer with another secret cannot join, and peer 1 keeps working', async () => {
    // its own secret from init: different from the cluster's
    const intruder = await ClusterPeer.create('intruder')
    others.push(intruder)
    assert.notEqual(await intruder.secret(), await p1.secret())
    await intruder.start(['--bootstrap', p1.multiaddr])
    await waitUntil(async () => /joining \S+: /.test(intruder.log), 30_000, () => `no join error in the intruder's log:\n${intruder.log}`)
    const line = intruder.log.split('\n').find((l) => /joining \S+: /.test(l)) ?? ''
    assert.match(line, /ERROR/, line)
    assert.ok(line.includes(p1.multiaddr), line)
    assert.ok(line.includes('check that `cluster.secret` is the same on both peers'), line)
    console.log(`intruder: ${line}`)
    await sleep(SETTLE)
    const want = [p1, p2, p3, p4].map((p) => p.peerId).sort()
    for (const p of [p1, p2, p3, p4]) assert.deepEqual(await p.peersLs(), want, `${p.name}'s peers ls (the intruder must not be there)`)
    assert.deepEqual(await intruder.peersLs(), [intruder.peerId], 'the intruder sees cluster peers')
    // peer 1 still pins, and the pin replicates
    const cid = identityCid('after the intruder').toString()
    assert.equal((await p1.ctl(['pin', 'add', cid])).code, 0)
    await waitUntil(async () => await has(p2, cid) && await has(p3, cid), 20_000, 'peer 1 pin after the intruder never replicated')
    assert.equal(await has(intruder, cid), false)
    assert.ok(intruder.running, 'the intruder daemon keeps running')
  })
})
