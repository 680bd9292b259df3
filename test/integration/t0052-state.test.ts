/** Ports of sharness t0052 (state export), t0053 (state import), t0054 (state cleanup), CRDT flavour. */
import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Peer } from './harness.js'
import { identityCid, jsonDocs } from './content.js'

describe('t0052-t0054 state export, import, cleanup', () => {
  let peer: Peer
  before(async () => {
    peer = await Peer.init()
    await peer.start()
  })
  after(async () => { await peer?.destroy() })

  const count = async (): Promise<number> => jsonDocs((await peer.ctl(['--enc=json', 'status'])).stdout).length

  it('exports the state after the daemon stopped', async () => {
    const cid = identityCid('test_52-1').toString()
    assert.equal((await peer.ctl(['pin', 'add', cid])).code, 0)
    await peer.stop('SIGHUP')
    const file = join(peer.dir, 'export.json')
    const r = await peer.service(['--debug', 'state', 'export', '-f', file])
    assert.equal(r.code, 0, r.stderr)
    const lines = (await readFile(file, 'utf8')).trim().split('\n').map((l) => JSON.parse(l))
    assert.ok(lines.some((p) => p.cid === cid))
  })

  it('refuses to run state commands while the daemon holds the lock', async () => {
    await peer.start()
    const r = await peer.service(['state', 'export'])
    assert.equal(r.code, 1)
    assert.match(r.stderr, /lock/)
    await peer.stop('SIGHUP')
  })

  it('import fails on bad format and keeps the state', async () => {
    const bad = join(peer.dir, 'badImportFile')
    await writeFile(bad, 'not exactly json\n')
    const before = (await peer.service(['state', 'export'])).stdout
    const r = await peer.service(['state', 'import', '-f', bad])
    assert.equal(r.code, 1)
    assert.equal((await peer.service(['state', 'export'])).stdout, before)
  })

  it('imports a pin with missing fields and the daemon pins it', async () => {
    const cid = identityCid('test_53').toString()
    const file = join(peer.dir, 'importState')
    await writeFile(file, JSON.stringify({ cid, name: '', allocations: [], replication_factor_min: -1, replication_factor_max: -1 }, null, 2))
    const r = await peer.service(['state', 'import', '-f', file])
    assert.equal(r.code, 0, r.stderr)
    await peer.start()
    assert.ok((await peer.ctl(['pin', 'ls', cid])).stdout.includes(cid))
    let status = ''
    for (let i = 0; i < 20 && !/ : PINNED/.test(status); i++) {
      status = (await peer.ctl(['status', cid])).stdout
      await new Promise((resolve) => setTimeout(resolve, 250))
    }
    assert.match(status, / : PINNED/)
    assert.equal(await count(), 1)
  })

  it('cleanup empties the state; export + cleanup + import is a no-op', async () => {
    await peer.stop('SIGHUP')
    const file = join(peer.dir, 'import.json')
    assert.equal((await peer.service(['state', 'export', '-f', file])).code, 0)
    assert.equal((await peer.service(['state', 'cleanup', '-f'])).code, 0)
    await peer.start()
    assert.equal(await count(), 0)
    await peer.stop('SIGHUP')
    assert.equal((await peer.service(['state', 'import', '-f', file])).code, 0)
    await peer.start()
    assert.equal(await count(), 1)
  })
})
