import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { DEFAULTS, fromJson, toJson } from '../../../src/pintracker/stateless/config.js'

describe('pin_tracker.stateless config', () => {
  it('takes defaults for missing, zero and empty values', () => {
    assert.deepEqual({ ...fromJson({}) }, { maxPinQueueSize: 1_000_000, concurrentPins: 10, priorityPinMaxAge: 86_400_000, priorityPinMaxRetries: 5 })
    assert.deepEqual({ ...fromJson({ concurrent_pins: 0, priority_pin_max_age: '' }) }, { ...fromJson({}) })
  })

  it('reads every key', () => {
    const cfg = fromJson({ max_pin_queue_size: 20, concurrent_pins: 3, priority_pin_max_age: '1h30m', priority_pin_max_retries: 2 })
    assert.deepEqual({ ...cfg }, { maxPinQueueSize: 20, concurrentPins: 3, priorityPinMaxAge: 5_400_000, priorityPinMaxRetries: 2 })
  })

  it('reports every problem at once', () => {
    assert.throws(() => fromJson({ max_pin_queue_size: -1, concurrent_pins: -2, priority_pin_max_age: '-1s', priority_pin_max_retries: -1 }), (err: any) => {
      assert.equal(err.name, 'InvalidConfigError')
      assert.deepEqual(err.problems, [
        'statelesstracker.max_pin_queue_size too low',
        'statelesstracker.concurrent_pins is too low',
        'statelesstracker.priority_pin_max_age is too low',
        'statelesstracker.priority_pin_max_retries is too low'
      ])
      return true
    })
    assert.throws(() => fromJson({ priority_pin_max_age: 'soon' }), { name: 'InvalidConfigError', message: 'error parsing stateless.priority_pin_max_age: time: invalid duration "soon"' })
  })

  it('writes max_pin_queue_size only when not default', () => {
    assert.deepEqual(toJson(fromJson({})), { concurrent_pins: 10, priority_pin_max_age: DEFAULTS.priority_pin_max_age, priority_pin_max_retries: 5 })
    assert.deepEqual(Object.keys(toJson(fromJson({ max_pin_queue_size: 7 }))), ['max_pin_queue_size', 'concurrent_pins', 'priority_pin_max_age', 'priority_pin_max_retries'])
  })
})
