import { describe, it, after } from 'node:test'
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { clusterHost } from '../../src/host/index.js'
import { silentLogger } from '../../src/util/logger.js'
import { chunks, rate, receiveAll, secretOf, startHost, stopAll, transfer, TRANSFER_PROTOCOL } from './helpers.js'
import type { ClusterHost } from '../../src/host/index.js'

const GiB = 1024 * 1024 * 1024
const MiB = 1024 * 1024

/** Starts hosts and stops them after the suite. */
function hosts (): { start: (init?: Parameters<typeof startHost>[0]) => Promise<ClusterHost> } {
  const started: ClusterHost[] = []
  after(async () => { await stopAll(started) })
  return {
    start: async (init) => {
      const host = await startHost(init)
      started.push(host)
      return host
    }
  }
}

/** Dials `to` from `from` and reports how it ended, with the time taken. */
async function dialOutcome (from: ClusterHost, to: ClusterHost): Promise<{ ok: boolean, ms: number }> {
  const started = Date.now()
  try {
    await from.libp2p.dial(to.addresses()[0])
    // a connection that opened may still be closed by the other side's failed upgrade
    await from.libp2p.services.ping.ping(to.peerId, { signal: AbortSignal.timeout(5_000) })
    return { ok: true, ms: Date.now() - started }
  } catch {
    return { ok: false, ms: Date.now() - started }
  }
}

