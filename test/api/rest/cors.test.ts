import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { call, startApi, values } from './helpers.js'
import type { Harness } from './helpers.js'

const EXPOSED = 'Content-Type, X-Stream-Output, X-Chunked-Output, X-Content-Length'
const PREFLIGHT_VARY = 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers'

describe('rest api CORS (defaults)', () => {
  let h: Harness
  before(async () => { h = await startApi() })
  after(async () => { await h.api.stop() })

  it('answers an allowed preflight with 204 and the allow headers', async () => {
    const r = await call(h.ma, 'OPTIONS', '/pins', {
      headers: { Origin: 'http://example.com', 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'content-type' }
    })
    assert.equal(r.status, 204)
    assert.equal(r.body, '')
    assert.equal(r.headers.vary, PREFLIGHT_VARY)
    assert.equal(r.headers['access-control-allow-origin'], '*')
    assert.equal(r.headers['access-control-allow-methods'], 'GET')
    assert.equal(r.headers['access-control-allow-headers'], 'content-type')
    assert.equal(r.headers['access-control-allow-credentials'], 'true')
    assert.equal(r.headers['access-control-max-age'], undefined)
    assert.equal(r.headers['content-type'], undefined)
  })

  it('answers a preflight for a method not allowed with 204 and only Vary', async () => {
    const r = await call(h.ma, 'OPTIONS', '/pins', { headers: { Origin: 'http://example.com', 'Access-Control-Request-Method': 'POST' } })
    assert.equal(r.status, 204)
    assert.equal(r.headers.vary, PREFLIGHT_VARY)
    assert.equal(r.headers['access-control-allow-origin'], undefined)
  })

  it('refuses preflight headers not in the default allowed list', async () => {
    const r = await call(h.ma, 'OPTIONS', '/pins', {
      headers: { Origin: 'http://example.com', 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'x-secret' }
    })
    assert.equal(r.status, 204)
    assert.equal(r.headers['access-control-allow-origin'], undefined)
  })

  it('adds Vary and the CORS headers to an actual request', async () => {
    const r = await call(h.ma, 'GET', '/version', { headers: { Origin: 'http://example.com' } })
    assert.equal(r.status, 200)
    assert.equal(r.headers.vary, 'Origin')
    assert.equal(r.headers['access-control-allow-origin'], '*')
    assert.equal(r.headers['access-control-expose-headers'], EXPOSED)
    assert.equal(r.headers['access-control-allow-credentials'], 'true')
  })

  it('adds only Vary to an actual request without Origin or with a method not allowed', async () => {
    let r = await call(h.ma, 'GET', '/version')
    assert.equal(r.headers.vary, 'Origin')
    assert.equal(r.headers['access-control-allow-origin'], undefined)
    r = await call(h.ma, 'POST', '/pins/recover', { headers: { Origin: 'http://example.com' } })
    assert.equal(r.headers.vary, 'Origin')
    assert.equal(r.headers['access-control-allow-origin'], undefined)
  })

  it('routes a non-preflight OPTIONS request (405)', async () => {
    const r = await call(h.ma, 'OPTIONS', '/version', { headers: { Origin: 'http://example.com' } })
    assert.equal(r.status, 405)
  })
})

describe('rest api CORS (configured)', () => {
  let h: Harness
  before(async () => {
    h = await startApi({
      corsAllowedOrigins: ['http://good.example', 'https://*.wild.example'],
      corsAllowedMethods: ['GET', 'POST'],
      corsAllowedHeaders: ['X-Custom', 'Content-Type'],
      corsAllowCredentials: false,
      corsMaxAge: 600_000
    })
  })
  after(async () => { await h.api.stop() })

  it('echoes an allowed origin (case-insensitive, wildcard) and sets max-age', async () => {
    for (const origin of ['http://GOOD.example', 'https://a.wild.example']) {
      const r = await call(h.ma, 'OPTIONS', '/pins', {
        headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type,x-custom' }
      })
      assert.equal(r.headers['access-control-allow-origin'], origin)
      assert.equal(r.headers['access-control-allow-methods'], 'POST')
      assert.equal(r.headers['access-control-allow-headers'], 'content-type,x-custom')
      assert.equal(r.headers['access-control-max-age'], '600')
      assert.equal(r.headers['access-control-allow-credentials'], undefined)
    }
  })

  it('gives nothing to an origin not allowed', async () => {
    const r = await call(h.ma, 'GET', '/version', { headers: { Origin: 'http://evil.example' } })
    assert.equal(r.status, 200)
    assert.deepEqual(values(r.rawHeaders, 'Vary'), ['Origin'])
    assert.equal(r.headers['access-control-allow-origin'], undefined)
  })
})
