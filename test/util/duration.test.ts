import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { parseDuration, formatDuration, parseDurationNs, formatDurationNs } from '../../src/util/duration.js'

describe('go durations', () => {
  it('parses the reference forms', () => {
    assert.equal(parseDuration('300ms'), 300)
    assert.equal(parseDuration('1.5h'), 5_400_000)
    assert.equal(parseDuration('2h45m'), 9_900_000)
    assert.equal(parseDuration('0'), 0)
    assert.equal(parseDuration('0h2m0s'), 120_000)
    assert.equal(parseDurationNs('1us'), 1000n)
    assert.equal(parseDuration('-1m'), -60_000)
  })
  it('rejects malformed text', () => {
    for (const s of ['', '1', 'abc', '1x', '.s', '5 s']) {
      assert.throws(() => parseDuration(s), { name: 'InvalidDurationError' }, s)
    }
  })
  it('formats like Go', () => {
    assert.equal(formatDuration(0), '0s')
    assert.equal(formatDuration(250), '250ms')
    assert.equal(formatDuration(60_000), '1m0s')
    assert.equal(formatDuration(120_000), '2m0s')
    assert.equal(formatDuration(3_600_000), '1h0m0s')
    assert.equal(formatDuration(86_400_000), '24h0m0s')
    assert.equal(formatDuration(1500), '1.5s')
    assert.equal(formatDurationNs(1500n), '1.5µs')
    assert.equal(formatDuration(90_000), '1m30s')
  })
})
