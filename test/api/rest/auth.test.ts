import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { SignJWT } from 'jose'
import { call, startApi, values } from './helpers.js'
import type { Harness } from './helpers.js'
import { generateToken, parseBasicAuth } from '../../../src/api/rest/auth.js'

const basic = (user: string, pass: string): string => 'Basic ' + Buffer.from(`${user}:${pass}`).toString('base64')
const REALM = 'Restricted IPFS Cluster API'

describe('rest api authentication', () => {
  let h: Harness
  before(async () => { h = await startApi({ basicAuthCredentials: { alice: 's3cret', nopass: '' } }) })
  after(async () => { await h.api.stop() })

  it('accepts valid Basic credentials', async () => {
    const r = await call(h.ma, 'GET', '/version', { headers: { Authorization: basic('alice', 's3cret') } })
    assert.equal(r.status, 200)
  })

  it('accepts a lower-case basic scheme and a password with colons', async () => {
    assert.deepEqual(parseBasicAuth('basic ' + Buffer.from('u:p:q').toString('base64')), { user: 'u', password: 'p:q' })
  })

  it('refuses wrong Basic credentials with access denied', async () => {
    for (const auth of [basic('alice', 'wrong'), basic('nopass', ''), basic('bob', 's3cret')]) {
      const r = await call(h.ma, 'GET', '/version', { headers: { Authorization: auth } })
      assert.equal(r.status, 401)
      assert.equal(r.body, '{"code":401,"message":"unauthorized: access denied"}\n')
      assert.deepEqual(values(r.rawHeaders, 'WWW-Authenticate'), [`Basic realm="${REALM}"`])
      assert.equal(r.headers['content-type'], 'application/json')
    }
  })

  it('refuses an invalid bearer token', async () => {
    const forged = await generateToken('alice', 'not-the-password')
    const r = await call(h.ma, 'GET', '/version', { headers: { Authorization: `Bearer ${forged}` } })
    assert.equal(r.status, 401)
    assert.equal(r.body, '{"code":401,"message":"unauthorized: invalid token"}\n')
    assert.deepEqual(values(r.rawHeaders, 'WWW-Authenticate'), [`Bearer realm="${REALM}", error="invalid_token"`])
  })

  it('refuses a request without credentials with both challenges in order', async () => {
    const r = await call(h.ma, 'GET', '/version')
    assert.equal(r.status, 401)
    assert.equal(r.body, '{"code":401,"message":"unauthorized: no auth provided"}\n')
    assert.deepEqual(values(r.rawHeaders, 'WWW-Authenticate'), [`Bearer realm="${REALM}"`, `Basic realm="${REALM}"`])
  })

  it('authenticates before routing: unknown paths answer 401', async () => {
    const r = await call(h.ma, 'GET', '/nowhere')
    assert.equal(r.status, 401)
  })

  it('lets OPTIONS and GET /health through without credentials', async () => {
    let r = await call(h.ma, 'GET', '/health')
    assert.equal(r.status, 204)
    r = await call(h.ma, 'OPTIONS', '/version')
    assert.equal(r.status, 405)
    r = await call(h.ma, 'OPTIONS', '/pins', { headers: { Origin: 'http://x', 'Access-Control-Request-Method': 'GET' } })
    assert.equal(r.status, 204)
    r = await call(h.ma, 'GET', '/health/graph')
    assert.equal(r.status, 401)
  })

  it('issues a deterministic HS256 token with POST /token and accepts it', async () => {
    let r = await call(h.ma, 'POST', '/token', { headers: { Authorization: basic('alice', 's3cret') } })
    assert.equal(r.status, 200)
    const { token } = JSON.parse(r.body)
    const [head, payload] = token.split('.')
    assert.equal(head, 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9')
    assert.equal(Buffer.from(payload, 'base64url').toString(), '{"iss":"alice"}')
    assert.equal(token, await generateToken('alice', 's3cret'))
    r = await call(h.ma, 'GET', '/version', { headers: { Authorization: `bearer ${token}` } })
    assert.equal(r.status, 200)
    r = await call(h.ma, 'POST', '/token', { headers: { Authorization: `Bearer ${token}` } })
    assert.equal(r.status, 200)
    assert.equal(JSON.parse(r.body).token, token)
  })

  it('accepts HS512 tokens and enforces exp when present', async () => {
    const key = new TextEncoder().encode('s3cret')
    const good = await new SignJWT({ iss: 'alice' }).setProtectedHeader({ alg: 'HS512' }).sign(key)
    let r = await call(h.ma, 'GET', '/version', { headers: { Authorization: `Bearer ${good}` } })
    assert.equal(r.status, 200)
    const expired = await new SignJWT({ iss: 'alice' }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime(Math.floor(Date.now() / 1000) - 10).sign(key)
    r = await call(h.ma, 'GET', '/version', { headers: { Authorization: `Bearer ${expired}` } })
    assert.equal(r.status, 401)
    const unknownIssuer = await new SignJWT({ iss: 'mallory' }).setProtectedHeader({ alg: 'HS256' }).sign(key)
    r = await call(h.ma, 'GET', '/version', { headers: { Authorization: `Bearer ${unknownIssuer}` } })
    assert.equal(r.status, 401)
  })
})
