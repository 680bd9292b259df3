import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { sendWantCancels } from '../../../src/ipfsconn/embedded/bitswap-cancels.js'
import { silentLogger } from '../../../src/util/logger.js'
import { rawBlock } from '../../compliance/ipfs-connector.js'
import type { BlockBroker } from '@helia/interface'
import type { CID } from 'multiformats/cid'

const log = silentLogger().forComponent('test')

/** A broker shaped like @helia/bitswap's, recording what its network sends. */
function fakeBroker (): { broker: BlockBroker, wants: Map<string, { cid: CID, priority: number, cancel: boolean }>, peers: Map<string, Set<string>>, sent: Array<{ peer: string, message: any }> } {
  const wants = new Map<string, { cid: CID, priority: number, cancel: boolean }>()
  const peers = new Map<string, Set<string>>()
  const sent: Array<{ peer: string, message: any }> = []
  const network = { sendMessage: async (peer: string, message: unknown) => { sent.push({ peer, message }) } }
  const broker = { name: 'bitswap', bitswap: { wantList: { wants, peers }, network } } as unknown as BlockBroker
  return { broker, wants, peers, sent }
}

describe('bitswap want cancels', () => {
  it('sends a cancel to each peer a dropped want was sent to, and only to those', async () => {
    const { broker, wants, peers, sent } = fakeBroker()
    assert.equal(sendWantCancels(broker, log), true)
    const { cid } = await rawBlock()
    wants.set('k', { cid, priority: 1, cancel: true })
    peers.set('asked', new Set(['k']))
    peers.set('not-asked', new Set())
    assert.equal(wants.delete('k'), true)
    assert.equal(wants.size, 0)
    assert.deepEqual(sent.map((s) => s.peer), ['asked'])
    const entries = [...sent[0].message.wantlist.values()]
    assert.deepEqual(entries, [{ cid: cid.bytes, priority: 1, cancel: true }])
  })

  it('sends nothing when a want that is not cancelled is removed', async () => {
    const { broker, wants, peers, sent } = fakeBroker()
    sendWantCancels(broker, log)
    wants.set('k', { cid: (await rawBlock()).cid, priority: 1, cancel: false })
    peers.set('asked', new Set(['k']))
    wants.delete('k')
    assert.deepEqual(sent, [])
  })

  it('reports false when the broker does not have the internals it patches', () => {
    assert.equal(sendWantCancels({ name: 'bitswap' } as unknown as BlockBroker, log), false)
  })
})
