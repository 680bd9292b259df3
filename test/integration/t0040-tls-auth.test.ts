/** Ports of sharness t0040 (TLS), t0041 (TLS enforced by client), t0042 (basic auth), t0043 (TLS + auth). */
import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Peer } from './harness.js'

async function editConfig (peer: Peer, edit: (cfg: any) => void): Promise<void> {
  const file = join(peer.dir, 'service.json')
  const cfg = JSON.parse(await readFile(file, 'utf8'))
  edit(cfg)
  await writeFile(file, JSON.stringify(cfg, null, 2))
}

function makeCert (dir: string): void {
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'server.key'),
    '-out', join(dir, 'server.crt'), '-subj', '/CN=localhost', '-days', '2'], { stdio: 'ignore' })
}

const unauthorized = (out: string): boolean => /Code: 401\n.*unauthorized/i.test(out)

describe('t0040/t0041 TLS', () => {
  let tls: Peer
  let plain: Peer
  before(async () => {
    tls = await Peer.init()
    makeCert(tls.dir)
    await editConfig(tls, (c) => { c.api.restapi.ssl_cert_file = 'server.crt'; c.api.restapi.ssl_key_file = 'server.key' })
    plain = await Peer.init()
    await Promise.all([tls.start(), plain.start()])
  })
  after(async () => { await tls?.destroy(); await plain?.destroy() })

  it('ssl interaction succeeds', async () => {
    const r = await tls.ctl(['--https', '--no-check-certificate', 'id'])
    assert.equal(r.code, 0, r.stdout + r.stderr)
    assert.ok(r.stdout.includes(await tls.id()))
  })

  it('ssl is enforced by the client', async () => {
    const r = await plain.ctl(['--https', '--no-check-certificate', 'id'])
    assert.equal(r.code, 1)
    assert.match(r.stdout, /Code: 0/)
  })
})

describe('t0042/t0043 basic auth', () => {
  let http: Peer
  let https: Peer
  before(async () => {
    http = await Peer.init()
    await editConfig(http, (c) => { c.api.restapi.basic_auth_credentials = { testuser: 'testpass' } })
    https = await Peer.init()
    makeCert(https.dir)
    await editConfig(https, (c) => {
      c.api.restapi.basic_auth_credentials = { testuser: 'testpass', userwithoutpass: '' }
      c.api.restapi.ssl_cert_file = 'server.crt'
      c.api.restapi.ssl_key_file = 'server.key'
    })
    await Promise.all([http.start(), https.start()])
  })
  after(async () => { await http?.destroy(); await https?.destroy() })

  it('fails without credentials', async () => {
    const r = await http.ctl(['id'])
    assert.notEqual(r.code, 0)
    assert.ok(unauthorized(r.stdout), r.stdout)
  })

  it('fails with bad credentials', async () => {
    for (const cred of ['testuser', 'testuser:badpass', 'baduser:testpass', 'baduser:badpass']) {
      const r = await http.ctl(['--basic-auth', cred, '--force-http', 'id'])
      assert.notEqual(r.code, 0, cred)
      assert.ok(unauthorized(r.stdout), cred + r.stdout)
    }
  })

  it('succeeds with the flag and with the env var', async () => {
    const id = await http.id()
    let r = await http.ctl(['--basic-auth', 'testuser:testpass', '--force-http', 'id'])
    assert.ok(r.stdout.includes(id), r.stdout + r.stderr)
    r = await http.ctl(['--force-http', 'id'], { env: { CLUSTER_CREDENTIALS: 'testuser:testpass' } })
    assert.ok(r.stdout.includes(id), r.stdout + r.stderr)
  })

  it('over TLS: bad credentials fail, good ones succeed (basic auth implies https)', async () => {
    const bad = await https.ctl(['--no-check-certificate', '--basic-auth', 'testuser:badpass', 'id'])
    assert.notEqual(bad.code, 0)
    assert.ok(unauthorized(bad.stdout), bad.stdout)
    const good = await https.ctl(['--no-check-certificate', '--basic-auth', 'testuser:testpass', 'id'])
    assert.ok(good.stdout.includes(await https.id()), good.stdout + good.stderr)
  })
})
