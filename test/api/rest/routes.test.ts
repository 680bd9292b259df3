import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { call, cidOf, ndjson, newPeerId, startApi } from './helpers.js'
import type { Harness } from './helpers.js'
import { pinWithOpts } from '../../../src/api/common/pin.js'
import type { Pin } from '../../../src/interface/types.js'

describe('rest api routes', () => {
  let h: Harness
  let pinned: Pin
  before(async () => {
    h = await startApi({ headers: { 'x-custom': ['a', 'b'] } })
    pinned = pinWithOpts(await cidOf('one'), { name: 'one', replicationFactorMin: -1, replicationFactorMax: -1 })
    h.cluster.pinset.set(pinned.cid.toString(), pinned)
  })
  after(async () => { await h.api.stop() })

  it('answers GET /id with the ID JSON, configured headers and JSON content type', async () => {
    const r = await call(h.ma, 'GET', '/id')
    assert.equal(r.status, 200)
    assert.ok(r.body.endsWith('}\n'))
    const id = JSON.parse(r.body)
    assert.deepEqual(Object.keys(id), ['id', 'addresses', 'cluster_peers', 'cluster_peers_addresses', 'version', 'commit', 'rpc_protocol_version', 'error', 'ipfs', 'peername'])
    assert.equal(id.id, h.cluster.self)
    assert.equal(r.headers['content-type'], 'application/json')
    assert.equal(r.headers['x-custom'], 'a, b')
    assert.equal(r.headers['content-length'], String(Buffer.byteLength(r.body)))
  })

  it('answers GET /version', async () => {
    const r = await call(h.ma, 'GET', '/version')
    assert.equal(r.status, 200)
    assert.equal(r.body, '{"version":"1.1.6"}\n')
  })

  it('streams GET /peers', async () => {
    const r = await call(h.ma, 'GET', '/peers')
    assert.equal(r.status, 200)
    assert.equal(ndjson(r.body).length, 1)
    assert.equal(r.trailers['x-stream-error'], '')
  })

  it('adds a peer with POST /peers', async () => {
    const pid = await newPeerId()
    const r = await call(h.ma, 'POST', '/peers', { body: JSON.stringify({ peer_id: pid }) })
    assert.equal(r.status, 200)
    assert.equal(JSON.parse(r.body).id, pid)
  })

  it('refuses POST /peers with a bad body or a bad peer ID', async () => {
    let r = await call(h.ma, 'POST', '/peers', { body: 'nope' })
    assert.equal(r.status, 400)
    assert.equal(r.body, '{"code":400,"message":"error decoding request body"}\n')
    r = await call(h.ma, 'POST', '/peers', { body: '{"peer_id":"xyz"}' })
    assert.equal(r.status, 400)
    assert.equal(r.body, '{"code":400,"message":"error decoding peer_id"}\n')
  })

  it('removes a peer with DELETE /peers/{peer} (204) and refuses a bad ID', async () => {
    const pid = await newPeerId()
    let r = await call(h.ma, 'DELETE', `/peers/${pid}`)
    assert.equal(r.status, 204)
    assert.equal(r.body, '')
    assert.equal(r.headers['content-type'], 'application/json')
    assert.equal(h.cluster.lastCall('peerRemove')?.args[0], pid)
    r = await call(h.ma, 'DELETE', '/peers/notapeer')
    assert.equal(r.status, 400)
    assert.match(JSON.parse(r.body).message, /^error decoding Peer ID: /)
  })

  it('answers GET /allocations/{hash} with the stored pin and 404 when absent', async () => {
    let r = await call(h.ma, 'GET', `/allocations/${pinned.cid.toString()}`)
    assert.equal(r.status, 200)
    const pin = JSON.parse(r.body)
    assert.equal(pin.cid, pinned.cid.toString())
    assert.equal(pin.name, 'one')
    const other = await cidOf('absent')
    r = await call(h.ma, 'GET', `/allocations/${other.toString()}`)
    assert.equal(r.status, 404)
    assert.equal(r.body, '{"code":404,"message":"pin is not part of the pinset"}\n')
  })

  it('answers GET /pins/{hash} and its local form', async () => {
    let r = await call(h.ma, 'GET', `/pins/${pinned.cid.toString()}`)
    assert.equal(r.status, 200)
    assert.equal(JSON.parse(r.body).peer_map[h.cluster.self].status, 'pinned')
    r = await call(h.ma, 'GET', `/pins/${pinned.cid.toString()}?local=true`)
    assert.equal(r.status, 200)
    assert.equal(h.cluster.lastCall('statusLocal')?.args[0]?.toString(), pinned.cid.toString())
    assert.deepEqual(Object.keys(JSON.parse(r.body)), ['cid', 'name', 'allocations', 'origins', 'created', 'metadata', 'peer_map'])
  })

  it('treats local as on only for the literal "true"', async () => {
    const before = h.cluster.calls.length
    await call(h.ma, 'GET', `/pins/${pinned.cid.toString()}?local=1`)
    assert.deepEqual(h.cluster.calls.slice(before).map((c) => c.method), ['status'])
  })

  it('fails GET /pins/recover with a CID decode error (route 12 matches)', async () => {
    const r = await call(h.ma, 'GET', '/pins/recover')
    assert.equal(r.status, 400)
    assert.match(JSON.parse(r.body).message, /^error decoding Cid: /)
  })

  it('recovers one CID and all CIDs', async () => {
    let r = await call(h.ma, 'POST', `/pins/${pinned.cid.toString()}/recover`)
    assert.equal(r.status, 200)
    assert.equal(h.cluster.lastCall('recover')?.args[0]?.toString(), pinned.cid.toString())
    r = await call(h.ma, 'POST', `/pins/${pinned.cid.toString()}/recover?local=true`)
    assert.equal(r.status, 200)
    assert.ok(h.cluster.lastCall('recoverLocal') != null)
    r = await call(h.ma, 'POST', '/pins/recover')
    assert.equal(r.status, 200)
    assert.equal(ndjson(r.body).length, 1)
    r = await call(h.ma, 'POST', '/pins/recover?local=true')
    assert.equal(r.status, 200)
    assert.equal(ndjson(r.body)[0].peer_map[h.cluster.self].peername, 'peer-a')
  })

  it('pins with POST /pins/{hash} forcing recursive mode', async () => {
    const cid = await cidOf('direct')
    const r = await call(h.ma, 'POST', `/pins/${cid.toString()}?mode=direct&name=d&replication=2&meta-k=v`)
    assert.equal(r.status, 200)
    const pin = JSON.parse(r.body)
    assert.equal(pin.mode, 'recursive')
    assert.equal(pin.max_depth, -1)
    assert.equal(pin.name, 'd')
    assert.equal(pin.replication_factor_min, 2)
    assert.equal(pin.replication_factor_max, 2)
    assert.deepEqual(pin.metadata, { k: 'v' })
    const sent = h.cluster.lastCall('pinObject')?.args[0] as Pin
    assert.equal(sent.maxDepth, -1)
  })

  it('pins a cleaned path honouring mode=direct', async () => {
    const cid = await cidOf('path')
    const r = await call(h.ma, 'POST', `/pins/ipfs/${cid.toString()}/a/b?mode=direct`)
    assert.equal(r.status, 200)
    assert.equal(JSON.parse(r.body).mode, 'direct')
    assert.equal(h.cluster.lastCall('pinPath')?.args[0], `/ipfs/${cid.toString()}/a/b`)
  })

  it('refuses an invalid pin path', async () => {
    const r = await call(h.ma, 'POST', '/pins/ipfs/notacid')
    assert.equal(r.status, 400)
    assert.match(JSON.parse(r.body).message, /^error parsing path: /)
  })

  it('unpins by CID and by path, 404 when not pinned', async () => {
    const a = await cidOf('unpin-a')
    const b = await cidOf('unpin-b')
    h.cluster.pinset.set(a.toString(), pinWithOpts(a))
    h.cluster.pinset.set(b.toString(), pinWithOpts(b))
    let r = await call(h.ma, 'DELETE', `/pins/${a.toString()}`)
    assert.equal(r.status, 200)
    assert.equal(JSON.parse(r.body).cid, a.toString())
    r = await call(h.ma, 'DELETE', `/pins/ipfs/${b.toString()}`)
    assert.equal(r.status, 200)
    assert.equal(h.cluster.lastCall('unpinPath')?.args[0], `/ipfs/${b.toString()}`)
    r = await call(h.ma, 'DELETE', `/pins/${a.toString()}`)
    assert.equal(r.status, 404)
  })

  it('runs repo GC globally and locally (wrapped by peer)', async () => {
    let r = await call(h.ma, 'POST', '/ipfs/gc')
    assert.equal(r.status, 200)
    assert.deepEqual(Object.keys(JSON.parse(r.body).peer_map), [h.cluster.self])
    r = await call(h.ma, 'POST', '/ipfs/gc?local=true')
    assert.equal(r.status, 200)
    assert.deepEqual(JSON.parse(r.body), { peer_map: { [h.cluster.self]: { peer: h.cluster.self, peername: 'peer-a', keys: [{ key: null, error: 'x' }] } } })
  })

  it('answers the health and monitor routes', async () => {
    let r = await call(h.ma, 'GET', '/health/graph')
    assert.equal(r.status, 200)
    assert.equal(JSON.parse(r.body).cluster_id, h.cluster.self)
    r = await call(h.ma, 'GET', '/health/alerts')
    assert.equal(r.body, '[]\n')
    r = await call(h.ma, 'GET', '/health/bandwidth')
    assert.equal(r.body, '{"/p":{"total_in":1,"total_out":2,"rate_in":0.5,"rate_out":1}}\n')
    r = await call(h.ma, 'GET', '/monitor/metrics')
    assert.equal(r.body, '["freespace","ping"]\n')
    r = await call(h.ma, 'GET', '/monitor/metrics/freespace')
    assert.match(r.body, /"expire":1714550430123456789,/)
    r = await call(h.ma, 'GET', '/health')
    assert.equal(r.status, 204)
    assert.equal(r.headers['content-type'], 'application/json')
  })

  it('answers POST /token with 401 when no credentials are configured', async () => {
    const r = await call(h.ma, 'POST', '/token')
    assert.equal(r.status, 401)
    assert.equal(r.body, '{"code":401,"message":"unauthorized"}\n')
  })

  it('has no /add route without an add handler', async () => {
    const r = await call(h.ma, 'POST', '/add')
    assert.equal(r.status, 404)
  })

  it('delegates POST /add to the add handler when given', async () => {
    const h2 = await startApi({}, undefined, {
      add: async (_req, res, { query, setHeaders }) => {
        setHeaders()
        res.writeHead(200)
        res.end(JSON.stringify({ name: query.get('name') }) + '\n')
      }
    })
    try {
      const r = await call(h2.ma, 'POST', '/add?name=x')
      assert.equal(r.status, 200)
      assert.equal(r.body, '{"name":"x"}\n')
      assert.equal(r.headers['content-type'], 'application/json')
    } finally {
      await h2.api.stop()
    }
  })

  it('maps unknown cluster errors to 500 with their message', async () => {
    h.cluster.id = async () => { throw new Error('boom') }
    const r = await call(h.ma, 'GET', '/id')
    assert.equal(r.status, 500)
    assert.equal(r.body, '{"code":500,"message":"boom"}\n')
  })
})
