/**
 * The daemon as a process: clean shutdown on every signal (lock released), environment
 * overrides, an invalid config refused with every problem listed, expiring pins removed
 * by the state sync loop.
 */
import { describe, it, after } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Peer, SERVICE, run } from './harness.js'
import { identityCid, jsonDocs } from './content.js'

describe('daemon lifecycle', () => {
  const peers: Peer[] = []
  after(async () => { for (const p of peers) await p.destroy() })
  const newPeer = async (): Promise<Peer> => {
    const p = await Peer.init()
    peers.push(p)
    return p
  }

  it('shuts down cleanly on SIGINT, SIGTERM and SIGHUP, releasing the lock', async () => {
    const peer = await newPeer()
    for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      await peer.start()
      assert.ok(existsSync(join(peer.dir, 'cluster.lock')))
      assert.equal(await peer.stop(sig), 0, sig)
      assert.equal(existsSync(join(peer.dir, 'cluster.lock')), false, sig)
    }
  })

  it('applies CLUSTER_* environment overrides', async () => {
    const peer = await newPeer()
    await peer.start([], { CLUSTER_PEERNAME: 'env-named-peer' })
    const id = jsonDocs((await peer.ctl(['--enc=json', 'id'])).stdout)[0]
    assert.equal(id.peername, 'env-named-peer')
    await peer.stop()
  })

  it('refuses an invalid config listing every problem', async () => {
    const peer = await newPeer()
    const file = join(peer.dir, 'service.json')
    const cfg = JSON.parse(await readFile(file, 'utf8'))
    cfg.cluster.replication_factor_min = 5
    cfg.cluster.replication_factor_max = 2
    cfg.cluster.secret = 'abcd'
    cfg.pin_tracker.stateless.concurrent_pins = -3
    await writeFile(file, JSON.stringify(cfg))
    const r = await run(SERVICE, ['--config', peer.dir, 'daemon'], { timeout: 30_000 })
    assert.equal(r.code, 1)
    assert.match(r.stderr, /^error /m)
    assert.match(r.stderr, /replication_factor_min is larger than max/)
    assert.match(r.stderr, /secret/)
    assert.match(r.stderr, /concurrent_pins/)
    assert.equal(existsSync(join(peer.dir, 'cluster.lock')), false)
  })

  it('removes expired pins with the state sync loop', async () => {
    const peer = await newPeer()
    await peer.start([], { CLUSTER_STATESYNCINTERVAL: '500ms' })
    const cid = identityCid('expires soon').toString()
    const keep = identityCid('stays').toString()
    assert.equal((await peer.ctl(['pin', 'add', '--no-status', '--expire-in', '2s', cid])).code, 0)
    assert.equal((await peer.ctl(['pin', 'add', '--no-status', keep])).code, 0)
    assert.match((await peer.ctl(['pin', 'ls', cid])).stdout, /Exp: \d{4}-\d\d-\d\d /)
    let listed = true
    for (let i = 0; i < 40 && listed; i++) {
      await new Promise((resolve) => setTimeout(resolve, 250))
      listed = (await peer.ctl(['pin', 'ls'])).stdout.includes(cid)
    }
    assert.equal(listed, false)
    assert.ok((await peer.ctl(['pin', 'ls'])).stdout.includes(keep))
    await peer.stop()
  })
})
