import { after, before, beforeEach, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { remoteError } from '../../src/cluster/errors-rpc.js'
import { registerRpcApi } from '../../src/cluster/rpc-api.js'
import {
  alertFromWire, alertToWire, bandwidthFromWire, bandwidthToWire, connectGraphFromWire, connectGraphToWire,
  globalRepoGCFromWire, globalRepoGCToWire, ipfsIdFromWire, ipfsIdToWire, ipfsPinInfoFromWire, ipfsPinInfoToWire,
  pinPathFromWire, pinPathToWire, repoStatFromWire, repoStatToWire
} from '../../src/cluster/rpc-codec.js'
import {
  remoteBlockAllocate, remoteBlockStream, remoteId, remoteIdStream, remoteIpfsId, remoteLatestMetrics, remoteLogPin,
  remoteLogUnpin, remotePin, remotePinLs, remotePinQueueSize, remoteRecover, remoteRecoverAllLocal, remoteRecoverLocal,
  remoteRepoGCLocal, remoteRepoStat, remoteStatus, remoteStatusAll, remoteSwarmPeers, remoteUnpin, remoteVersion
} from '../../src/cluster/rpc-client.js'
import { pinWithOpts } from '../../src/api/common/pin.js'
import { statusMatch } from '../../src/api/common/status.js'
import { PinNotFoundError, QueueFullError } from '../../src/interface/errors.js'
import { TRACKER_STATUS_BITS } from '../../src/interface/types.js'
import { RpcApplicationError, RpcAuthorizationError } from '../../src/rpc/errors.js'
import { DEFAULT_POLICY } from '../../src/rpc/policy.js'
import { roundTrip } from '../../src/rpc/wire.js'
import { createLogger } from '../../src/util/logger.js'
import { connect, startPeer } from '../rpc/helpers.js'
import type { RecoverFailure, RpcApiCluster, RpcApiComponents } from '../../src/cluster/rpc-api.js'
import type { Cluster } from '../../src/cluster/cluster.js'
import type { Consensus } from '../../src/interface/consensus.js'
import type { BlockWithFormat, IPFSConnector } from '../../src/interface/ipfs-connector.js'
import type { PeerMonitor } from '../../src/interface/peer-monitor.js'
import type { PinTracker } from '../../src/interface/pin-tracker.js'
import type { Alert, BandwidthByProtocol, ConnectGraph, GlobalRepoGC, ID, Metric, Pin, PinInfo } from '../../src/interface/types.js'
import type { RpcContext, RpcHandler } from '../../src/rpc/types.js'
import type { TestPeer } from '../rpc/helpers.js'

// the real Cluster must be accepted as the RPC API's cluster
const acceptsCluster = (c: Cluster): RpcApiCluster => c
void acceptsCluster

const PEER_X = '12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA'
const PEER_Y = 'QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N'

async function cidOf (data: Uint8Array): Promise<CID> {
  return CID.createV1(raw.code, await sha256.digest(data))
}

/** Small fakes: each test sets the methods it uses; the handlers read them at call time. */
interface Fakes {
  cluster: Partial<RpcApiCluster>
  tracker: Partial<PinTracker>
  ipfs: Partial<IPFSConnector>
  consensus: Partial<Consensus>
  monitor: Partial<PeerMonitor>
}

function components (f: Fakes, peerId?: string): RpcApiComponents {
  return {
    cluster: f.cluster as RpcApiCluster,
    tracker: f.tracker as PinTracker,
    ipfs: f.ipfs as IPFSConnector,
    consensus: f.consensus as Consensus,
    monitor: f.monitor as PeerMonitor,
    peerId,
    logger: createLogger({ level: 'error', prefix: 'rpcapi' })
  }
}

const sampleId = (id: string): ID => ({
  id,
  addresses: [`/ip4/127.0.0.1/tcp/9096/p2p/${id}`],
  clusterPeers: [id, PEER_X],
  clusterPeersAddresses: [],
  version: '1.1.6',
  commit: '',
  rpcProtocolVersion: '/ipfscluster/1.0/rpc',
  error: '',
  ipfs: { id: PEER_Y, addresses: ['/ip4/10.0.0.1/tcp/4001'], error: '' },
  peerName: 'b'
})

function pinInfo (cid: CID, status: PinInfo['status'], peer = PEER_X): PinInfo {
  return {
    cid,
    name: 'n',
    peer,
    allocations: [peer],
    origins: [],
    created: new Date('2024-05-06T07:08:09.123Z'),
    metadata: { a: 'b' },
    peerName: 'b',
    ipfsPeerId: PEER_Y,
    ipfsPeerAddresses: ['/ip4/10.0.0.1/tcp/4001'],
    status,
    timestamp: new Date('2024-05-06T07:08:10.456Z'),
    error: status === 'pin_error' ? 'boom' : '',
    attemptCount: 2,
    priorityPin: true
  }
}

async function collect<T> (it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = []
  for await (const x of it) out.push(x)
  return out
}

async function * none (): AsyncGenerator<unknown> {}

describe('cluster rpc api', () => {
  // a: trusted caller; b: the server (in-process calls go through msgpack); c: untrusted caller
  let a: TestPeer, b: TestPeer, c: TestPeer
  const f: Fakes = { cluster: {}, tracker: {}, ipfs: {}, consensus: {}, monitor: {} }
  let cid1: CID, cid2: CID, cid3: CID

  before(async () => {
    [a, b, c] = await Promise.all([startPeer('a'), startPeer('b', { encodeLocal: true }), startPeer('c')])
    b.trusted.add(a.id)
    registerRpcApi(b.rpc, components(f, b.id))
    await connect(a, b)
    await connect(c, b)
    ;[cid1, cid2, cid3] = await Promise.all(['one', 'two', 'three'].map(async (s) => await cidOf(new TextEncoder().encode(s))))
  })

  after(async () => {
    await Promise.all([a, b, c].map(async (p) => await p?.stop()))
  })

  beforeEach(() => {
    for (const part of Object.values(f) as Array<Record<string, unknown>>) for (const k of Object.keys(part)) delete part[k]
  })

  it('registers a handler of the right kind for each of the 55 endpoints', async () => {
    const registered = new Map<string, RpcHandler>()
    registerRpcApi({ register: (s, m, h) => { registered.set(`${s}.${m}`, h as RpcHandler) } }, components(f))
    assert.deepEqual([...registered.keys()].sort(), Object.keys(DEFAULT_POLICY).sort())
    assert.equal(registered.size, 55)
    const perService: Record<string, number> = {}
    for (const name of registered.keys()) perService[name.split('.')[0]] = (perService[name.split('.')[0]] ?? 0) + 1
    assert.deepEqual(perService, { Cluster: 31, PinTracker: 7, IPFSConnector: 10, Consensus: 5, PeerMonitor: 2 })
    const ctx: RpcContext = { peer: '', local: true, signal: new AbortController().signal }
    for (const [name, handler] of registered) {
      const out = handler(DEFAULT_POLICY[name].streaming ? none() : null, ctx)
      if (DEFAULT_POLICY[name].streaming) {
        assert.ok(!(out instanceof Promise) && Symbol.asyncIterator in out, `${name} is streaming`)
      } else {
        assert.ok(out instanceof Promise, `${name} is unary`)
        out.catch(() => {})
      }
    }
  })

  it('serves every endpoint in process', async () => {
    for (const [name, endpoint] of Object.entries(DEFAULT_POLICY)) {
      const [service, method] = name.split('.')
      const run = endpoint.streaming
        ? collect(b.rpc.stream('', service, method, undefined, { timeout: 5000 }))
        : b.rpc.call('', service, method, null, { timeout: 5000 })
      // the fakes are empty: anything may fail, but not for want of a handler
      await run.catch((err) => { assert.notEqual(err.name, 'RpcUnknownMethodError', name) })
    }
  })

  it('answers ID, IDStream and Version to any peer', async () => {
    f.cluster.id = async () => sampleId(b.id)
    f.cluster.version = () => '1.1.6'
    assert.deepEqual(await remoteId(c.rpc, b.id), sampleId(b.id))
    assert.deepEqual(await collect(remoteIdStream(a.rpc, b.id)), [sampleId(b.id)])
    assert.equal(await remoteVersion(c.rpc, b.id), '1.1.6')
  })

  it('carries every field of a pin, both ways', async () => {
    const pin: Pin = {
      replicationFactorMin: 2,
      replicationFactorMax: 3,
      name: 'a pin',
      mode: 'recursive',
      shardSize: 1048576,
      userAllocations: [PEER_X],
      expireAt: new Date('2030-01-02T03:04:05.678Z'),
      metadata: { k: 'v', 'x-y': 'é' },
      pinUpdate: cid2,
      origins: [`/ip4/1.2.3.4/tcp/4001/p2p/${PEER_Y}`],
      cid: cid1,
      type: 'shard-pin',
      allocations: [PEER_X, PEER_Y],
      maxDepth: 3,
      reference: cid3,
      timestamp: new Date('2024-01-02T03:04:05.006Z')
    }
    const logged: Pin[] = []
    f.consensus.logPin = async (p) => { logged.push(p) }
    f.consensus.logUnpin = async (p) => { logged.push(p) }
    await remoteLogPin(a.rpc, b.id, pin)
    await remoteLogUnpin(a.rpc, b.id, pin)
    assert.deepEqual(logged, [pin, pin])

    // Cluster.Pin is closed: in process only, still through msgpack on b
    const committed: Pin = { ...pin, allocations: [PEER_Y], type: 'pin', maxDepth: 0, mode: 'direct' }
    f.cluster.pinObject = async (p) => {
      assert.deepEqual(p, pin)
      return committed
    }
    assert.deepEqual(await remotePin(b.rpc, '', pin), committed)
    f.cluster.unpin = async (c) => {
      assert.ok(c.equals(cid1))
      return pin
    }
    assert.deepEqual(await remoteUnpin(b.rpc, '', pin), pin)
  })

  it('carries metrics with int64 times', async () => {
    const m: Metric = {
      name: 'freespace',
      peer: PEER_X,
      value: '1234',
      expire: 1_700_000_000_123_456_789n,
      valid: true,
      weight: -9_007_199_254_740_993n,
      partitionable: true,
      receivedAt: 1_700_000_000_987_654_321n
    }
    f.monitor.latestMetrics = async (name) => name === 'freespace' ? [m] : []
    assert.deepEqual(await remoteLatestMetrics(b.rpc, '', 'freespace'), [m])
    assert.deepEqual(await remoteLatestMetrics(b.rpc, b.id, 'ping'), [])
  })

  it('answers Status and StatusAll with the filter the caller sent', async () => {
    f.tracker.status = async (c) => pinInfo(c, 'pinned', b.id)
    assert.deepEqual(await remoteStatus(a.rpc, b.id, cid1), pinInfo(cid1, 'pinned', b.id))

    const items = [pinInfo(cid1, 'pinned'), pinInfo(cid2, 'pin_error'), pinInfo(cid3, 'pin_queued')]
    const filters: number[] = []
    f.tracker.statusAll = async function * (filter) {
      filters.push(filter)
      for (const i of items) if (statusMatch(i.status, filter)) yield i
    }
    const filter = TRACKER_STATUS_BITS.pinned | TRACKER_STATUS_BITS.pin_error
    assert.deepEqual(await collect(remoteStatusAll(a.rpc, b.id, filter)), items.slice(0, 2))
    assert.deepEqual(await collect(remoteStatusAll(a.rpc, b.id, 0)), items)
    // Cluster.StatusAllLocal without an argument: all (Go reads a zero filter)
    f.cluster.statusAllLocal = (filter) => f.tracker.statusAll!(filter)
    assert.equal((await collect(b.rpc.stream('', 'Cluster', 'StatusAllLocal', undefined))).length, 3)
    assert.deepEqual(filters, [filter, 0, 0])
  })

  it('recovers locally on request of a trusted peer', async () => {
    const seen: CID[] = []
    f.cluster.recoverLocal = async (c) => {
      seen.push(c)
      return pinInfo(c, 'pin_queued', b.id)
    }
    assert.deepEqual(await remoteRecoverLocal(a.rpc, b.id, cid2), pinInfo(cid2, 'pin_queued', b.id))
    assert.ok(seen[0].equals(cid2))
    f.cluster.recoverAllLocal = async function * () { yield pinInfo(cid1, 'pinning', b.id); yield pinInfo(cid2, 'pin_queued', b.id) }
    assert.deepEqual(await collect(remoteRecoverAllLocal(a.rpc, b.id)), [pinInfo(cid1, 'pinning', b.id), pinInfo(cid2, 'pin_queued', b.id)])
  })

  it('reports a failed PinTracker.Recover with its name, and its status in process', async () => {
    f.tracker.recover = async () => { throw new QueueFullError() }
    f.tracker.status = async (c) => pinInfo(c, 'pin_error', b.id)
    await assert.rejects(remoteRecover(a.rpc, b.id, cid1), (err: Error) => {
      assert.equal(err.name, 'QueueFullError')
      assert.ok(err instanceof QueueFullError)
      return true
    })
    await assert.rejects(b.rpc.call('', 'PinTracker', 'Recover', cid1.bytes), (err: RecoverFailure) => {
      assert.equal(err.name, 'QueueFullError')
      assert.deepEqual(err.pinInfo, pinInfo(cid1, 'pin_error', b.id))
      return true
    })
    f.tracker.recover = async (c) => pinInfo(c, 'pin_queued', b.id)
    assert.deepEqual(await remoteRecover(a.rpc, b.id, cid1), pinInfo(cid1, 'pin_queued', b.id))
  })

  it('lists IPFS pins of the requested types, and refuses a listing without types', async () => {
    const asked: string[][] = []
    f.ipfs.pinLs = async function * (types) {
      asked.push(types)
      yield { cid: cid1, type: 'recursive' }
      yield { cid: cid2, type: 'direct' }
    }
    const got = await collect(remotePinLs(b.rpc, '', ['recursive', 'direct']))
    assert.deepEqual(got.map((p) => [p.cid.toString(), p.type]), [[cid1.toString(), 'recursive'], [cid2.toString(), 'direct']])
    assert.deepEqual(asked, [['recursive', 'direct']])
    await assert.rejects(collect(b.rpc.stream('', 'IPFSConnector', 'PinLs', undefined)), {
      name: 'InvalidArgumentError', message: 'no pinType provided for pin/ls'
    })
  })

  it('streams 100 blocks of 256 KiB intact and in order', async () => {
    const blocks: BlockWithFormat[] = []
    for (let i = 0; i < 100; i++) {
      const data = randomBytes(256 * 1024)
      blocks.push({ cid: await cidOf(data), data })
    }
    let received = 0
    f.ipfs.blockStream = async (stream, options) => {
      assert.notEqual(options?.hashedInProcess, true)
      for await (const blk of stream) {
        const want = blocks[received++]
        assert.ok(blk.cid.equals(want.cid), `block ${received - 1} in order`)
        assert.ok(Buffer.from(blk.data).equals(want.data), `block ${received - 1} intact`)
      }
    }
    async function * source (): AsyncGenerator<BlockWithFormat> { yield * blocks }
    await remoteBlockStream(a.rpc, b.id, source())
    assert.equal(received, 100)
  })

  it('fails BlockStream with the store\'s error', async () => {
    f.ipfs.blockStream = async (stream) => {
      for await (const _ of stream) throw new Error('disk full')
    }
    const data = new Uint8Array([1, 2, 3])
    async function * one (): AsyncGenerator<BlockWithFormat> { yield { cid: await cidOf(data), data } }
    await assert.rejects(remoteBlockStream(a.rpc, b.id, one()), { message: 'disk full' })
  })

  it('answers RepoStat, SwarmPeers and RepoGCLocal to a trusted peer', async () => {
    f.ipfs.repoStat = async () => ({ repoSize: 12345678901, storageMax: 10_000_000_000 })
    f.ipfs.swarmPeers = async () => [PEER_X, PEER_Y]
    f.cluster.repoGCLocal = async () => ({ peer: b.id, peerName: 'b', keys: [{ key: cid1, error: '' }, { key: cid2, error: 'busy' }], error: '' })
    assert.deepEqual(await remoteRepoStat(a.rpc, b.id), { repoSize: 12345678901, storageMax: 10_000_000_000 })
    assert.deepEqual(await remoteSwarmPeers(a.rpc, b.id), [PEER_X, PEER_Y])
    const gc = await remoteRepoGCLocal(a.rpc, b.id)
    assert.equal(gc.peer, b.id)
    assert.deepEqual(gc.keys?.map((k) => [k.key?.toString(), k.error]), [[cid1.toString(), ''], [cid2.toString(), 'busy']])
  })

  it('refuses a closed endpoint to remote callers, even trusted ones', async () => {
    let called = false
    f.cluster.pinObject = async (p) => { called = true; return p }
    f.tracker.pinQueueSize = async () => 3
    const pin = pinWithOpts(cid1)
    await assert.rejects(remotePin(a.rpc, b.id, pin), { name: 'RpcAuthorizationError', message: 'client does not have permissions to call Cluster.Pin' })
    await assert.rejects(remotePinQueueSize(a.rpc, b.id), { name: 'RpcAuthorizationError' })
    assert.equal(called, false)
    assert.equal(await remotePinQueueSize(b.rpc, ''), 3)
  })

  it('refuses a trusted endpoint to an untrusted caller', async () => {
    let called = false
    f.tracker.status = async (c) => { called = true; return pinInfo(c, 'pinned') }
    await assert.rejects(remoteStatus(c.rpc, b.id, cid1), { name: 'RpcAuthorizationError', message: 'client does not have permissions to call PinTracker.Status' })
    await assert.rejects(remoteBlockStream(c.rpc, b.id, (async function * () {})()), { name: 'RpcAuthorizationError' })
    assert.equal(called, false)
  })

  it('rethrows a component error under its own name, remote or local', async () => {
    f.tracker.status = async () => { throw new PinNotFoundError() }
    for (const [rpc, peer] of [[a.rpc, b.id], [b.rpc, '']] as const) {
      await assert.rejects(remoteStatus(rpc, peer, cid1), (err: Error) => {
        assert.equal(err.name, 'PinNotFoundError')
        assert.ok(err instanceof PinNotFoundError)
        assert.equal(err.message, 'pin is not part of the pinset')
        return true
      })
    }
    // a name the client does not know is kept too, mid-stream
    f.tracker.statusAll = async function * () {
      yield pinInfo(cid1, 'pinned')
      const e = new Error('the pin tracker stopped')
      e.name = 'TrackerStoppedError'
      throw e
    }
    const got: PinInfo[] = []
    await assert.rejects(async () => { for await (const p of remoteStatusAll(a.rpc, b.id, 0)) got.push(p) }, { name: 'TrackerStoppedError', message: 'the pin tracker stopped' })
    assert.equal(got.length, 1)
  })

  it('refuses operations the cluster does not provide with NotSupportedError', async () => {
    await assert.rejects(b.rpc.call('', 'Cluster', 'Join', '/ip4/1.2.3.4/tcp/9096/p2p/' + PEER_X), { name: 'NotSupportedError' })
    await assert.rejects(remoteBlockAllocate(b.rpc, '', pinWithOpts(cid1)), { name: 'NotSupportedError' })
    await assert.rejects(b.rpc.call('', 'Cluster', 'SendInformersMetrics', null), { name: 'NotSupportedError' })
    await assert.rejects(collect(b.rpc.stream('', 'Cluster', 'PeersWithFilter', undefined)), { name: 'NotSupportedError' })

    const joined: string[] = []
    f.cluster.join = async (addr) => { joined.push(addr) }
    f.cluster.blockAllocate = async (opts) => opts.replicationFactorMin === 2 ? [PEER_X, PEER_Y] : []
    await b.rpc.call('', 'Cluster', 'Join', '/ip4/1.2.3.4/tcp/9096/p2p/' + PEER_X)
    assert.deepEqual(joined, ['/ip4/1.2.3.4/tcp/9096/p2p/' + PEER_X])
    const pin = { ...pinWithOpts(cid1), replicationFactorMin: 2 }
    assert.deepEqual(await remoteBlockAllocate(b.rpc, '', pin), [PEER_X, PEER_Y])
  })

  it('answers IPFSID from the ping metric, and for self from the local IPFS ID', async () => {
    f.monitor.latestForPeer = (name, peer) => name === 'ping' && peer === PEER_X
      ? { name: 'ping', peer, value: JSON.stringify({ peer_name: 'x', ipfs_id: PEER_Y, ipfs_addresses: ['/ip4/10.1.1.1/tcp/4001'] }), expire: 0n, valid: true, weight: 0n, partitionable: false, receivedAt: 0n }
      : undefined
    f.cluster.localIPFS = () => ({ id: 'QmSelfIpfs', addresses: ['/ip4/10.0.0.2/tcp/4001'] })
    assert.deepEqual(await remoteIpfsId(b.rpc, '', PEER_X), { id: PEER_Y, addresses: ['/ip4/10.1.1.1/tcp/4001'], error: '' })
    assert.deepEqual(await remoteIpfsId(b.rpc, '', ''), { id: 'QmSelfIpfs', addresses: ['/ip4/10.0.0.2/tcp/4001'], error: '' })
    assert.deepEqual(await remoteIpfsId(b.rpc, '', b.id), { id: 'QmSelfIpfs', addresses: ['/ip4/10.0.0.2/tcp/4001'], error: '' })
    // no ping metric: Go's zero value
    assert.deepEqual(await remoteIpfsId(b.rpc, '', PEER_Y), { id: '', addresses: undefined, error: '' })
  })
})

describe('cluster rpc codec', () => {
  let cid: CID
  before(async () => { cid = await cidOf(new Uint8Array([7])) })

  it('round-trips a PinPath with its options', () => {
    const opts = pinWithOpts(cid, {
      name: 'p', mode: 'direct', replicationFactorMin: 1, replicationFactorMax: 2, metadata: { m: '1' },
      expireAt: new Date('2031-01-01T00:00:00.5Z'), userAllocations: [PEER_X], origins: [], pinUpdate: cid, shardSize: 7
    })
    const { path, opts: back } = pinPathFromWire(roundTrip(pinPathToWire('/ipfs/' + cid.toString() + '/a', opts)))
    assert.equal(path, '/ipfs/' + cid.toString() + '/a')
    const { cid: _c, type: _t, allocations: _a, maxDepth: _d, reference: _r, timestamp: _ts, ...want } = opts
    assert.deepEqual(back, want)
  })

  it('round-trips the values without a REST decoder', () => {
    const graph: ConnectGraph = {
      clusterId: PEER_X,
      idToPeerName: new Map([[PEER_X, 'x'], [PEER_Y, 'y']]),
      ipfsLinks: new Map([['QmI1', ['QmI2']], ['QmI2', []]]),
      clusterLinks: new Map([[PEER_X, [PEER_Y]], [PEER_Y, [PEER_X]]]),
      clusterTrustLinks: new Map([[PEER_X, false], [PEER_Y, true]]),
      clusterToIpfs: new Map([[PEER_X, 'QmI1'], [PEER_Y, 'QmI2']])
    }
    assert.deepEqual(connectGraphFromWire(roundTrip(connectGraphToWire(graph))), graph)
    const gc: GlobalRepoGC = { peerMap: new Map([[PEER_X, { peer: PEER_X, peerName: 'x', keys: [{ key: cid, error: '' }], error: '' }], [PEER_Y, { peer: PEER_Y, peerName: 'y', keys: undefined, error: 'down' }]]) }
    assert.deepEqual(globalRepoGCFromWire(roundTrip(globalRepoGCToWire(gc))), gc)
    const bw: BandwidthByProtocol = new Map([['/ipfs/bitswap/1.2.0', { totalIn: 2n ** 60n, totalOut: 5n, rateIn: 1.5, rateOut: 0 }]])
    assert.deepEqual(bandwidthFromWire(roundTrip(bandwidthToWire(bw))), bw)
    const alert: Alert = { name: 'ping', peer: PEER_X, value: '', expire: 1_700_000_000_000_000_001n, valid: true, weight: 0n, partitionable: false, receivedAt: 3n, triggeredAt: new Date('2024-01-01T00:00:00.25Z') }
    assert.deepEqual(alertFromWire(roundTrip(alertToWire(alert))), alert)
    assert.deepEqual(repoStatFromWire(roundTrip(repoStatToWire({ repoSize: 1, storageMax: 2 }))), { repoSize: 1, storageMax: 2 })
    assert.deepEqual(ipfsIdFromWire(roundTrip(ipfsIdToWire({ id: PEER_Y, addresses: [], error: 'e' }))), { id: PEER_Y, addresses: [], error: 'e' })
    const info = ipfsPinInfoFromWire(roundTrip(ipfsPinInfoToWire({ cid, type: 'indirect' })))
    assert.ok(info.cid.equals(cid))
    assert.equal(info.type, 'indirect')
    assert.equal(ipfsPinInfoFromWire({ cid: cid.bytes, type: 'weird' }).type, 'bug')
  })

  it('keeps transport errors and unnamed remote errors as they are', () => {
    const auth = new RpcAuthorizationError('no')
    assert.equal(remoteError(auth), auth)
    const unnamed = new RpcApplicationError('x', '')
    assert.equal(remoteError(unnamed), unnamed)
    const named = remoteError(new RpcApplicationError('gone', 'PinNotFoundError')) as Error
    assert.equal(named.name, 'PinNotFoundError')
    assert.equal((named.cause as Error).name, 'RpcApplicationError')
  })
})