describe('cluster host', () => {
  const h = hosts()

  it('moves 1 GiB over a private network connection, intact', async () => {
    const secret = secretOf(1)
    const [a, b] = [await h.start({ secret }), await h.start({ secret })]
    const r = await transfer(a, b, chunks(7, GiB, MiB))
    console.log(`private network: ${rate(r)}`)
    assert.equal(r.bytes, GiB)
    assert.equal(r.received, r.sent)
    assert.ok(r.peakArrayBuffers < GiB / 2, 'the transfer streams, it is not held in memory')
  })

  it('moves 1 GiB over an unprotected connection, intact', async () => {
    const [a, b] = [await h.start(), await h.start()]
    const r = await transfer(a, b, chunks(8, GiB, MiB))
    console.log(`unprotected: ${rate(r)}`)
    assert.equal(r.bytes, GiB)
    assert.equal(r.received, r.sent)
    assert.ok(r.peakArrayBuffers < GiB / 2, 'the transfer streams, it is not held in memory')
  })

  it('moves one single 100 MiB write over a private network connection', async () => {
    const secret = secretOf(2)
    const [a, b] = [await h.start({ secret }), await h.start({ secret })]
    const data = Buffer.concat([...chunks(9, 100 * MiB, 4 * MiB)])
    const r = await transfer(a, b, [data])
    console.log(`private network, one write: ${rate(r)}`)
    assert.equal(r.bytes, data.byteLength)
    assert.equal(r.received, createHash('sha256').update(data).digest('hex'))
  })

  it('counts the bytes of each protocol both ways, and their rates (health bandwidth)', async () => {
    const secret = secretOf(3)
    const [a, b] = [await h.start({ secret }), await h.start({ secret })]
    const r = await transfer(a, b, chunks(9, 8 * MiB, 64 * 1024))
    assert.equal(r.received, r.sent)
    const sent = a.bandwidth().get(TRANSFER_PROTOCOL)
    const got = b.bandwidth().get(TRANSFER_PROTOCOL)
    assert.equal(sent?.totalOut, BigInt(8 * MiB))
    assert.equal(got?.totalIn, BigInt(8 * MiB))
    assert.equal(sent?.totalIn, 0n)
    // rates follow on the next one-second tick, then decay when nothing moves
    await new Promise((resolve) => setTimeout(resolve, 1_100))
    const rate1 = a.bandwidth().get(TRANSFER_PROTOCOL)?.rateOut ?? 0
    assert.ok(rate1 > 0, `rate out ${rate1}`)
    await new Promise((resolve) => setTimeout(resolve, 2_100))
    const rate2 = a.bandwidth().get(TRANSFER_PROTOCOL)?.rateOut ?? 0
    assert.ok(rate2 < rate1, `rate ${rate2} after ${rate1}`)
    // identify ran on the connection: counted under its own protocol
    assert.ok([...b.bandwidth().keys()].some((p) => p.startsWith('/ipfs/id/')), [...b.bandwidth().keys()].join(' '))
  })

  it('refuses peers with another secret, quickly, both ways', async () => {
    const [a, b] = [await h.start({ secret: secretOf(3) }), await h.start({ secret: secretOf(4) })]
    for (const [from, to] of [[a, b], [b, a]]) {
      const outcome = await dialOutcome(from, to)
      assert.equal(outcome.ok, false)
      assert.ok(outcome.ms < 5_000, `failed after ${outcome.ms} ms`)
    }
  })

  it('refuses peers without a secret, and is refused by them', async () => {
    const [a, b] = [await h.start({ secret: secretOf(5) }), await h.start()]
    for (const [from, to] of [[a, b], [b, a]]) {
      const outcome = await dialOutcome(from, to)
      assert.equal(outcome.ok, false)
      assert.ok(outcome.ms < 5_000, `failed after ${outcome.ms} ms`)
    }
  })

  it('connects peers without a secret', async () => {
    const [a, b] = [await h.start(), await h.start()]
    assert.equal((await dialOutcome(a, b)).ok, true)
    assert.equal((await dialOutcome(b, a)).ok, true)
  })

  it('delivers a pubsub message to every subscriber, signed by its author', async () => {
    const secret = secretOf(6)
    const pubsub = { heartbeatInterval: 100 }
    const [a, b, c] = [await h.start({ secret, pubsub }), await h.start({ secret, pubsub }), await h.start({ secret, pubsub })]
    // a line: what a publishes reaches c through b
    await a.libp2p.dial(b.addresses()[0])
    await b.libp2p.dial(c.addresses()[0])
    const topic = 'cluster-test'
    const received = [b, c].map(async (host) => await new Promise<{ from: string, type: string, data: string }>((resolve) => {
      host.pubsub.addEventListener('message', (evt) => {
        const msg = evt.detail
        if (msg.topic !== topic) return
        resolve({ from: msg.type === 'signed' ? msg.from.toString() : '', type: msg.type, data: new TextDecoder().decode(msg.data) })
      })
    }))
    for (const host of [a, b, c]) host.pubsub.subscribe(topic)
    const deadline = Date.now() + 10_000
    while (a.pubsub.getSubscribers(topic).length < 1 || b.pubsub.getSubscribers(topic).length < 2) {
      if (Date.now() > deadline) throw new Error('subscriptions did not propagate')
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    await a.pubsub.publish(topic, new TextEncoder().encode('hello cluster'))
    const got = await Promise.race([
      Promise.all(received),
      new Promise<never>((_resolve, reject) => setTimeout(() => { reject(new Error('message not delivered')) }, 10_000))
    ])
    for (const msg of got) {
      assert.deepEqual(msg, { from: a.peerId.toString(), type: 'signed', data: 'hello cluster' })
    }
  })

  it('announces the announce addresses, minus the no_announce ones', async () => {
    const host = await h.start({
      announce: ['/ip4/203.0.113.7/tcp/9096', '/ip4/10.1.2.3/tcp/9096', '/dns4/cluster.example/tcp/9096'],
      noAnnounce: ['/ip4/10.0.0.0/ipcidr/8', '/dns4/cluster.example/tcp/9096']
    })
    assert.deepEqual(host.addresses().map(String), [`/ip4/203.0.113.7/tcp/9096/p2p/${host.peerId.toString()}`])
    const local = await h.start({ noAnnounce: ['/ip4/127.0.0.0/ipcidr/8'] })
    assert.deepEqual(local.addresses(), [])
  })

  it('serves streams of registered protocols only', async () => {
    const [a, b] = [await h.start(), await h.start()]
    await b.libp2p.handle(TRANSFER_PROTOCOL, async (stream) => { await receiveAll(stream) })
    await a.libp2p.dial(b.addresses()[0])
    await assert.rejects(a.libp2p.dialProtocol(b.peerId, '/unknown/1.0.0'), { name: 'UnsupportedProtocolError' })
  })
})

describe('cluster host lifecycle', () => {
  it('starts and stops idempotently, stop is safe before start', async () => {
    const host = clusterHost({ privateKey: await generateKeyPair('Ed25519'), listen: ['/ip4/127.0.0.1/tcp/0'] })({ logger: silentLogger() })
    await host.stop()
    assert.throws(() => host.libp2p, { name: 'HostNotStartedError' })
    assert.deepEqual(host.addresses(), [])
    await Promise.all([host.start(), host.start()])
    const node = host.libp2p
    await host.start()
    assert.equal(host.libp2p, node)
    assert.equal(node.peerId.equals(host.peerId), true)
    assert.equal(host.addresses().length, 1)
    await host.stop()
    await host.stop()
    assert.throws(() => host.pubsub, { name: 'HostNotStartedError' })
    assert.equal(node.status, 'stopped')
  })

  it('refuses a secret that is not 32 bytes when starting', async () => {
    const host = clusterHost({ privateKey: await generateKeyPair('Ed25519'), listen: ['/ip4/127.0.0.1/tcp/0'], secret: new Uint8Array(16) })({ logger: silentLogger() })
    await assert.rejects(host.start(), { name: 'InvalidPreSharedKeyError' })
    await host.stop()
  })
})
