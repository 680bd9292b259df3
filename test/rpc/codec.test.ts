import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { CID } from 'multiformats/cid'
import {
  cidFromWire, cidToWire, idFromWire, idToWire, metricFromWire, metricToWire, pinFromWire, pinInfoFromWire,
  pinInfoToWire, pinToWire
} from '../../src/rpc/codec.js'
import { roundTrip } from '../../src/rpc/wire.js'
import type { ID, Metric, Pin, PinInfo } from '../../src/interface/types.js'

const cid = CID.parse('QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o')
const peer = '12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA'

describe('rpc codec', () => {
  it('carries CIDs as their binary form', () => {
    const bytes = roundTrip(cidToWire(cid))
    assert.ok(bytes instanceof Uint8Array)
    assert.ok(cidFromWire(bytes).equals(cid))
    assert.ok(cidFromWire(cid.toString()).equals(cid))
    assert.throws(() => cidFromWire(42), { name: 'InvalidArgumentError' })
    assert.throws(() => cidFromWire(new Uint8Array([1, 2])), { name: 'InvalidArgumentError' })
  })

  it('round-trips a pin through msgpack', () => {
    const pin: Pin = {
      replicationFactorMin: 2,
      replicationFactorMax: 3,
      name: 'a pin',
      mode: 'recursive',
      shardSize: 1048576,
      userAllocations: [peer],
      expireAt: new Date('2030-01-02T03:04:05.678Z'),
      metadata: { k: 'v' },
      pinUpdate: undefined,
      origins: undefined,
      cid,
      type: 'pin',
      allocations: [peer],
      maxDepth: -1,
      reference: undefined,
      timestamp: new Date('2024-05-06T07:08:09.123Z')
    }
    const back = pinFromWire(roundTrip(pinToWire(pin)))
    assert.ok(back.cid.equals(cid))
    assert.deepEqual({ ...back, cid: undefined }, { ...pin, cid: undefined })
  })

  it('round-trips a pin info and an ID', () => {
    const info: PinInfo = {
      cid, name: 'n', peer, allocations: [peer], origins: undefined, created: new Date('2024-01-01T00:00:00.5Z'),
      metadata: undefined, peerName: 'p1', ipfsPeerId: peer, ipfsPeerAddresses: [], status: 'pinned',
      timestamp: new Date('2024-01-01T00:00:01Z'), error: '', attemptCount: 1, priorityPin: false
    }
    const back = pinInfoFromWire(roundTrip(pinInfoToWire(info)))
    assert.deepEqual({ ...back, cid: back.cid.toString() }, { ...info, cid: cid.toString() })
    const id: ID = {
      id: peer, addresses: ['/ip4/127.0.0.1/tcp/9096'], clusterPeers: [peer], clusterPeersAddresses: [], version: '1.1.6',
      commit: '', rpcProtocolVersion: '/ipfscluster/1.0/rpc', error: '', ipfs: { id: peer, addresses: [], error: '' }, peerName: 'p1'
    }
    assert.deepEqual(idFromWire(roundTrip(idToWire(id))), id)
  })

  it('keeps int64 metric fields as bigints', () => {
    const m: Metric = {
      name: 'freespace', peer, value: '100', expire: 1_700_000_000_123_456_789n, valid: true,
      weight: -5n, partitionable: false, receivedAt: 1_700_000_000_987_654_321n
    }
    assert.deepEqual(metricFromWire(roundTrip(metricToWire(m))), m)
  })

  it('keeps bigints, large numbers, bytes and dates apart', () => {
    const v = { ns: 9_007_199_254_740_993n, big: 2 ** 40, small: 7, bytes: new Uint8Array([1, 2, 3]), when: new Date(1e12) }
    assert.deepEqual(roundTrip(v), v)
  })
})
