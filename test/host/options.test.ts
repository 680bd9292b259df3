import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { clusterSection } from '../../src/config/sections/cluster.js'
import { parseContext } from '../../src/config/fields.js'
import { fromClusterConfig } from '../../src/host/config.js'
import { gossipsubOptions, libp2pOptions } from '../../src/host/options.js'
import { noAnnounceFilter } from '../../src/host/announce.js'
import { silentLogger } from '../../src/util/logger.js'

describe('cluster host options', () => {
  it('maps the cluster section: secret, addresses, pubsub, dial timeout, follower mode, mDNS', async () => {
    const key = await generateKeyPair('Ed25519')
    const cluster = {
      ...clusterSection.defaults(parseContext('/tmp')),
      secret: 'ab'.repeat(32),
      announceMultiaddress: ['/ip4/203.0.113.1/tcp/9096'],
      noAnnounceMultiaddress: ['/ip4/10.0.0.0/ipcidr/8'],
      dialPeerTimeout: 1500,
      followerMode: true
    }
    const init = fromClusterConfig(cluster, key)
    assert.deepEqual(init.secret, new Uint8Array(32).fill(0xab))
    assert.deepEqual(init.listen, ['/ip4/0.0.0.0/tcp/9096', '/ip4/0.0.0.0/udp/9096/quic'])
    assert.deepEqual(init.announce, ['/ip4/203.0.113.1/tcp/9096'])
    assert.deepEqual(init.noAnnounce, ['/ip4/10.0.0.0/ipcidr/8'])
    assert.equal(init.dialTimeout, 1500)
    assert.equal(init.peerExchange, false)
    assert.deepEqual(init.connectionManager, { highWater: 400, lowWater: 100, gracePeriod: 120_000 })
    assert.equal(fromClusterConfig({ ...cluster, secret: '' }, key).secret?.byteLength, 0)
    // mDNS: on with the default 10 s, off with 0s (only on/off matters, as Go)
    assert.equal(init.mdns, true)
    assert.equal(fromClusterConfig({ ...cluster, mdnsInterval: 0 }, key).mdns, false)

    const opts = libp2pOptions(init, silentLogger())
    assert.equal(opts.connectionManager?.maxConnections, 400)
    assert.equal(opts.connectionManager?.dialTimeout, 1500)
    assert.notEqual(opts.connectionProtector, undefined)
    assert.equal(libp2pOptions({ ...init, secret: new Uint8Array(0) }, silentLogger()).connectionProtector, undefined)
    assert.equal(opts.peerDiscovery?.length, 1)
    assert.equal(libp2pOptions({ ...init, mdns: false }, silentLogger()).peerDiscovery?.length, 0)
  })

  it('multiplies go-libp2p-pubsub mesh degrees by d_factor and keeps the history settings', () => {
    const o = gossipsubOptions({ privateKey: undefined as any, listen: [], pubsub: { dFactor: 4, heartbeatInterval: 10_000, historyGossip: 2, historyLength: 6, floodPublish: false, seenMessagesTtl: 1_800_000 } })
    assert.deepEqual([o.D, o.Dlo, o.Dhi, o.Dscore, o.Dout, o.Dlazy], [24, 20, 48, 16, 8, 24])
    assert.deepEqual([o.heartbeatInterval, o.mcacheGossip, o.mcacheLength, o.floodPublish, o.seenTTL], [10_000, 2, 6, false, 1_800_000])
    assert.equal(o.globalSignaturePolicy, 'StrictSign')
    assert.equal(o.doPX, true)
  })

  it('identifies a message by the first 16 bytes of its author and its sequence number', async () => {
    const from = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
    const o = gossipsubOptions({ privateKey: undefined as any, listen: [] })
    const msg = { type: 'signed', from, topic: 't', data: new Uint8Array(0), sequenceNumber: 0x0102030405060708n, signature: new Uint8Array(0), key: from.publicKey } as const
    const id = await o.msgIdFn?.(msg as any)
    assert.deepEqual(id, Uint8Array.from([...from.toMultihash().bytes.subarray(0, 16), 1, 2, 3, 4, 5, 6, 7, 8]))
  })

  it('drops no_announce addresses: exact ones and /ipcidr networks', () => {
    const filter = noAnnounceFilter(['/ip4/10.0.0.0/ipcidr/8', '/ip6/fd00::/ipcidr/8', '/ip4/1.2.3.4/tcp/9096'])
    const id = '12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA'
    const kept = filter([
      '/ip4/10.9.8.7/tcp/9096', '/ip4/11.0.0.1/tcp/9096', `/ip4/1.2.3.4/tcp/9096/p2p/${id}`,
      '/ip4/1.2.3.4/tcp/9097', '/ip6/fd12::1/tcp/9096', '/ip6/fe80::1/tcp/9096', '/dns4/example.org/tcp/9096'
    ].map((a) => multiaddr(a)))
    assert.deepEqual(kept.map(String), ['/ip4/11.0.0.1/tcp/9096', '/ip4/1.2.3.4/tcp/9097', '/ip6/fe80::1/tcp/9096', '/dns4/example.org/tcp/9096'])
  })
})
