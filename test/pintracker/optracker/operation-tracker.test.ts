import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { pinWithOpts } from '../../../src/api/common/pin.js'
import { parseStatusFilter } from '../../../src/api/common/status.js'
import { OperationTracker, Operation, bytesKey, cidKey } from '../../../src/pintracker/optracker/index.js'
import type { OperationType, Phase } from '../../../src/pintracker/optracker/index.js'

const ipfs = { id: 'QmIPFS', addresses: ['/ip4/1.2.3.4/tcp/4001'] }
const cid = async (s: string): Promise<CID> => CID.createV1(raw.code, await sha256.digest(new TextEncoder().encode(s)))
const tracker = (): OperationTracker => new OperationTracker({ peerId: 'peerA', peerName: 'alpha' })

describe('operation tracker', () => {
  it('keeps an ongoing operation of the same type and updates its pin', async () => {
    const t = tracker()
    const pin = pinWithOpts(await cid('a'), { name: 'one' })
    const op = t.trackNewOperation(pin, 'pin', 'queued')
    assert.ok(op != null)
    assert.equal(t.trackNewOperation({ ...pin, name: 'two' }, 'pin', 'queued'), undefined)
    assert.equal(op.pin.name, 'two')
    op.setPhase('in progress')
    assert.equal(t.trackNewOperation(pin, 'pin', 'queued'), undefined)
    assert.equal(op.canceled, false)
  })

  it('replaces an operation in error, carrying its attempt count', async () => {
    const t = tracker()
    const pin = pinWithOpts(await cid('a'))
    const op = t.trackNewOperation(pin, 'pin', 'queued')!
    op.incAttempt()
    op.setError('boom')
    const op2 = t.trackNewOperation(pin, 'pin', 'queued')!
    assert.notEqual(op2, op)
    assert.equal(op.canceled, true)
    assert.equal(op2.attemptCount, 1)
    assert.equal(op2.error, '')
  })

  it('cancels an operation of another type and starts counting again', async () => {
    const t = tracker()
    const pin = pinWithOpts(await cid('a'))
    const op = t.trackNewOperation(pin, 'pin', 'queued')!
    op.setPhase('in progress')
    op.incAttempt()
    const un = t.trackNewOperation(pin, 'unpin', 'queued')!
    assert.equal(op.canceled, true)
    assert.equal(op.signal.aborted, true)
    assert.equal(un.attemptCount, 0)
    assert.equal(t.get(pin.cid), un)
  })

  it('cleans an operation only while it is the current one', async () => {
    const t = tracker()
    const pin = pinWithOpts(await cid('a'))
    const op = t.trackNewOperation(pin, 'pin', 'queued')!
    const un = t.trackNewOperation(pin, 'unpin', 'queued')!
    t.clean(op)
    assert.equal(t.get(pin.cid), un)
    t.clean(un)
    assert.equal(t.get(pin.cid), undefined)
    assert.equal(t.size, 0)
  })

  it('counts the pin operations in the queued phase', async () => {
    const t = tracker()
    const a = t.trackNewOperation(pinWithOpts(await cid('a')), 'pin', 'queued')!
    t.trackNewOperation(pinWithOpts(await cid('b')), 'pin', 'queued')
    t.trackNewOperation(pinWithOpts(await cid('c')), 'unpin', 'queued')
    assert.equal(t.pinQueueSize(), 2)
    a.setPhase('in progress')
    assert.equal(t.pinQueueSize(), 1)
    t.trackNewOperation(pinWithOpts(await cid('b')), 'unpin', 'queued')
    assert.equal(t.pinQueueSize(), 0)
    const d = t.trackNewOperation(pinWithOpts(await cid('d')), 'pin', 'queued')!
    d.setError('queue full')
    assert.equal(t.pinQueueSize(), 0)
  })

  it('maps type and phase to tracker statuses', async () => {
    const pin = pinWithOpts(await cid('a'))
    const table: Array<[OperationType, Phase, string]> = [
      ['pin', 'error', 'pin_error'], ['pin', 'queued', 'pin_queued'], ['pin', 'in progress', 'pinning'], ['pin', 'done', 'pinned'],
      ['unpin', 'error', 'unpin_error'], ['unpin', 'queued', 'unpin_queued'], ['unpin', 'in progress', 'unpinning'], ['unpin', 'done', 'unpinned'],
      ['remote', 'error', 'remote'], ['remote', 'done', 'remote'], ['shard', 'queued', 'sharded'], ['unknown', 'done', 'undefined']
    ]
    for (const [type, phase, status] of table) {
      assert.equal(new Operation(pin, type, phase, () => {}).toTrackerStatus(), status, `${type}/${phase}`)
    }
  })

  it('builds PinInfos from operations and filters them', async () => {
    const t = tracker()
    const pin = pinWithOpts(await cid('a'), { name: 'n', metadata: { k: 'v' }, origins: ['/ip4/1.1.1.1/tcp/1/p2p/x'] })
    pin.allocations = ['peerA']
    const op = t.trackNewOperation(pin, 'pin', 'queued')!
    op.setPriorityPin(true)
    t.trackNewOperation(pinWithOpts(await cid('b')), 'unpin', 'queued')!.setError('no')
    const info = t.getExists(pin.cid, ipfs)!
    assert.equal(info.status, 'pin_queued')
    assert.equal(info.name, 'n')
    assert.equal(info.peer, 'peerA')
    assert.equal(info.peerName, 'alpha')
    assert.equal(info.ipfsPeerId, 'QmIPFS')
    assert.deepEqual(info.ipfsPeerAddresses, ipfs.addresses)
    assert.deepEqual(info.allocations, ['peerA'])
    assert.deepEqual(info.metadata, { k: 'v' })
    assert.equal(info.created, pin.timestamp)
    assert.equal(info.timestamp, op.timestamp)
    assert.equal(info.priorityPin, true)
    assert.equal(t.getExists(await cid('zzz'), ipfs), undefined)
    assert.deepEqual([...t.getAll(parseStatusFilter('error').filter, ipfs)].map((i) => i.error), ['no'])
    assert.equal([...t.getAll(0, ipfs)].length, 2)
  })

  it('keys CIDs by their bytes', async () => {
    const c = await cid('a')
    assert.equal(cidKey(c), cidKey(CID.parse(c.toString())))
    const v0 = CID.createV0(await sha256.digest(new TextEncoder().encode('a')))
    assert.notEqual(cidKey(v0), cidKey(v0.toV1()))
    assert.notEqual(cidKey(c), cidKey(await cid('b')))
    // a Buffer, a plain view and a long identity CID give the same keys as their copies
    assert.equal(bytesKey(Buffer.from(c.bytes)), bytesKey(new Uint8Array(c.bytes)))
    const big = new Uint8Array(300).map((_, i) => i % 256)
    assert.equal(bytesKey(big), Buffer.from(big).toString('latin1'))
  })

  it('cancels everything on cancelAll', async () => {
    const t = tracker()
    const a = t.trackNewOperation(pinWithOpts(await cid('a')), 'pin', 'queued')!
    const b = t.trackNewOperation(pinWithOpts(await cid('b')), 'unpin', 'in progress')!
    t.cancelAll()
    assert.equal(a.canceled && b.canceled, true)
    assert.equal(t.size, 2)
  })
})
