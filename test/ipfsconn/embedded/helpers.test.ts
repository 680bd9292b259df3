import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { timeoutSignal } from '../../../src/ipfsconn/embedded/helpers.js'

describe('embedded connector helpers: timeoutSignal', () => {
  it('aborts with a TimeoutError after the delay', async () => {
    const { signal } = timeoutSignal(undefined, 5)
    await new Promise((resolve) => setTimeout(resolve, 30))
    assert.equal(signal?.aborted, true)
    assert.equal(signal?.reason.name, 'TimeoutError')
  })

  it('never aborts once cleared', async () => {
    const { signal, clear } = timeoutSignal(undefined, 5)
    clear()
    await new Promise((resolve) => setTimeout(resolve, 30))
    assert.equal(signal?.aborted, false)
  })

  it('follows the caller\'s signal, and is the caller\'s signal when there is no timeout', () => {
    const caller = new AbortController()
    const { signal, clear } = timeoutSignal(caller.signal, 60_000)
    caller.abort(new Error('stop'))
    assert.equal(signal?.aborted, true)
    assert.equal(signal?.reason.message, 'stop')
    clear()
    assert.equal(timeoutSignal(caller.signal, 0).signal, caller.signal)
    assert.equal(timeoutSignal(undefined, 0).signal, undefined)
  })
})
