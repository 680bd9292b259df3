/**
 * Real content through the daemon's embedded IPFS: a 2 MiB multi-block DAG held by
 * another IPFS node (in this process) is fetched over bitswap when pinned with
 * `origins`; a CID its connected peer lacks fails with the no-progress timeout, stays
 * in the pinset as pin_error, and `recover` pins it once that same peer has the
 * content. Also: a second daemon on the same folder is refused.
 */
import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { embeddedConnector } from '../../src/ipfsconn/embedded/index.js'
import { silentLogger } from '../../src/util/logger.js'
import { buildUnixfs, each } from '../compliance/ipfs-connector.js'
import { Peer, SERVICE, run } from './harness.js'
import type { EmbeddedIPFSConnector } from '../../src/ipfsconn/embedded/index.js'

function post (addr: string, path: string): Promise<{ status: number, body: string }> {
  const [, , host, , port] = addr.split('/')
  return new Promise((resolve, reject) => {
    const req = request({ host, port: Number(port), path, method: 'POST' }, (res) => {
      let body = ''
      res.setEncoding('utf8').on('data', (d: string) => { body += d })
      res.on('end', () => { resolve({ status: res.statusCode ?? 0, body }) })
    })
    req.on('error', reject)
    req.end()
  })
}

describe('pinning real content through the daemon', () => {
  let peer: Peer
  let source: EmbeddedIPFSConnector
  let repo: string
  before(async () => {
    peer = await Peer.init()
    const file = join(peer.dir, 'service.json')
    const cfg = JSON.parse(await readFile(file, 'utf8'))
    cfg.ipfs_connector.embedded.pin_timeout = '1s'
    await writeFile(file, JSON.stringify(cfg, null, 2))
    await peer.start()
    repo = await mkdtemp(join(tmpdir(), 'source-ipfs-'))
    source = embeddedConnector({ repoPath: repo, swarmListen: ['/ip4/127.0.0.1/tcp/0'] })({ logger: silentLogger() })
    await source.start()
  })
  after(async () => {
    await source?.stop()
    await rm(repo, { recursive: true, force: true })
    await peer?.destroy()
  })

  const statusOf = async (cid: string, want: RegExp): Promise<string> => {
    let out = ''
    for (let i = 0; i < 100; i++) {
      out = (await peer.ctl(['status', cid])).stdout
      if (want.test(out)) return out
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
    return out
  }

  it('fetches a multi-block DAG from its origin over bitswap', async () => {
    const dag = await buildUnixfs([{ path: 'big.bin', content: randomBytes(2 * 1024 * 1024) }], 65_536)
    assert.ok(dag.blocks.length > 30)
    await source.blockStream(each(dag.blocks))
    const origin = (await source.id()).addresses?.find((a) => a.startsWith('/ip4/127.0.0.1/')) as string
    const r = await post(peer.restAddr, `/pins/ipfs/${dag.root.toString()}?origins=${encodeURIComponent(origin)}`)
    assert.equal(r.status, 200, r.body)
    assert.deepEqual(JSON.parse(r.body).origins, [origin])
    assert.match(await statusOf(dag.root.toString(), / : PINNED \|/), / : PINNED \|/)
  })

  it('times out without progress, keeps the pin, and recovers once the content is reachable', async () => {
    const dag = await buildUnixfs([{ path: 'missing.bin', content: randomBytes(300_000) }], 65_536)
    const cid = dag.root.toString()
    // the daemon's IPFS is connected to `source`, which does not have the content yet
    const ipfs = JSON.parse((await peer.ctl(['--enc=json', 'id'])).stdout).ipfs
    await source.connectSwarms([ipfs.addresses.find((a: string) => a.startsWith('/ip4/127.0.0.1/'))])
    assert.ok((await source.swarmPeers()).includes(ipfs.id))
    const r = await peer.ctl(['pin', 'add', cid])
    assert.equal(r.code, 0, r.stdout + r.stderr)
    const failed = await statusOf(cid, / : PIN_ERROR: /)
    assert.match(failed, / : PIN_ERROR: .+ \| .* \| Attempts: 1 \|/)
    assert.ok((await peer.ctl(['pin', 'ls', cid])).stdout.includes(cid))
    assert.match((await peer.ctl(['status', '--filter', 'error'])).stdout, new RegExp(cid))

    // now the same, still connected node gets the content: the daemon's earlier want
    // must not leave it unable to serve the retry (Helia never sent the cancel)
    await source.blockStream(each(dag.blocks))
    assert.ok((await source.swarmPeers()).includes(ipfs.id))
    const rec = await peer.ctl(['recover', cid])
    assert.equal(rec.code, 0, rec.stdout + rec.stderr)
    assert.match(await statusOf(cid, / : PINNED \|/), / : PINNED \|/)
  })

  it('refuses a second daemon on the same folder and keeps the first one serving', async () => {
    const second = await run(SERVICE, ['--config', peer.dir, 'daemon'], { timeout: 30_000 })
    assert.equal(second.code, 1)
    assert.match(second.stderr, /lock/)
    assert.equal((await peer.ctl(['id'])).code, 0)
  })
})
