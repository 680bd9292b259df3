/**
 * A third-party REST client, unchanged, against a real daemon: `@nftstorage/ipfs-cluster`
 * (`info`, `add`, `addDirectory`, `addCAR`, `status`). The client sends
 * `cid-version=1&raw-leaves=true&stream-channels=false` and reads the first element of the
 * JSON array (`add`) or the whole array (`addDirectory`); CIDs are checked against the
 * Kubo-configured oracle (test/adder/kubo-oracle.ts), pins through the client and our ctl.
 */
import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { Cluster } from '@nftstorage/ipfs-cluster'
import * as dagPb from '@ipld/dag-pb'
import * as raw from 'multiformats/codecs/raw'
import { CID } from 'multiformats/cid'
import { sha256 } from 'multiformats/hashes/sha2'
import { carBytes } from '../adder/car-bytes.js'
import { det, oracle } from '../adder/kubo-oracle.js'
import { Peer } from './harness.js'

/** Kubo `ipfs add --cid-version 1` of `hello world\n`. */
const HELLO_V1 = 'bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4'
const V1 = { cidVersion: 1 as const, rawLeaves: true }

describe('@nftstorage/ipfs-cluster client', () => {
  let peer: Peer
  let peerId: string
  let cluster: Cluster

  before(async () => {
    peer = await Peer.init()
    await peer.start()
    peerId = await peer.id()
    const [, , host, , port] = peer.restAddr.split('/')
    cluster = new Cluster(`http://${host}:${port}/`)
  })
  after(async () => { await peer?.destroy() })

  /** Polls the client's `status` until this peer reports `pinned`. */
  const pinnedStatus = async (cid: string): Promise<string | undefined> => {
    let status: string | undefined
    for (let i = 0; i < 100; i++) {
      status = (await cluster.status(cid)).peerMap?.[peerId]?.status
      if (status === 'pinned') break
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    return status
  }

  const pinLs = async (): Promise<string> => {
    const r = await peer.ctl(['pin', 'ls'])
    assert.equal(r.code, 0, r.stderr)
    return r.stdout
  }

  it('reads the peer info', async () => {
    const info = await cluster.info()
    assert.equal(info.id, peerId)
    assert.equal(typeof info.version, 'string')
  })

  it('adds a file with CIDv1 raw leaves and pins it', async () => {
    const hello = await cluster.add(new File(['hello world\n'], 'hello.txt'))
    assert.deepEqual([hello.name, hello.cid, hello.size], ['hello.txt', HELLO_V1, 12])

    const data = det(300 * 1024 + 5)
    const big = await cluster.add(new File([data], 'big.bin'), { name: 'big one' })
    assert.equal(big.name, 'big.bin')
    assert.equal(big.cid, await oracle([{ type: 'file', path: 'big.bin', data }], V1))
    assert.match(big.cid, /^bafybei/)
    assert.equal(await pinnedStatus(big.cid), 'pinned')
    assert.equal((await cluster.status(big.cid)).name, 'big one')
    // Kubo's CIDv1 of the empty file is the empty raw block
    const empty = await cluster.add(new File([], 'empty'))
    assert.equal(empty.cid, 'bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku')
    // with stream-channels=true the client parses the single NDJSON line as the whole body
    const streamed = await cluster.add(new File(['hello world\n'], 'hello.txt'), { streamChannels: true })
    assert.deepEqual([streamed.name, streamed.cid], ['hello.txt', HELLO_V1])
    const ls = await pinLs()
    assert.ok(ls.includes(hello.cid) && ls.includes(big.cid), ls)
  })

  it('adds several files as one wrapped directory', async () => {
    const files = [
      { name: 'b.txt', data: det(10, 1) },
      { name: 'a.txt', data: det(200_000, 2) },
      { name: 'c.bin', data: det(600 * 1024, 3) }
    ]
    const results = await cluster.addDirectory(files.map((f) => new File([f.data], f.name)))
    assert.deepEqual(results.map((r) => r.name), ['b.txt', 'a.txt', 'c.bin', ''])
    for (const f of files) {
      const got = results.find((r) => r.name === f.name)
      assert.equal(got?.cid, await oracle([{ type: 'file', path: f.name, data: f.data }], V1), f.name)
    }
    const root = results[results.length - 1].cid
    const expected = await oracle(files.map((f) => ({ type: 'file' as const, path: f.name, data: f.data })), { ...V1, wrap: true })
    assert.equal(root, expected)
    assert.equal(await pinnedStatus(root), 'pinned')
    assert.ok((await pinLs()).includes(root))
  })

  it('adds a CAR and pins its root', async () => {
    const leaf = new TextEncoder().encode('nft.storage car leaf\n')
    const leafCid = CID.createV1(raw.code, await sha256.digest(leaf))
    const node = dagPb.encode(dagPb.prepare({ Links: [{ Hash: leafCid, Name: 'leaf', Tsize: leaf.length }] }))
    const rootCid = CID.createV1(dagPb.code, await sha256.digest(node))
    const car = await carBytes([rootCid], [{ cid: rootCid, bytes: node }, { cid: leafCid, bytes: leaf }])
    const added = await cluster.addCAR(new Blob([car]))
    assert.equal(added.cid, rootCid.toString())
    assert.equal(await pinnedStatus(added.cid), 'pinned')
    assert.ok((await pinLs()).includes(added.cid))
  })
})
