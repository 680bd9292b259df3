/** Port of sharness t0025-ctl-status-report-commands. */
import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { Peer } from './harness.js'
import { jsonDocs } from './content.js'

describe('t0025 ctl status report commands', () => {
  let peer: Peer
  before(async () => {
    peer = await Peer.init()
    await peer.start()
  })
  after(async () => { await peer?.destroy() })

  it('ctl can read id', async () => {
    const r = await peer.ctl(['id'])
    assert.equal(r.code, 0, r.stderr)
    assert.ok(r.stdout.includes(await peer.id()))
    assert.match(r.stdout, /Sees 0 other peers/)
  })

  it('lists 1 peer', async () => {
    const r = await peer.ctl(['--enc=json', 'peers', 'ls'])
    assert.equal(jsonDocs(r.stdout).length, 1)
  })

  it('peers add does not exist; peers rm needs a valid id', async () => {
    assert.notEqual((await peer.ctl(['peers', 'add'])).code, 0)
    assert.notEqual((await peer.ctl(['peers', 'add', 'XXXinvalid-peerXXX'])).code, 0)
    assert.notEqual((await peer.ctl(['peers', 'rm'])).code, 0)
    assert.notEqual((await peer.ctl(['peers', 'rm', 'XXXinvalid-peerXXX'])).code, 0)
  })

  it('empty status, recover and pin ls succeed with no output', async () => {
    for (const args of [['status'], ['recover'], ['pin', 'ls']]) {
      const r = await peer.ctl(args)
      assert.equal(r.code, 0, args.join(' ') + r.stdout + r.stderr)
      assert.equal(r.stdout, '')
    }
  })

  it('invalid CIDs fail locally', async () => {
    assert.equal((await peer.ctl(['status', 'XXXinvalid-CIDXXX'])).code, 1)
    assert.equal((await peer.ctl(['pin', 'ls', 'XXXinvalid-CIDXXX'])).code, 1)
  })
})
