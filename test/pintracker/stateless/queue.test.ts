import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { BoundedQueue } from '../../../src/pintracker/stateless/queue.js'

describe('bounded queue', () => {
  it('is first in, first out and refuses items beyond its capacity', () => {
    const q = new BoundedQueue<number>(2)
    assert.equal(q.push(1), true)
    assert.equal(q.push(2), true)
    assert.equal(q.push(3), false)
    assert.equal(q.shift(), 1)
    assert.equal(q.push(3), true)
    assert.deepEqual([q.shift(), q.shift(), q.shift()], [2, 3, undefined])
    assert.equal(q.size, 0)
  })

  it('keeps order across compactions of a long queue', () => {
    const q = new BoundedQueue<number>(100_000)
    let next = 0
    let expected = 0
    for (let round = 0; round < 10; round++) {
      for (let i = 0; i < 5000; i++) assert.equal(q.push(next++), true)
      for (let i = 0; i < 3000; i++) assert.equal(q.shift(), expected++)
    }
    assert.equal(q.size, 20_000)
    while (q.size > 0) assert.equal(q.shift(), expected++)
    assert.equal(expected, next)
  })
})
