/**
 * Multi-peer scenarios of spec/tests-inventory.md §1 and §4 that need no allocation
 * metrics, on a 3-peer cluster of real daemons (one cluster for all, in order):
 * TestClustersPinUpdate, TestClustersPinDirect, TestClustersRecover / RecoverLocal /
 * RecoverAll, TestClustersGraphConnected, TestRepoGC, TestClusterPinsWithExpiration,
 * TestClustersFollowerMode, TestClustersJoinBadPeer, TestClustersGraphUnhealthy,
 * TestClusterAlerts and TestClustersPeerRejoin.
 */
import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import multicastDns from 'multicast-dns'
import { ClusterPeer, destroyAll, randomCids, startCluster, waitFormed, waitMetrics, waitUntil } from './cluster-harness.js'
import { identityCid, jsonDocs } from './content.js'

/** A pin of content that exists nowhere fails after this (no progress). */
const PIN_TIMEOUT = '2s'

describe('cluster scenarios (3 peers)', () => {
  let peers: ClusterPeer[] = []
  const extra: ClusterPeer[] = []
  let ids: string[] = []

  before(async () => {
    peers = await startCluster(3, {
      edit: (cfg, i) => {
        cfg.ipfs_connector.embedded.pin_timeout = PIN_TIMEOUT
        cfg.cluster.state_sync_interval = '2s'
        // as TestClustersPeerRejoin's peer 0
        if (i === 0) cfg.cluster.leave_on_shutdown = true
      }
    })
    ids = peers.map((p) => p.peerId).sort()
  })
  after(async () => { await destroyAll([...peers, ...extra]) })

  const json = async (p: ClusterPeer, args: string[]): Promise<any[]> => {
    const r = await p.ctl(['--enc=json', ...args])
    assert.equal(r.code, 0, `${p.name}: ${args.join(' ')}: ${r.stdout}${r.stderr}`)
    return jsonDocs(r.stdout)
  }

  /** Waits until every peer of `on` has `cid` in its pinset, with `check` true for it. */
  async function pinEverywhere (on: ClusterPeer[], cid: string, check: (pin: any) => boolean = () => true): Promise<any[]> {
    let last: any[] = []
    await waitUntil(async () => {
      last = await Promise.all(on.map(async (p) => (await json(p, ['pin', 'ls'])).find((d) => d.cid === cid)))
      return last.every((d) => d != null && check(d))
    }, 20_000, () => `pin ${cid}: ${JSON.stringify(last)}`)
    return last
  }

  /** Waits until the global status of `cid` seen from `from` has `n` entries, all `status`. */
  async function statusEverywhere (from: ClusterPeer, cid: string, status: string, n = 3, timeout = 20_000): Promise<any> {
    let last: any
    await waitUntil(async () => {
      last = (await json(from, ['status', cid]))[0]
      const entries = Object.values(last?.peer_map ?? {}) as any[]
      return entries.length === n && entries.every((e) => e.status === status)
    }, timeout, () => `status of ${cid} on ${from.name}: ${JSON.stringify(last)}`)
    return last
  }

  it('pin update copies the pin of another CID with the new options, on every peer (TestClustersPinUpdate)', async () => {
    const from = identityCid('update from').toString()
    const to = identityCid('update to').toString()
    // an update from a CID that is not pinned is refused
    const bad = await peers[0].ctl(['pin', 'update', from, to])
    assert.notEqual(bad.code, 0)
    assert.match(bad.stdout + bad.stderr, /pin is not part of the pinset/)
    assert.equal((await peers[0].ctl(['pin', 'add', '--name', 'old name', from])).code, 0)
    await pinEverywhere(peers, from)
    const r = await peers[1].ctl(['pin', 'update', '--name', 'new name', '--expire-in', '8760h', from, to])
    assert.equal(r.code, 0, r.stdout + r.stderr)
    const docs = await pinEverywhere(peers, to)
    for (const d of docs) {
      assert.equal(d.name, 'new name')
      assert.deepEqual(d.allocations, [])
      assert.equal(d.max_depth, -1)
      assert.equal(d.replication_factor_min, -1)
      // one year from now, the same on every peer (second precision)
      assert.equal(d.expire_at, docs[0].expire_at)
      const left = Date.parse(d.expire_at) - Date.now()
      assert.ok(left > 364 * 86_400_000 && left <= 365 * 86_400_000, d.expire_at)
    }
    await statusEverywhere(peers[2], to, 'pinned')
  })

  it('a direct pin is direct everywhere, becomes recursive, and cannot go back (TestClustersPinDirect)', async () => {
    const cid = identityCid('direct pin').toString()
    assert.equal((await peers[0].ctl(['pin', 'add', '--mode', 'direct', cid])).code, 0)
    for (const d of await pinEverywhere(peers, cid)) {
      assert.equal(d.mode, 'direct')
      assert.equal(d.max_depth, 0)
    }
    const st = await statusEverywhere(peers[1], cid, 'pinned')
    for (const e of Object.values(st.peer_map) as any[]) assert.equal(e.error, '')
    assert.equal((await peers[1].ctl(['pin', 'add', '--mode', 'recursive', cid])).code, 0)
    for (const d of await pinEverywhere(peers, cid, (d) => d.mode === 'recursive')) assert.equal(d.max_depth, -1)
    await statusEverywhere(peers[0], cid, 'pinned')
    const down = await peers[2].ctl(['pin', 'add', '--mode', 'direct', cid])
    assert.notEqual(down.code, 0, down.stdout)
    assert.match(down.stdout + down.stderr, /recursive/)
  })

  it('recover re-queues a failing pin on every peer, and recover --all only the failing ones (TestClustersRecover*)', async () => {
    // content that exists nowhere: every peer's pin fails after pin_timeout
    const [failing] = await randomCids(1)
    const fine = identityCid('recover fine').toString()
    assert.equal((await peers[0].ctl(['pin', 'add', '--no-status', failing])).code, 0)
    assert.equal((await peers[0].ctl(['pin', 'add', '--no-status', fine])).code, 0)
    await statusEverywhere(peers[0], failing, 'pin_error', 3, 30_000)
    await statusEverywhere(peers[0], fine, 'pinned')

    // RecoverLocal: accepted, and the item fails again
    const local = await json(peers[1], ['recover', '--local', failing])
    assert.equal(local.length, 1)
    assert.deepEqual(Object.keys(local[0].peer_map), [peers[1].peerId])
    // Recover: every peer answers; the queried peer's error is set again once it failed
    const rec = (await json(peers[2], ['recover', failing]))[0]
    assert.deepEqual(Object.keys(rec.peer_map).sort(), ids)
    const st = await statusEverywhere(peers[2], failing, 'pin_error', 3, 30_000)
    assert.notEqual(st.peer_map[peers[2].peerId].error, '')
    const ok = (await json(peers[2], ['recover', fine]))[0]
    assert.equal(ok.cid, fine)
    assert.deepEqual(Object.keys(ok.peer_map).sort(), ids)
    for (const e of Object.values(ok.peer_map) as any[]) assert.equal(e.status, 'pinned')
    // RecoverAll: the failing CID only, with an entry for every peer
    const all = await json(peers[0], ['recover'])
    assert.deepEqual(all.map((g) => g.cid), [failing])
    assert.deepEqual(Object.keys(all[0].peer_map).sort(), ids)
    await statusEverywhere(peers[0], failing, 'pin_error', 3, 30_000)
    assert.equal((await peers[0].ctl(['pin', 'rm', '--no-status', failing])).code, 0)
    await statusEverywhere(peers[0], failing, 'unpinned')
  })

  const graph = async (p: ClusterPeer): Promise<any> => {
    const res = await fetch(`${p.url}/health/graph`)
    assert.equal(res.status, 200)
    return await res.json()
  }

  it('health graph shows every cluster and IPFS connection (TestClustersGraphConnected)', async () => {
    const ipfsIds = new Map<string, string>()
    for (const p of peers) ipfsIds.set(p.peerId, (await json(p, ['id']))[0].ipfs.id)
    let g: any
    await waitUntil(async () => {
      g = await graph(peers[1])
      // the embedded IPFS nodes connect to each other (connect swarms) on the ping loop
      return ids.every((id) => (g.ipfs_links?.[ipfsIds.get(id) ?? ''] ?? []).length === 2)
    }, 30_000, () => `graph: ${JSON.stringify(g)}`)
    assert.deepEqual(Object.keys(g.cluster_links).sort(), ids)
    for (const id of ids) {
      assert.deepEqual([...g.cluster_links[id]].sort(), ids.filter((x) => x !== id), `cluster links of ${id}`)
      assert.equal(g.cluster_to_ipfs[id], ipfsIds.get(id))
      assert.deepEqual([...g.ipfs_links[ipfsIds.get(id) ?? '']].sort(), [...ipfsIds.entries()].filter(([p]) => p !== id).map(([, i]) => i).sort())
    }
    assert.deepEqual(Object.keys(g.cluster_trust_links).sort(), ids)
    const text = await peers[1].ctl(['health', 'graph'])
    assert.equal(text.code, 0)
    assert.match(text.stdout, /^digraph cluster \{/)
  })

  it('ipfs gc runs on every peer and removes the blocks of unpinned content (TestRepoGC)', async () => {
    // a few blocks on every peer (replication everywhere), then unpinned
    const file = join(peers[0].dir, 'gc-me.bin')
    await writeFile(file, Buffer.alloc(3000, 7))
    const add = await peers[0].ctl(['add', '--chunker', 'size-1024', '--quieter', file])
    assert.equal(add.code, 0, add.stdout + add.stderr)
    const root = add.stdout.trim()
    await statusEverywhere(peers[0], root, 'pinned', 3, 30_000)
    assert.equal((await peers[0].ctl(['pin', 'rm', '--no-status', root])).code, 0)
    await statusEverywhere(peers[0], root, 'unpinned')
    const gc = (await json(peers[2], ['ipfs', 'gc']))[0]
    assert.deepEqual(Object.keys(gc.peer_map).sort(), ids)
    for (const [id, e] of Object.entries(gc.peer_map) as Array<[string, any]>) {
      assert.equal(e.peer, id)
      assert.equal(e.error, undefined, JSON.stringify(e))
      assert.ok(e.keys.some((k: any) => k.key === root), `${id} did not collect ${root}: ${JSON.stringify(e.keys)}`)
    }
  })

  it('health bandwidth counts the bytes of the cluster protocols', async () => {
    const res = await fetch(`${peers[0].url}/health/bandwidth`)
    assert.equal(res.status, 200)
    const bw = await res.json() as Record<string, { total_in: number, total_out: number, rate_in: number, rate_out: number }>
    // RPC (status, recover, gc above) and pubsub (pings, CRDT heads) both ways
    const meshsub = Object.keys(bw).find((p) => p.startsWith('/meshsub/')) ?? '/meshsub/'
    for (const protocol of ['/ipfscluster/1.0/rpc', meshsub]) {
      const st = bw[protocol]
      assert.ok(st != null, `${protocol} missing: ${Object.keys(bw).join(' ')}`)
      assert.ok(st.total_in > 0 && st.total_out > 0, `${protocol}: ${JSON.stringify(st)}`)
    }
    const text = await peers[0].ctl(['health', 'bandwidth'])
    assert.equal(text.code, 0)
    assert.match(text.stdout, /^\s*\/ipfscluster\/1\.0\/rpc: In: +\S+ \S*B\. Out: +\S+ \S*B\. RateIn: \d+\.\d\dB\/s\. RateOut: \d+\.\d\dB\/s$/m)
  })

  it('an expired pin is removed by exactly one peer, the closest (TestClusterPinsWithExpiration)', async () => {
    const cid = identityCid('expires soon').toString()
    assert.equal((await peers[0].ctl(['pin', 'add', '--no-status', '--expire-in', '3s', cid])).code, 0)
    await pinEverywhere(peers, cid)
    // state_sync_interval is 2 s
    await waitUntil(async () => (await Promise.all(peers.map(async (p) => await p.pinLs()))).every((ls) => !ls.includes(cid)),
      20_000, `${cid} still pinned`)
    const unpinners = peers.filter((p) => p.log.includes(`unpinning ${cid}: the pin expired`))
    assert.equal(unpinners.length, 1, peers.map((p) => `${p.name}: ${p.log.split('\n').filter((l) => l.includes(cid)).join(' / ')}`).join('\n'))
  })

  it('a follower gets the pinset, refuses pins and answers status for itself (TestClustersFollowerMode)', async () => {
    const follower = await ClusterPeer.create('follower', (cfg) => { cfg.cluster.follower_mode = true })
    extra.push(follower)
    const secret = await peers[0].secret()
    await follower.editConfig((cfg) => { cfg.cluster.secret = secret })
    await follower.start(['--bootstrap', peers[0].multiaddr])
    const want = await peers[0].pinLs()
    await waitUntil(async () => JSON.stringify(await follower.pinLs()) === JSON.stringify(want), 30_000, 'the follower did not get the pinset')
    const cid = identityCid('not on a follower').toString()
    const followerError = /this peer is configured to be in follower mode/
    for (const args of [['pin', 'add', cid], ['pin', 'rm', want[0]], ['pin', 'update', want[0], cid]]) {
      const r = await follower.ctl(args)
      assert.notEqual(r.code, 0, `${args.join(' ')}: ${r.stdout}`)
      assert.match(r.stdout + r.stderr, followerError, args.join(' '))
    }
    // an add fails too: its blocks cannot be allocated from a follower
    const file = join(follower.dir, 'on-a-follower.txt')
    await writeFile(file, 'not on a follower')
    const add = await follower.ctl(['add', file])
    assert.notEqual(add.code, 0, add.stdout)
    assert.match(add.stdout + add.stderr, followerError)
    const st = (await json(follower, ['status', want[0]]))[0]
    assert.deepEqual(Object.keys(st.peer_map), [follower.peerId])
    assert.equal(await follower.stop(), 0)
    extra.splice(extra.indexOf(follower), 1)
    await follower.destroy()
    await waitFormed(peers, 30_000)
  })

  it('a peer bootstrapping to an address where nobody answers runs alone (TestClustersJoinBadPeer)', async () => {
    const lonely = await ClusterPeer.create('lonely')
    extra.push(lonely)
    const secret = await peers[0].secret()
    await lonely.editConfig((cfg) => { cfg.cluster.secret = secret })
    // a peer ID of the cluster at a port nobody listens on
    const dead = `/ip4/127.0.0.1/tcp/${lonely.clusterPort + 1}/p2p/${peers[0].peerId}`
    await lonely.start(['--bootstrap', dead])
    assert.deepEqual(await lonely.peersLs(), [lonely.peerId])
    // the failed join is logged, without the wrong-secret hint (nobody answered)
    await waitUntil(async () => /joining \S+: /.test(lonely.log), 20_000, () => `no join error logged:\n${lonely.log}`)
    const line = lonely.log.split('\n').find((l) => /joining \S+: /.test(l)) ?? ''
    assert.match(line, /ERROR/)
    assert.ok(!line.includes('cluster.secret'), line)
    assert.equal(await lonely.stop(), 0)
    extra.splice(extra.indexOf(lonely), 1)
    await lonely.destroy()
  })

  it('with a peer down, the graph shows the live peers and the others alert (TestClustersGraphUnhealthy, TestClusterAlerts)', async () => {
    const [p1, p2, p3] = peers
    const cid = identityCid('update from').toString()
    await p3.kill()
    // until its last ping expires (2 × monitor_ping_interval) peer 3 is still in the peerset:
    // status asks it, and its entry is a cluster_error named from that ping
    // (TestClustersStatusAllWithErrors, Raft flavour)
    const st = (await json(p1, ['status', cid]))[0]
    assert.deepEqual(Object.keys(st.peer_map).sort(), ids)
    const dead = st.peer_map[p3.peerId]
    assert.equal(dead.status, 'cluster_error', JSON.stringify(dead))
    assert.equal(dead.peername, 'peer3')
    assert.notEqual(dead.error, '')
    assert.equal(st.peer_map[p1.peerId].status, 'pinned')
    const live = [p1.peerId, p2.peerId].sort()
    await waitUntil(async () => JSON.stringify(await p1.peersLs()) === JSON.stringify(live), 20_000, 'peer 3 never left the peerset')
    const g = await graph(p1)
    assert.deepEqual(Object.keys(g.cluster_links).sort(), live)
    assert.deepEqual(Object.keys(g.cluster_trust_links).sort(), live)
    let alerts: any[] = []
    await waitUntil(async () => {
      alerts = (await json(p1, ['health', 'alerts']))[0] ?? []
      return alerts.some((a) => a.peer === p3.peerId && a.name === 'ping')
    }, 20_000, () => `alerts of peer 1: ${JSON.stringify(alerts)}`)
  })

  it('a new peer joining the remaining peer catches up with the whole pinset (TestClustersPeerRejoin)', async () => {
    const [p1, p2] = peers
    assert.equal(await p1.stop(), 0)
    // leave_on_shutdown: the CRDT consensus cannot remove peers (logged, as Go)
    assert.match(p1.log, /attempting to leave the cluster/)
    assert.match(p1.log, /ERROR\s+cluster\s+leaving cluster: crdt consensus component cannot remove peers/)
    const cid = identityCid('pinned while peer 1 is away').toString()
    assert.equal((await p2.ctl(['pin', 'add', '--no-status', cid])).code, 0)
    const want = await p2.pinLs()
    assert.ok(want.includes(cid))
    const fresh = await ClusterPeer.create('fresh')
    extra.push(fresh)
    const secret = await p2.secret()
    await fresh.editConfig((cfg) => { cfg.cluster.secret = secret })
    await fresh.start(['--bootstrap', p2.multiaddr])
    await waitFormed([p2, fresh], 30_000)
    await waitUntil(async () => JSON.stringify(await fresh.pinLs()) === JSON.stringify(want), 30_000, 'the new peer did not catch up')
    await statusEverywhere(fresh, cid, 'pinned', 2)
    await statusEverywhere(fresh, identityCid('update from').toString(), 'pinned', 2)
  })
})

/** Whether this machine delivers multicast (a query answered by a second responder within 3 s). */
async function multicastWorks (): Promise<boolean> {
  const a = multicastDns()
  const b = multicastDns()
  const name = `_probe-${process.pid}._udp.local`
  try {
    return await new Promise<boolean>((resolve) => {
      const t = setTimeout(() => { resolve(false) }, 3_000)
      a.on('query', (q) => { if (q.questions[0]?.name === name) a.respond([{ name, type: 'PTR', data: `x.${name}` }]) })
      b.on('response', (r) => {
        if (r.answers.some((x) => x.name === name)) {
          clearTimeout(t)
          resolve(true)
        }
      })
      for (const m of [a, b]) m.on('error', () => { clearTimeout(t); resolve(false) })
      b.query({ questions: [{ name, type: 'PTR' }] })
    })
  } finally {
    a.destroy()
    b.destroy()
  }
}

describe('cluster formed by mDNS', () => {
  const made: ClusterPeer[] = []
  after(async () => { await destroyAll(made) })

  it('peers with the same secret find each other on the LAN without --bootstrap; another cluster\'s peer stays out', async () => {
    // mdns_interval > 0 as init writes it (the harness turns it off for the other tests)
    const mdnsOn = (cfg: Record<string, any>): void => { cfg.cluster.mdns_interval = '10s' }
    const a = await ClusterPeer.create('mdns-a', mdnsOn)
    const b = await ClusterPeer.create('mdns-b', mdnsOn)
    const stranger = await ClusterPeer.create('mdns-stranger', mdnsOn)
    made.push(a, b, stranger)
    const secret = await a.secret()
    await b.editConfig((cfg) => { cfg.cluster.secret = secret })
    assert.notEqual(await stranger.secret(), secret)
    const multicast = await multicastWorks()
    await Promise.all([a.start(), b.start(), stranger.start()])
    if (multicast) {
      await waitFormed([a, b], 30_000)
      const cid = identityCid('found on the LAN').toString()
      assert.equal((await a.ctl(['pin', 'add', '--no-status', cid])).code, 0)
      await waitUntil(async () => (await b.pinLs()).includes(cid), 20_000, 'the pin did not reach the peer found by mDNS')
    } else {
      // a machine without multicast (no interface that carries it): mDNS finds nobody, and
      // the peers run on alone
      console.log('this machine delivers no multicast: checking that mDNS peers run alone')
      await new Promise((resolve) => setTimeout(resolve, 3_000))
      assert.deepEqual(await a.peersLs(), [a.peerId])
      assert.ok(a.running && b.running, 'the mDNS peers keep running')
    }
    assert.deepEqual(await stranger.peersLs(), [stranger.peerId])
    assert.deepEqual(await stranger.pinLs(), [])
  })
})

describe('joining without waiting for the rebroadcast', () => {
  const made: ClusterPeer[] = []
  after(async () => { await destroyAll(made) })

  it('a peer that joins gets the heads and the informer metrics at once, not at the next rebroadcast or informer tick', async () => {
    // rebroadcasts and informer ticks far away: only the announcements made for the joining
    // peer can bring it the heads and the others' metrics
    const slow = (cfg: Record<string, any>): void => {
      cfg.consensus.crdt.rebroadcast_interval = '10m'
      for (const inf of Object.values(cfg.informer ?? {}) as Array<Record<string, unknown>>) inf.metric_ttl = '10m'
    }
    const peers = await startCluster(1, { edit: slow })
    made.push(...peers)
    const [seed] = peers
    const cids = Array.from({ length: 20 }, (_, i) => identityCid(`before the join ${i}`).toString())
    for (const cid of cids) assert.equal((await seed.ctl(['pin', 'add', '--no-status', cid])).code, 0)
    const joiner = await ClusterPeer.create('joiner', slow)
    made.push(joiner)
    const secret = await seed.secret()
    await joiner.editConfig((cfg) => { cfg.cluster.secret = secret })
    const started = Date.now()
    await joiner.start(['--bootstrap', seed.multiaddr])
    await waitUntil(async () => (await joiner.pinLs()).length === cids.length, 20_000, 'the joining peer did not get the pinset')
    assert.deepEqual(await joiner.pinLs(), [...cids].sort())
    console.log(`pinset on the joining peer ${Date.now() - started} ms after its start`)
    await waitMetrics([seed, joiner], 'freespace', 15_000)
  })
})
