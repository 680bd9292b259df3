import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import * as dagCbor from '@ipld/dag-cbor'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { configLookup, configView, formatStorageMax } from '../../../src/ipfsconn/embedded/config-view.js'
import { walkDag } from '../../../src/ipfsconn/embedded/dag-walk.js'
import { createRWLock } from '../../../src/ipfsconn/embedded/rw-lock.js'

const tick = async (): Promise<void> => { await new Promise((resolve) => setImmediate(resolve)) }

describe('embedded rw lock', () => {
  it('lets readers share and makes a writer wait for them', async () => {
    const lock = createRWLock()
    const r1 = await lock.readLock()
    const r2 = await lock.readLock()
    let wrote = false
    const w = lock.writeLock().then((release) => { wrote = true; return release })
    await tick()
    assert.equal(wrote, false)
    r1()
    await tick()
    assert.equal(wrote, false)
    r2()
    const release = await w
    assert.equal(wrote, true)
    release()
  })

  it('makes readers that come after a waiting writer wait for it', async () => {
    const lock = createRWLock()
    const r1 = await lock.readLock()
    const order: string[] = []
    const w = lock.writeLock().then((release) => { order.push('w'); release() })
    const r = lock.readLock().then((release) => { order.push('r'); release() })
    r1()
    await Promise.all([w, r])
    assert.deepEqual(order, ['w', 'r'])
  })
})

describe('embedded dag walk', () => {
  async function makeTree (width: number): Promise<{ root: CID, blocks: Map<string, Uint8Array> }> {
    const blocks = new Map<string, Uint8Array>()
    const leaves: CID[] = []
    for (let i = 0; i < width; i++) {
      const data = new TextEncoder().encode(`leaf ${i}`)
      const cid = CID.createV1(raw.code, await sha256.digest(data))
      blocks.set(cid.toString(), data)
      leaves.push(cid)
    }
    const mid = dagCbor.encode({ leaves })
    const midCid = CID.createV1(dagCbor.code, await sha256.digest(mid))
    blocks.set(midCid.toString(), mid)
    const top = dagCbor.encode({ mid: midCid, again: midCid })
    const root = CID.createV1(dagCbor.code, await sha256.digest(top))
    blocks.set(root.toString(), top)
    return { root, blocks }
  }

  const getCodec = (code: number): any => {
    if (code === dagCbor.code) return dagCbor
    if (code === raw.code) return raw
    throw new Error('no codec')
  }

  it('fetches with bounded concurrency and visits each block once', async () => {
    const { root, blocks } = await makeTree(40)
    let inFlight = 0
    let maxInFlight = 0
    const fetched: string[] = []
    await walkDag(root, {
      maxDepth: -1,
      concurrency: 8,
      getCodec,
      getBlock: async (cid) => {
        inFlight++
        maxInFlight = Math.max(maxInFlight, inFlight)
        await new Promise((resolve) => setTimeout(resolve, 2))
        inFlight--
        fetched.push(cid.toString())
        return blocks.get(cid.toString()) as Uint8Array
      }
    })
    assert.equal(fetched.length, blocks.size)
    assert.equal(new Set(fetched).size, blocks.size)
    assert.equal(maxInFlight, 8)
  })

  it('stops at max depth', async () => {
    const { root, blocks } = await makeTree(5)
    const fetched: string[] = []
    await walkDag(root, {
      maxDepth: 1,
      concurrency: 4,
      getCodec,
      getBlock: async (cid) => { fetched.push(cid.toString()); return blocks.get(cid.toString()) as Uint8Array }
    })
    assert.equal(fetched.length, 2)
  })

  it('rejects with the first fetch error', async () => {
    const { root, blocks } = await makeTree(5)
    await assert.rejects(walkDag(root, {
      maxDepth: -1,
      concurrency: 4,
      getCodec,
      getBlock: async (cid) => {
        if (cid.code === raw.code) throw new RangeError('boom')
        return blocks.get(cid.toString()) as Uint8Array
      }
    }), { name: 'RangeError' })
  })
})

describe('embedded config view', () => {
  const view = configView({ peerId: '12D3KooWtest', swarmListen: ['/ip4/0.0.0.0/tcp/4001'], announce: [], storageMax: 10_000_000_000 })

  it('answers nested keys', () => {
    assert.equal(configLookup(view, 'Datastore/StorageMax'), '10GB')
    assert.deepEqual(configLookup(view, 'Addresses/Swarm'), ['/ip4/0.0.0.0/tcp/4001'])
    assert.equal(configLookup(view, 'Identity/PeerID'), '12D3KooWtest')
  })

  it('rejects empty, unknown and too deep keys', () => {
    assert.throws(() => configLookup(view, ''), { name: 'IPFSError' })
    assert.throws(() => configLookup(view, 'Nope'), { name: 'IPFSError' })
    assert.throws(() => configLookup(view, 'Datastore/StorageMax/X'), { name: 'IPFSError' })
  })

  it('formats StorageMax as Kubo writes it', () => {
    assert.equal(formatStorageMax(10_000_000_000), '10GB')
    assert.equal(formatStorageMax(500_000_000), '500MB')
    assert.equal(formatStorageMax(1234), '1234B')
  })
})
