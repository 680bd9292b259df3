import { describe, it, afterEach } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { PeerManager } from '../../src/cluster/peer-manager.js'
import { silentLogger } from '../../src/util/logger.js'
import type { PeerManagerInit } from '../../src/cluster/peer-manager.js'
import type { PeerId } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

const newPeer = async (): Promise<PeerId> => peerIdFromPrivateKey(await generateKeyPair('Ed25519'))

/** The part of libp2p the peer manager uses: a peer store, dials that succeed unless refused. */
class FakeLibp2p {
  readonly dials: string[] = []
  readonly refused = new Set<string>()
  readonly connected = new Set<string>()
  readonly store = new Map<string, { id: PeerId, addresses: Array<{ multiaddr: Multiaddr }> }>()
  constructor (readonly peerId: PeerId) {}
  readonly peerStore = {
    merge: async (id: PeerId, data: { multiaddrs: Multiaddr[] }) => {
      const e = this.store.get(id.toString()) ?? { id, addresses: [] }
      for (const m of data.multiaddrs) e.addresses.push({ multiaddr: m })
      this.store.set(id.toString(), e)
    },
    all: async () => [...this.store.values()]
  }

  async dial (id: PeerId): Promise<void> {
    this.dials.push(id.toString())
    if (this.refused.has(id.toString())) throw new Error('connect ECONNREFUSED')
    this.connected.add(id.toString())
  }

  getConnections (): unknown[] { return [...this.connected] }
  getPeers (): PeerId[] { return [...this.connected].map((k) => this.store.get(k)?.id).filter((x): x is PeerId => x != null) }
}

const dirs: string[] = []
afterEach(async () => { for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true }) })

async function setup (init: Partial<PeerManagerInit>, peerstore: string[] = []): Promise<{ pm: PeerManager, net: FakeLibp2p, path: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'pstoremgr-'))
  dirs.push(dir)
  const path = join(dir, 'peerstore')
  await writeFile(path, peerstore.map((a) => `${a}\n`).join(''))
  const net = new FakeLibp2p(await newPeer())
  const pm = new PeerManager(net as any, { peerAddresses: [], peerstorePath: path, lowWater: 100, log: silentLogger().forComponent('test'), ...init })
  await pm.load()
  return { pm, net, path }
}

const addr = (port: number, id: PeerId): string => `/ip4/127.0.0.1/tcp/${port}/p2p/${id.toString()}`

describe('peer manager (pstoremgr)', () => {
  it('bootstraps peer_addresses first, then the peerstore file in order, at most 3', async () => {
    const ids = await Promise.all([1, 2, 3, 4, 5].map(newPeer))
    const { pm, net } = await setup({ peerAddresses: [addr(1, ids[4])] }, ids.slice(0, 4).map((id, i) => addr(10 + i, id)))
    const ok = await pm.bootstrap()
    assert.deepEqual(ok.map(String), [ids[4], ids[0], ids[1]].map(String))
    assert.deepEqual(net.dials, [ids[4], ids[0], ids[1]].map(String))
  })

  it('gives explicitly trusted peers priority 0, known now or later', async () => {
    const ids = await Promise.all([1, 2, 3, 4, 5].map(newPeer))
    const { pm, net } = await setup({}, ids.slice(0, 3).map((id, i) => addr(50 + i, id)))
    pm.prioritize([ids[2].toString(), ids[4].toString()])
    await pm.add(addr(54, ids[4]))
    await pm.add(addr(53, ids[3]))
    const ok = await pm.bootstrap()
    assert.deepEqual(new Set(ok.slice(0, 2).map(String)), new Set([ids[2], ids[4]].map(String)))
    assert.equal(ok[2].toString(), ids[0].toString())
    // and they are the ones the forced connection picks
    net.dials.length = 0
    for (let i = 0; i < 10; i++) await pm.connectPriorityPeer()
    assert.ok(net.dials.every((d) => d === ids[2].toString() || d === ids[4].toString()), net.dials.join(' '))
  })

  it('moves unreachable peers last and writes known peers back by priority', async () => {
    const ids = await Promise.all([1, 2, 3].map(newPeer))
    const { pm, net, path } = await setup({}, ids.map((id, i) => addr(20 + i, id)))
    net.refused.add(ids[0].toString())
    const ok = await pm.bootstrap()
    assert.deepEqual(ok.map(String), [ids[1], ids[2]].map(String))
    await pm.save()
    const lines = (await readFile(path, 'utf8')).trim().split('\n')
    assert.deepEqual(lines, [addr(21, ids[1]), addr(22, ids[2]), addr(20, ids[0])])
  })

  it('re-bootstraps when fewer than low_water peers are connected', async () => {
    const ids = await Promise.all([1, 2].map(newPeer))
    const { pm, net } = await setup({ lowWater: 5, interval: 50, priorityInterval: 3_600_000 }, ids.map((id, i) => addr(40 + i, id)))
    net.refused.add(ids[0].toString())
    await pm.bootstrap()
    net.refused.clear()
    pm.startRebootstrap()
    try {
      await new Promise((resolve) => setTimeout(resolve, 200))
      assert.ok(net.connected.has(ids[0].toString()))
    } finally {
      pm.stop()
    }
  })

  it('forces a connection to a peer_addresses peer every priority interval, even after it failed', async () => {
    const ids = await Promise.all([1, 2].map(newPeer))
    // low_water 0: the re-bootstrap never dials, only the forced connection does
    const { pm, net } = await setup({ peerAddresses: [addr(30, ids[0])], lowWater: 0, interval: 50, priorityInterval: 80 }, [addr(31, ids[1])])
    net.refused.add(ids[0].toString())
    await pm.bootstrap()
    assert.deepEqual(net.dials, [ids[0], ids[1]].map(String))
    net.refused.clear()
    pm.startRebootstrap()
    try {
      await new Promise((resolve) => setTimeout(resolve, 300))
      assert.ok(net.connected.has(ids[0].toString()))
      // the peerstore-file peer is never forced
      assert.equal(net.dials.filter((d) => d === ids[1].toString()).length, 1)
    } finally {
      pm.stop()
    }
    assert.equal(await pm.connectPriorityPeer(), true)
    const { pm: none } = await setup({})
    assert.equal(await none.connectPriorityPeer(), false)
  })
})
