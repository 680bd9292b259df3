/**
 * Port of sharness t0030-ctl-pin. Content comes from identity CIDs instead of a Kubo
 * container (no network needed); multi-block content is covered in pin-content.test.ts.
 */
import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { Peer } from './harness.js'
import { identityCid, identityDir, jsonDocs } from './content.js'

describe('t0030 ctl pin', () => {
  let peer: Peer
  before(async () => {
    peer = await Peer.init()
    await peer.start()
  })
  after(async () => { await peer?.destroy() })

  const pinned = async (cid: string): Promise<boolean> => (await peer.ctl(['pin', 'ls', cid])).stdout.includes(cid)

  it('pins data', async () => {
    const cid = identityCid('test\n').toString()
    const r = await peer.ctl(['pin', 'add', cid])
    assert.equal(r.code, 0, r.stdout + r.stderr)
    assert.match(r.stdout, new RegExp(`^${cid}:\\n    > .+ : (PINNED|PINNING|PIN_QUEUED) \\|`))
    assert.ok(await pinned(cid))
    assert.match((await peer.ctl(['status', cid])).stdout, /PINNED/)
  })

  it('unpins data', async () => {
    const docs = jsonDocs((await peer.ctl(['--enc=json', 'pin', 'ls'])).stdout)
    const cid = docs[0].cid
    const r = await peer.ctl(['pin', 'rm', cid])
    assert.equal(r.code, 0, r.stdout + r.stderr)
    assert.equal(await pinned(cid), false)
    const ls = await peer.ctl(['pin', 'ls', cid])
    assert.equal(ls.code, 2)
    assert.equal(ls.stdout, 'An error occurred:\n  Code: 404\n  Message: pin is not part of the pinset\n')
    assert.match((await peer.ctl(['status', cid])).stdout, /UNPINNED/)
  })

  it('waits for pin and unpin, with and without timeout', async () => {
    const cid = identityCid('wait for me').toString()
    let r = await peer.ctl(['pin', 'add', '--wait', cid])
    assert.equal(r.code, 0, r.stdout + r.stderr)
    assert.match(r.stdout, / : PINNED \|/)
    r = await peer.ctl(['pin', 'rm', '--wait', cid])
    assert.equal(r.code, 0, r.stdout + r.stderr)
    assert.match(r.stdout, / : UNPINNED \|/)
    r = await peer.ctl(['pin', 'add', '--wait', '--wait-timeout', '2s', cid])
    assert.equal(r.code, 0, r.stdout + r.stderr)
    assert.match(r.stdout, / : PINNED \|/)
    r = await peer.ctl(['pin', 'rm', '--wait', '--wait-timeout', '2s', cid])
    assert.equal(r.code, 0, r.stdout + r.stderr)
    assert.equal(await pinned(cid), false)
  })

  it('pins and unpins through an IPFS path', async () => {
    const file = identityCid('')
    const test2 = identityDir({ 'test3.txt': file })
    const test1 = identityDir({ test2 })
    const path = `/ipfs/${test1.toString()}/test2/test3.txt`
    let r = await peer.ctl(['pin', 'add', path])
    assert.equal(r.code, 0, r.stdout + r.stderr)
    assert.ok(await pinned(file.toString()))
    r = await peer.ctl(['pin', 'rm', path])
    assert.equal(r.code, 0, r.stdout + r.stderr)
    assert.ok(r.stdout.split(/\s/)[0].includes(file.toString()))
    assert.equal(await pinned(file.toString()), false)
  })

  it('pins with user allocations', async () => {
    const pid = jsonDocs((await peer.ctl(['--enc=json', 'id'])).stdout)[0].id
    const cid = identityCid('allocated').toString()
    const r = await peer.ctl(['pin', 'add', '--allocations', pid, '-r', '1', cid])
    assert.equal(r.code, 0, r.stdout + r.stderr)
    const all = jsonDocs((await peer.ctl(['--enc=json', 'pin', 'ls'])).stdout).flatMap((p) => p.allocations)
    assert.deepEqual(all, [pid])
    await peer.ctl(['pin', 'rm', cid])
  })

  it('updates a pin', async () => {
    const cid1 = identityCid('test update 1').toString()
    const cid2 = identityCid('test update 2').toString()
    assert.equal((await peer.ctl(['pin', 'add', cid1])).code, 0)
    const r = await peer.ctl(['pin', 'update', cid1, cid2])
    assert.equal(r.code, 0, r.stdout + r.stderr)
    assert.ok(await pinned(cid2))
    assert.ok(await pinned(cid1), 'the existing pin is kept')
  })

  it('pins with metadata', async () => {
    const cid3 = identityCid('test3').toString()
    const cid4 = identityCid('test4').toString()
    assert.equal((await peer.ctl(['pin', 'add', '--metadata', 'kind=text', cid3])).code, 0)
    assert.equal((await peer.ctl(['pin', 'add', cid4])).code, 0)
    assert.match((await peer.ctl(['pin', 'ls', cid3])).stdout, /Metadata: yes/)
    assert.deepEqual(jsonDocs((await peer.ctl(['--enc=json', 'pin', 'ls', cid3])).stdout)[0].metadata, { kind: 'text' })
    assert.match((await peer.ctl(['pin', 'ls', cid4])).stdout, /Metadata: no/)
  })

  it('pins in direct mode', async () => {
    const cid = identityCid('test-pin-direct').toString()
    assert.equal((await peer.ctl(['pin', 'add', '--mode', 'direct', cid])).code, 0)
    assert.match((await peer.ctl(['pin', 'ls', cid])).stdout, / \| PIN-DIRECT \| .* \| Direct \| /)
    assert.equal(jsonDocs((await peer.ctl(['--enc=json', 'pin', 'ls', cid])).stdout)[0].mode, 'direct')
    assert.match((await peer.ctl(['status', cid])).stdout, / : PINNED \|/)
  })

  it('refuses bad input and leaves the pinset unchanged', async () => {
    const before = (await peer.ctl(['pin', 'ls'])).stdout
    assert.equal((await peer.ctl(['pin', 'add', 'not-a-cid'])).code, 1)
    const r = await peer.ctl(['pin', 'add', '--rmin', '2', '--rmax', '1', identityCid('bad factors').toString()])
    assert.equal(r.code, 2)
    assert.match(r.stdout, /Code: 500\n  Message: cluster.replication_factor_min is larger than max/)
    const r2 = await peer.ctl(['pin', 'add', '--rmin', '2', '--rmax', '3', identityCid('too many').toString()])
    assert.equal(r2.code, 2)
    assert.match(r2.stdout, /not enough peers to allocate CID/)
    assert.equal((await peer.ctl(['pin', 'ls'])).stdout, before)
  })
})
