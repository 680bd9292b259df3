import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { numPinInformer } from '../../../src/informer/numpin/index.js'
import type { IPFSPinInfo } from '../../../src/interface/types.js'

describe('numpin informer', () => {
  it('counts recursive and direct pins', async () => {
    let asked: string[] = []
    const ipfs = {
      async * pinLs (types: string[]): AsyncGenerator<IPFSPinInfo> {
        asked = types
        for (let i = 0; i < 3; i++) yield {} as unknown as IPFSPinInfo
      }
    }
    const [m] = await numPinInformer()({ ipfs }).getMetrics()
    assert.deepEqual(asked, ['recursive', 'direct'])
    assert.equal(m.name, 'numpin')
    assert.equal(m.value, '3')
    assert.equal(m.weight, 0n)
    assert.equal(m.valid, true)
  })

  it('is invalid when listing fails', async () => {
    const ipfs = {
      async * pinLs (): AsyncGenerator<IPFSPinInfo> {
        yield {} as unknown as IPFSPinInfo
        throw new Error('boom')
      }
    }
    const [m] = await numPinInformer()({ ipfs }).getMetrics()
    assert.equal(m.valid, false)
  })
})
