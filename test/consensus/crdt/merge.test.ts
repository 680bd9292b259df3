import { describe, it, after } from 'node:test'
import assert from 'node:assert/strict'
import { CID } from 'multiformats/cid'
import { crdtTopic } from '../../../src/consensus/crdt/index.js'
import { decodeBroadcast, decodeDelta, decodeFetchRequest, encodeBroadcast, encodeDelta, encodeFetchRequest } from '../../../src/consensus/crdt/proto.js'
import { decodeRecord, encodeRecord } from '../../../src/consensus/crdt/merge.js'
import { FakeNetwork, cidOf, cleanupDirs, converged, newPeerId, pinOf, until } from './net.js'

after(cleanupDirs)

describe('crdt wire formats', () => {
  it('names the topic as the reference (base58 of the MD5 multihash)', () => {
    assert.equal(crdtTopic('ipfs-cluster'), 'fzhnp2UwTBkgNabrJi1VanzwgN')
  })

  it('round-trips a delta', () => {
    const delta = {
      elements: [{ key: '/AAA', id: '', value: new Uint8Array([1, 2, 3]) }, { key: '/BBB', id: '', value: new Uint8Array(0) }],
      tombstones: [{ key: '/AAA', id: '/CIQX', value: new Uint8Array(0) }],
      priority: 300_000_000_000
    }
    const back = decodeDelta(encodeDelta(delta))
    assert.equal(back.priority, delta.priority)
    assert.deepEqual(back.elements.map((e) => [e.key, e.id, [...e.value]]), [['/AAA', '', [1, 2, 3]], ['/BBB', '', []]])
    assert.deepEqual(back.tombstones.map((e) => [e.key, e.id]), [['/AAA', '/CIQX']])
  })

  it('round-trips broadcasts and fetch requests', async () => {
    const a = (await cidOf(1)).bytes
    const b = (await cidOf(2)).bytes
    assert.deepEqual(decodeBroadcast(encodeBroadcast([a, b])).map((x) => [...x]), [[...a], [...b]])
    const req = decodeFetchRequest(encodeFetchRequest({ roots: [a], have: [b], max: 7 }))
    assert.deepEqual([req.roots.map((x) => [...x]), req.have.map((x) => [...x]), req.max], [[[...a]], [[...b]], 7])
  })

  it('round-trips key records', () => {
    const entries = [{ id: '/CIQA', prio: 5 }, { id: '/CIQB', prio: 1 }]
    assert.deepEqual(decodeRecord(encodeRecord(entries)), entries)
  })
})

describe('crdt consensus on one peer', () => {
  it('makes a pin visible when logPin resolves, and calls the hooks', async () => {
    const net = new FakeNetwork()
    const a = await net.addPeer()
    const pin = await pinOf(1)
    await a.consensus.logPin(pin)
    const state = await a.consensus.state()
    assert.equal((await state.get(pin.cid)).name, 'pin-1')
    await a.consensus.idle()
    assert.deepEqual(a.tracker.of(pin.cid), ['track'])
    await a.consensus.logUnpin(pin)
    assert.equal(await state.has(pin.cid), false)
    await a.consensus.idle()
    assert.deepEqual(a.tracker.of(pin.cid), ['track', 'untrack'])
    assert.equal(a.consensus.stats().heads, 1)
    assert.equal(a.consensus.stats().maxHeight, 2)
    await a.stop()
  })

  it('publishes nothing for the unpin of an absent pin', async () => {
    const net = new FakeNetwork()
    const a = await net.addPeer()
    await a.consensus.logUnpin(await pinOf(1))
    assert.equal(a.consensus.stats().heads, 0)
    assert.equal(net.broadcasts, 0)
    await a.stop()
  })

  it('keeps the merge when the tracker fails', async () => {
    const net = new FakeNetwork()
    const a = await net.addPeer()
    a.tracker.fail = true
    const pin = await pinOf(2)
    await a.consensus.logPin(pin)
    assert.equal(await a.state.has(pin.cid), true)
    await a.stop()
  })

  it('groups concurrent unbatched writes and shows each once it resolves', async () => {
    const net = new FakeNetwork()
    const a = await net.addPeer()
    const pins = await Promise.all(Array.from({ length: 50 }, async (_, i) => await pinOf(i)))
    await Promise.all(pins.map(async (p) => {
      await a.consensus.logPin(p)
      assert.equal(await a.state.has(p.cid), true)
    }))
    assert.equal(await a.state.count(), 50)
    assert.ok(a.consensus.stats().maxHeight < 50)
    await a.stop()
  })

  it('reports peers (self included, sorted by bytes) and refuses to remove peers', async () => {
    const net = new FakeNetwork()
    const a = await net.addPeer()
    const b = await net.addPeer()
    const peers = await a.consensus.peers()
    assert.deepEqual(new Set(peers), new Set([a.id, b.id]))
    await a.consensus.addPeer('x')
    await assert.rejects(a.consensus.rmPeer(b.id), { name: 'RemovePeerUnsupportedError', message: 'crdt consensus component cannot remove peers' })
    await a.stop()
    await b.stop()
  })

  it('trusts self, the trusted list, runtime additions, or everyone', async () => {
    const net = new FakeNetwork()
    const friend = await newPeerId()
    const stranger = await newPeerId()
    const a = await net.addPeer({ trustAll: false, trustedPeers: [friend] })
    assert.equal(a.consensus.isTrustedPeer(a.id), true)
    assert.equal(a.consensus.isTrustedPeer(friend), true)
    assert.equal(a.consensus.isTrustedPeer(stranger), false)
    a.consensus.trust(stranger)
    assert.equal(a.consensus.isTrustedPeer(stranger), true)
    a.consensus.distrust(stranger)
    assert.equal(a.consensus.isTrustedPeer(stranger), false)
    const b = await net.addPeer()
    assert.equal(b.consensus.isTrustedPeer(stranger), true)
    await a.stop()
    await b.stop()
  })
})

