/** Port of sharness t0032-ctl-health. */
import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { Peer } from './harness.js'
import { jsonDocs } from './content.js'

describe('t0032 ctl health', () => {
  let peer: Peer
  before(async () => {
    peer = await Peer.init()
    await peer.start()
  })
  after(async () => { await peer?.destroy() })

  it('draws the graph of one peer and its IPFS node', async () => {
    const r = await peer.ctl(['health', 'graph'])
    assert.equal(r.code, 0, r.stderr)
    assert.match(r.stdout, /C0 -> I0/)
  })

  it('lists metrics with and without a name', async () => {
    for (const args of [['health', 'metrics', 'ping'], ['health', 'metrics', 'freespace'], ['health', 'metrics']]) {
      const r = await peer.ctl(args)
      assert.equal(r.code, 0, args.join(' ') + r.stderr)
    }
    assert.match((await peer.ctl(['health', 'metrics'])).stdout, /^freespace$/m)
  })

  it('shows the latest freespace metric of this peer', async () => {
    const pid = jsonDocs((await peer.ctl(['--enc=json', 'id'])).stdout)[0].id
    const r = await peer.ctl(['health', 'metrics', 'freespace'])
    assert.match(r.stdout, new RegExp(`^${pid} \\| freespace: [0-9]+ (G|M|K)B \\| Expires in: [0-9]+ seconds from now`, 'm'))
  })

  it('lists alerts', async () => {
    assert.equal((await peer.ctl(['health', 'alerts'])).code, 0)
  })
})
