import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { call, startApi } from './helpers.js'
import type { Harness } from './helpers.js'
import { restApi } from '../../../src/api/rest/index.js'
import { silentLogger } from '../../../src/util/logger.js'

describe('rest api server', () => {
  let h: Harness
  before(async () => { h = await startApi() })
  after(async () => { await h.api.stop() })

  it('reports its listening address as a multiaddr', () => {
    assert.match(h.ma, /^\/ip4\/127\.0\.0\.1\/tcp\/\d+$/)
    assert.notEqual(h.ma, '/ip4/127.0.0.1/tcp/0')
  })

  it('redirects a trailing slash with 307, keeping the query', async () => {
    let r = await call(h.ma, 'GET', '/pins/?cids=a,b')
    assert.equal(r.status, 307)
    assert.equal(r.headers.location, '/pins?cids=a,b')
    assert.equal(r.body, '<a href="/pins?cids=a,b">Temporary Redirect</a>.\n')
    assert.equal(r.headers['content-type'], 'text/html; charset=utf-8')
    r = await call(h.ma, 'POST', '/pins/recover/')
    assert.equal(r.status, 307)
    assert.equal(r.headers.location, '/pins/recover')
    assert.equal(r.body, '')
    r = await call(h.ma, 'GET', '/')
    assert.equal(r.status, 307)
    assert.equal(r.headers.location, '/')
  })

  it('redirects unclean paths with 301', async () => {
    let r = await call(h.ma, 'GET', '//id')
    assert.equal(r.status, 301)
    assert.equal(r.headers.location, '/id')
    r = await call(h.ma, 'GET', '/pins/../version?x=1')
    assert.equal(r.status, 301)
    assert.equal(r.headers.location, '/version?x=1')
    assert.equal(r.body, '')
    r = await call(h.ma, 'GET', '/./id')
    assert.equal(r.headers.location, '/id')
  })

  it('answers 405 with an empty body and no JSON content type on a method mismatch', async () => {
    for (const [method, path] of [['POST', '/id'], ['HEAD', '/id'], ['GET', '/pins/ipfs/abc'], ['PUT', '/health']]) {
      const r = await call(h.ma, method, path)
      assert.equal(r.status, 405, `${method} ${path}`)
      assert.equal(r.body, '')
      assert.equal(r.headers['content-type'], undefined)
    }
  })

  it('answers 404 error JSON for unknown paths', async () => {
    const r = await call(h.ma, 'GET', '/nothing/here')
    assert.equal(r.status, 404)
    assert.equal(r.body, '{"code":404,"message":"not found"}\n')
    assert.equal(r.headers['content-type'], 'application/json')
  })

  it('answers 431 only beyond max_header_bytes plus Go\'s slack', async () => {
    let r = await call(h.ma, 'GET', '/version', { headers: { 'X-Big': 'a'.repeat(5000) } })
    assert.equal(r.status, 200)
    r = await call(h.ma, 'GET', '/version', { headers: { 'X-Big': 'a'.repeat(9000) } })
    assert.equal(r.status, 431)
  })

  it('is idempotent on start and stop', async () => {
    const api = restApi({ httpListenMultiaddress: ['/ip4/127.0.0.1/tcp/0'] })({ cluster: h.cluster, logger: silentLogger() })
    await api.stop()
    await api.start()
    await api.start()
    assert.equal(api.addresses().length, 1)
    await api.stop()
    await api.stop()
    assert.deepEqual(api.addresses(), [])
  })
})

describe('rest api listeners', () => {
  let dir: string
  before(() => { dir = mkdtempSync(join(tmpdir(), 'restapi-')) })
  after(() => { rmSync(dir, { recursive: true, force: true }) })

  it('serves HTTPS with a certificate relative to the config folder', async () => {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
      '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' })
    const h = await startApi({ sslCertFile: 'cert.pem', sslKeyFile: 'key.pem' }, undefined, { configDir: dir })
    try {
      const r = await call(h.ma, 'GET', '/version', { https: true, ca: readFileSync(join(dir, 'cert.pem')) })
      assert.equal(r.status, 200)
      assert.equal(r.body, '{"version":"1.1.6"}\n')
      await assert.rejects(call(h.ma, 'GET', '/version'))
    } finally {
      await h.api.stop()
    }
  })

  it('serves on a unix socket and writes the access log file', async () => {
    const sock = join(dir, 'api.sock')
    const h = await startApi({ httpListenMultiaddress: [`/unix${sock}`], httpLogFile: 'http.log' }, undefined, { configDir: dir })
    try {
      assert.deepEqual(h.api.addresses(), [`/unix${sock}`])
      const r = await call('', 'GET', '/version?a=1', { socketPath: sock })
      assert.equal(r.status, 200)
    } finally {
      await h.api.stop()
    }
    const log = readFileSync(join(dir, 'http.log'), 'utf8')
    assert.match(log, /^\S+ - - \[\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} [+-]\d{4}\] "GET \/version\?a=1 HTTP\/1\.1" 200 20\n$/)
  })

  it('fails to start on an address already in use', async () => {
    const h = await startApi()
    try {
      const other = restApi({ httpListenMultiaddress: [h.ma] })({ cluster: h.cluster, logger: silentLogger() })
      await assert.rejects(other.start(), { code: 'EADDRINUSE' })
      assert.deepEqual(other.addresses(), [])
    } finally {
      await h.api.stop()
    }
  })
})
