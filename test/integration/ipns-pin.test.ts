/**
 * `pin add /ipns/…` through a real daemon: the name is published by an IPFS node in the test
 * process that the daemon's embedded node is connected to, so the daemon finds the record
 * over the DHT of its connected peers and the content over bitswap.
 */
import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ipns } from '@helia/ipns'
import { embeddedConnector } from '../../src/ipfsconn/embedded/index.js'
import { silentLogger } from '../../src/util/logger.js'
import { buildUnixfs, each } from '../compliance/ipfs-connector.js'
import { Peer } from './harness.js'
import { jsonDocs } from './content.js'
import type { EmbeddedIPFSConnector } from '../../src/ipfsconn/embedded/index.js'
import type { CID } from 'multiformats/cid'

describe('pin add /ipns/ names', () => {
  let peer: Peer
  let node: EmbeddedIPFSConnector
  let repo: string
  before(async () => {
    peer = await Peer.init()
    await peer.start()
    repo = await mkdtemp(join(tmpdir(), 'ipns-pin-'))
    node = embeddedConnector({ repoPath: repo, swarmListen: ['/ip4/127.0.0.1/tcp/0'] })({ logger: silentLogger() })
    await node.start()
  })
  after(async () => {
    await node?.stop()
    await peer?.destroy()
    if (repo != null) await rm(repo, { recursive: true, force: true })
  })

  it('pins the CID a name published by a connected IPFS node points to', async () => {
    const dag = await buildUnixfs([{ path: 'site/dir/file.bin', content: randomBytes(200_000) }], 65_536)
    await node.blockStream(each(dag.blocks))
    const dir = dag.entries.get('site/dir') as CID
    // offline: the record stays on our node, the daemon has to ask for it
    const { name } = await ipns(node.helia!).publish('site', dag.entries.get('site') as CID, { offline: true })

    const ipfsAddrs: string[] = jsonDocs((await peer.ctl(['--enc=json', 'id'])).stdout)[0].ipfs.addresses
    await node.connectSwarms(ipfsAddrs)
    // the daemon adds us to its DHT routing table once identify has run on the new connection
    let r = await peer.ctl(['pin', 'add', '--wait', `${name}/dir`])
    for (let i = 0; i < 50 && r.code !== 0 && r.stdout.includes('no IPNS record'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100))
      r = await peer.ctl(['pin', 'add', '--wait', `${name}/dir`])
    }
    assert.equal(r.code, 0, r.stdout + r.stderr)
    assert.match(r.stdout, new RegExp(`^${dir.toString()}:\\n    > .+ : PINNED \\|`))
    assert.match((await peer.ctl(['status', dir.toString()])).stdout, /PINNED/)
  })

  it('reports a name nobody has a record for', async () => {
    const r = await peer.ctl(['pin', 'add', '/ipns/k51qzi5uqu5dlvj2baxnqndepeb86cbk3ng7n3i46uzyxzyqj2xjonzllnv0v8'])
    assert.notEqual(r.code, 0)
    assert.match(r.stdout, /could not resolve name "k51qzi5uqu5dlvj2baxnqndepeb86cbk3ng7n3i46uzyxzyqj2xjonzllnv0v8": no IPNS record found/)
  })
})
