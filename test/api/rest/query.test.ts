import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { call, cidOf, newPeerId, startApi } from './helpers.js'
import type { Harness } from './helpers.js'
import { parsePinOptions, parsePinTypeFilter, parseTrackerFilter } from '../../../src/api/rest/query.js'
import type { PinOptions } from '../../../src/interface/types.js'

describe('rest api pin options query', () => {
  it('parses every option', async () => {
    const peer = await newPeerId()
    const upd = await cidOf('upd')
    const q = new URLSearchParams({
      name: 'n', mode: 'direct', 'replication-min': '1', 'replication-max': '3', 'shard-size': '1024',
      'user-allocations': `${peer},bad`, 'expire-at': '2030-01-02T15:04:05.5Z', 'meta-a': 'x', 'meta-': 'ignored',
      'pin-update': upd.toString(), origins: `/ip4/1.2.3.4/tcp/4001/p2p/${peer}`
    })
    const o = parsePinOptions(q)
    assert.equal(o.name, 'n')
    assert.equal(o.mode, 'direct')
    assert.equal(o.replicationFactorMin, 1)
    assert.equal(o.replicationFactorMax, 3)
    assert.equal(o.shardSize, 1024)
    assert.deepEqual(o.userAllocations, [peer])
    assert.equal(o.expireAt?.toISOString(), '2030-01-02T15:04:05.500Z')
    assert.deepEqual(o.metadata, { a: 'x' })
    assert.ok(o.pinUpdate?.equals(upd))
    assert.deepEqual(o.origins, [`/ip4/1.2.3.4/tcp/4001/p2p/${peer}`])
  })

  it('gives defaults for an empty query (metadata an empty object)', () => {
    const o: PinOptions = parsePinOptions(new URLSearchParams())
    assert.deepEqual({ ...o }, {
      name: '', mode: 'recursive', replicationFactorMin: 0, replicationFactorMax: 0, shardSize: 0, userAllocations: undefined,
      expireAt: undefined, metadata: {}, pinUpdate: undefined, origins: undefined
    })
  })

  it('lets replication override both factors and maps unknown modes to recursive', () => {
    const o = parsePinOptions(new URLSearchParams('replication=-1&replication-min=2&mode=weird'))
    assert.equal(o.replicationFactorMin, -1)
    assert.equal(o.replicationFactorMax, -1)
    assert.equal(o.mode, 'recursive')
  })

  it('sets expire-in relative to now and prefers expire-at', () => {
    const before = Date.now()
    const o = parsePinOptions(new URLSearchParams('expire-in=1h'))
    assert.ok(o.expireAt != null && o.expireAt.getTime() >= before + 3_600_000 && o.expireAt.getTime() <= Date.now() + 3_600_000)
    const p = parsePinOptions(new URLSearchParams('expire-in=bad&expire-at=2030-01-01T00:00:00Z'))
    assert.equal(p.expireAt?.toISOString(), '2030-01-01T00:00:00.000Z')
  })

  const cases: Array<[string, string | RegExp]> = [
    ['replication-min=x', 'parameter replication-min invalid'],
    ['replication-max=1.5', 'parameter replication-max invalid'],
    ['replication=a', 'parameter replication-min invalid'],
    ['shard-size=-1', 'parameter shard_size is invalid'],
    ['expire-at=tomorrow', /^expire-at cannot be parsed: /],
    ['expire-in=forever', 'expire-in cannot be parsed: time: invalid duration "forever"'],
    ['expire-in=500ms', 'expire-in duration too short'],
    ['pin-update=nope', /^error decoding update option parameter: /],
    ['origins=garbage', /^error decoding multiaddress: /],
    ['origins=/ip4/1.2.3.4/tcp/1', 'multiaddress does not contain peer ID: protocol not found in multiaddr']
  ]
  for (const [query, message] of cases) {
    it(`refuses ${query} with BadRequestError`, () => {
      assert.throws(() => parsePinOptions(new URLSearchParams(query)), (err: Error) => {
        assert.equal(err.name, 'BadRequestError')
        if (typeof message === 'string') assert.equal(err.message, message)
        else assert.match(err.message, message)
        return true
      })
    })
  }

  it('parses pin type and status filters', () => {
    assert.equal(parsePinTypeFilter(''), 30)
    assert.equal(parsePinTypeFilter('pin,foo'), 3)
    assert.throws(() => parsePinTypeFilter('foo'), { name: 'BadRequestError', message: 'invalid filter value' })
    assert.equal(parseTrackerFilter(''), 0)
    assert.equal(parseTrackerFilter('error'), 14)
    assert.throws(() => parseTrackerFilter('undefined'), { name: 'BadRequestError' })
  })
})

describe('rest api 400 answers over HTTP', () => {
  let h: Harness
  before(async () => { h = await startApi() })
  after(async () => { await h.api.stop() })

  it('answers 400 for a bad CID on every {hash} route', async () => {
    for (const [method, path] of [['GET', '/allocations/x'], ['GET', '/pins/x'], ['POST', '/pins/x'], ['DELETE', '/pins/x'], ['POST', '/pins/x/recover']]) {
      const r = await call(h.ma, method, path)
      assert.equal(r.status, 400, `${method} ${path}`)
      assert.match(JSON.parse(r.body).message, /^error decoding Cid: /)
    }
  })

  it('answers 400 for bad pin options and does not run the operation', async () => {
    const cid = await cidOf('opts')
    const before = h.cluster.calls.length
    for (const [method, path] of [['POST', `/pins/${cid.toString()}`], ['POST', `/pins/ipfs/${cid.toString()}`], ['DELETE', `/pins/${cid.toString()}`], ['GET', `/pins/${cid.toString()}`], ['GET', `/allocations/${cid.toString()}`]]) {
      const r = await call(h.ma, method, `${path}?expire-in=10ms`)
      assert.equal(r.status, 400, `${method} ${path}`)
      assert.equal(r.body, '{"code":400,"message":"expire-in duration too short"}\n')
    }
    assert.equal(h.cluster.calls.length, before)
  })
})
