import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { request } from 'node:http'
import { call, cidOf, hostPort, ndjson, startApi, values } from './helpers.js'
import type { Harness } from './helpers.js'
import { pinWithOpts } from '../../../src/api/common/pin.js'
import type { GlobalPinInfo, Pin } from '../../../src/interface/types.js'

describe('rest api streams', () => {
  let h: Harness
  const pins: Pin[] = []
  before(async () => {
    h = await startApi()
    for (const [i, type] of (['pin', 'pin', 'meta-pin', 'shard-pin'] as const).entries()) {
      const p = pinWithOpts(await cidOf(`s${i}`))
      p.type = type
      pins.push(p)
      h.cluster.pinset.set(p.cid.toString(), p)
    }
  })
  after(async () => { await h.api.stop() })

  it('streams /allocations as NDJSON with the Trailer header and an empty X-Stream-Error', async () => {
    const r = await call(h.ma, 'GET', '/allocations')
    assert.equal(r.status, 200)
    assert.equal(r.headers.trailer, 'X-Stream-Error')
    assert.equal(r.headers['transfer-encoding'], 'chunked')
    assert.equal(r.headers['content-type'], 'application/json')
    assert.ok(r.body.endsWith('}\n'))
    assert.equal(ndjson(r.body).length, 4)
    assert.deepEqual(values(r.rawTrailers, 'X-Stream-Error'), [''])
  })

  it('filters /allocations by pin type', async () => {
    let r = await call(h.ma, 'GET', '/allocations?filter=pin')
    assert.deepEqual(ndjson(r.body).map((p) => p.type), ['pin', 'pin'])
    r = await call(h.ma, 'GET', '/allocations?filter=meta-pin,shard-pin')
    assert.deepEqual(ndjson(r.body).map((p) => p.type).sort(), ['meta-pin', 'shard-pin'])
    r = await call(h.ma, 'GET', '/allocations?filter=pin,foo')
    assert.equal(ndjson(r.body).length, 2)
    r = await call(h.ma, 'GET', '/allocations?filter=all')
    assert.equal(ndjson(r.body).length, 4)
    r = await call(h.ma, 'GET', '/allocations?filter=clusterdag-pin')
    assert.equal(r.status, 204)
  })

  it('refuses an /allocations filter made only of unknown names', async () => {
    const r = await call(h.ma, 'GET', '/allocations?filter=foo,bar')
    assert.equal(r.status, 400)
    assert.equal(r.body, '{"code":400,"message":"invalid filter value"}\n')
  })

  it('passes the status filter of /pins and refuses an unknown one', async () => {
    let r = await call(h.ma, 'GET', '/pins?filter=pinned,queued')
    assert.equal(r.status, 200)
    assert.equal(h.cluster.lastCall('statusAll')?.args[0], 16 | 512 | 1024)
    r = await call(h.ma, 'GET', '/pins?filter=invalidxx,pinned')
    assert.equal(r.status, 200)
    r = await call(h.ma, 'GET', '/pins?filter=invalidxx')
    assert.equal(r.status, 400)
    assert.equal(r.body, '{"code":400,"message":"invalid filter value"}\n')
    r = await call(h.ma, 'GET', '/pins?local=true&filter=pin_error')
    assert.equal(r.status, 200)
    assert.equal(h.cluster.lastCall('statusAllLocal')?.args[0], 4)
    assert.equal(Object.keys(ndjson(r.body)[0].peer_map).length, 1)
  })

  it('answers 204 with no body for an empty stream', async () => {
    const orig = h.cluster.recoverAll
    h.cluster.recoverAll = async function * () {}
    try {
      const r = await call(h.ma, 'POST', '/pins/recover')
      assert.equal(r.status, 204)
      assert.equal(r.body, '')
      assert.equal(r.headers['content-type'], 'application/json')
    } finally {
      h.cluster.recoverAll = orig
    }
  })

  it('answers 500 error JSON when the source fails before any item', async () => {
    const orig = h.cluster.peers
    h.cluster.peers = async function * () { throw new Error('no peers for you') }
    try {
      const r = await call(h.ma, 'GET', '/peers')
      assert.equal(r.status, 500)
      assert.equal(r.body, '{"code":500,"message":"no peers for you"}\n')
    } finally {
      h.cluster.peers = orig
    }
  })

  it('puts an error after the first item in the X-Stream-Error trailer', async () => {
    const orig = h.cluster.statusAll
    const c = h.cluster
    h.cluster.statusAll = async function * (): AsyncGenerator<GlobalPinInfo> {
      yield c.gpi(pins[0])
      throw new Error('peer went away')
    }
    try {
      const r = await call(h.ma, 'GET', '/pins')
      assert.equal(r.status, 200)
      assert.equal(ndjson(r.body).length, 1)
      assert.deepEqual(values(r.rawTrailers, 'X-Stream-Error'), ['peer went away'])
    } finally {
      h.cluster.statusAll = orig
    }
  })

  it('streams ?cids= in completion order with failures in the trailer', async () => {
    const missing = await cidOf('missing')
    const orig = h.cluster.status
    const c = h.cluster
    // the first CID answers last
    h.cluster.status = async (cid) => {
      if (cid.equals(pins[0].cid)) await new Promise((resolve) => setTimeout(resolve, 20))
      return await orig.call(c, cid)
    }
    try {
      const r = await call(h.ma, 'GET', `/pins?cids=${pins[0].cid.toString()},${pins[1].cid.toString()},${missing.toString()}&filter=bogus`)
      assert.equal(r.status, 200)
      assert.deepEqual(ndjson(r.body).map((g) => g.cid), [pins[1].cid.toString(), pins[0].cid.toString()])
      assert.deepEqual(values(r.rawTrailers, 'X-Stream-Error'), ['pin is not part of the pinset'])
    } finally {
      h.cluster.status = orig
    }
  })

  it('answers 500 for ?cids= when every CID fails, and 400 for an undecodable one', async () => {
    const missing = await cidOf('missing')
    let r = await call(h.ma, 'GET', `/pins?cids=${missing.toString()}&local=true`)
    assert.equal(r.status, 500)
    assert.equal(r.body, '{"code":500,"message":"pin is not part of the pinset"}\n')
    assert.ok(h.cluster.lastCall('statusLocal') != null)
    r = await call(h.ma, 'GET', `/pins?cids=${missing.toString()},zzz`)
    assert.equal(r.status, 400)
    assert.match(JSON.parse(r.body).message, /^error decoding Cid: /)
  })

  it('aborts the source generator when the client disconnects mid-stream', async () => {
    let finished = false
    let aborted = false
    const orig = h.cluster.pinsJson
    h.cluster.pinsJson = async function * (options = {}) {
      try {
        options.signal?.addEventListener('abort', () => { aborted = true })
        for (let i = 0; ; i++) {
          yield { type: 'pin' as const, json: `{"n":${i},"pad":"${'x'.repeat(1000)}"}` }
          if (i % 100 === 0) await new Promise((resolve) => setImmediate(resolve))
        }
      } finally {
        finished = true
      }
    }
    try {
      await new Promise<void>((resolve, reject) => {
        const req = request({ ...hostPort(h.ma), path: '/allocations', agent: false }, (res) => {
          res.once('data', () => { req.destroy(); resolve() })
        })
        req.on('error', (err) => { if (!req.destroyed) reject(err) })
        req.end()
      })
      const deadline = Date.now() + 2000
      while (!(finished && aborted) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5))
      assert.equal(aborted, true)
      assert.equal(finished, true)
    } finally {
      h.cluster.pinsJson = orig
    }
  })

  it('streams 200,000 pins without loss', async () => {
    const orig = h.cluster.pinsJson
    const line = JSON.stringify({ cid: 'x', type: 'pin' })
    h.cluster.pinsJson = async function * () {
      for (let i = 0; i < 200_000; i++) yield { type: 'pin' as const, json: line }
    }
    try {
      const r = await call(h.ma, 'GET', '/allocations')
      assert.equal(r.status, 200)
      assert.equal(r.body.length, (line.length + 1) * 200_000)
      assert.deepEqual(values(r.rawTrailers, 'X-Stream-Error'), [''])
    } finally {
      h.cluster.pinsJson = orig
    }
  })
})