describe('crdt merge rules between peers', () => {
  /** Two synced peers holding pin 1, then cut apart. */
  async function split (): Promise<{ net: FakeNetwork, a: Awaited<ReturnType<FakeNetwork['addPeer']>>, b: Awaited<ReturnType<FakeNetwork['addPeer']>>, cid: CID }> {
    const net = new FakeNetwork()
    const a = await net.addPeer({ rebroadcastInterval: 100 })
    const b = await net.addPeer({ rebroadcastInterval: 100 })
    await a.consensus.logPin(await pinOf(1, 'first'))
    await converged([a, b])
    net.down.add(b.id)
    return { net, a, b, cid: await cidOf(1) }
  }

  it('lets a concurrent add win over a remove, without untracking on the adding peer', async () => {
    const { net, a, b, cid } = await split()
    await a.consensus.logUnpin(await pinOf(1))
    await b.consensus.logPin(await pinOf(1, 'readded'))
    net.down.delete(b.id)
    const final = await converged([a, b])
    assert.deepEqual(final, [`${cid.toString()}=readded`])
    await until(() => a.tracker.of(cid).length === 3)
    assert.deepEqual(a.tracker.of(cid), ['track', 'untrack', 'track'])
    assert.deepEqual(b.tracker.of(cid), ['track', 'track'])
    await a.stop()
    await b.stop()
  })

  it('lets the higher priority win whatever the bytes', async () => {
    const { net, a, b, cid } = await split()
    // a climbs three heights higher before writing the contested key
    for (let i = 10; i < 13; i++) await a.consensus.logPin(await pinOf(i))
    await a.consensus.logPin(await pinOf(1, 'aaa low bytes, high priority'))
    await b.consensus.logPin(await pinOf(1, 'zzz high bytes, low priority'))
    net.down.delete(b.id)
    const final = await converged([a, b])
    assert.ok(final.includes(`${cid.toString()}=aaa low bytes, high priority`))
    await a.stop()
    await b.stop()
  })

  it('breaks a priority tie by the greater value bytes', async () => {
    const { net, a, b, cid } = await split()
    await a.consensus.logPin(await pinOf(1, 'tie-m1'))
    await b.consensus.logPin(await pinOf(1, 'tie-m2'))
    assert.equal(a.consensus.stats().maxHeight, b.consensus.stats().maxHeight)
    net.down.delete(b.id)
    const final = await converged([a, b])
    assert.deepEqual(final, [`${cid.toString()}=tie-m2`])
    await a.stop()
    await b.stop()
  })

  it('removes a pin everywhere when the remove saw every add', async () => {
    const { net, a, b, cid } = await split()
    net.down.delete(b.id)
    await a.consensus.logUnpin(await pinOf(1))
    assert.deepEqual(await converged([a, b]), [])
    await until(() => b.tracker.of(cid).includes('untrack'))
    await a.stop()
    await b.stop()
  })
})

describe('crdt convergence', () => {
  it('brings 3 peers with random concurrent pins and unpins to one pinset', async () => {
    const net = new FakeNetwork()
    const peers = [
      await net.addPeer({ rebroadcastInterval: 200 }),
      await net.addPeer({ rebroadcastInterval: 200 }),
      await net.addPeer({ rebroadcastInterval: 200 })
    ]
    let seed = 42
    const rnd = (n: number): number => {
      seed ^= seed << 13
      seed ^= seed >>> 17
      seed ^= seed << 5
      return (seed >>> 0) % n
    }
    const plans = peers.map((p, pi) => Array.from({ length: 150 }, (_, i) => ({ p, key: rnd(60), pin: rnd(3) !== 0, name: `p${pi}-${i}` })))
    await Promise.all(plans.map(async (plan) => {
      for (const step of plan) {
        if (step.pin) await step.p.consensus.logPin(await pinOf(step.key, step.name))
        else await step.p.consensus.logUnpin(await pinOf(step.key))
        if (rnd(4) === 0) await new Promise((resolve) => setImmediate(resolve))
      }
    }))
    const final = await converged(peers)
    assert.ok(final.length > 0)
    const heads = peers.map((p) => p.consensus.stats())
    assert.ok(heads.every((h) => h.maxHeight === heads[0].maxHeight))
    for (const p of peers) await p.stop()
  })
})
