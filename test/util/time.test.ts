import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { formatTime, parseTime, normalizeTimeString, ZERO_TIME } from '../../src/util/time.js'
import { goJson, parseJsonBig } from '../../src/util/gojson.js'

describe('go times', () => {
  it('formats the zero time', () => {
    assert.equal(formatTime(undefined), ZERO_TIME)
  })
  it('formats UTC with trimmed fraction', () => {
    assert.equal(formatTime(new Date('2024-05-01T08:00:00.120Z'), { utc: true }), '2024-05-01T08:00:00.12Z')
    assert.equal(formatTime(new Date('2024-05-01T08:00:00.120Z'), { utc: true, seconds: true }), '2024-05-01T08:00:00Z')
  })
  it('parses offsets and the zero time', () => {
    assert.equal(parseTime('2024-05-01T10:00:00+02:00')?.toISOString(), '2024-05-01T08:00:00.000Z')
    assert.equal(parseTime(ZERO_TIME), undefined)
    assert.equal(parseTime('1970-01-01T00:00:00Z'), undefined)
    assert.throws(() => parseTime('yesterday'), { name: 'InvalidTimeError' })
  })
  it('normalizes keeping the offset', () => {
    assert.equal(normalizeTimeString('2024-05-01T10:00:00.500000000+02:00'), '2024-05-01T10:00:00.5+02:00')
    assert.equal(normalizeTimeString('2024-05-01T10:00:00.000+00:00'), '2024-05-01T10:00:00Z')
  })
})

describe('go json', () => {
  it('escapes html characters and writes bigints exactly', () => {
    assert.equal(goJson({ a: '<&>', n: 1714550430123456789n }), '{"a":"\\u003c\\u0026\\u003e","n":1714550430123456789}')
  })
  it('parses big integers exactly', () => {
    const v = parseJsonBig('{"expire":1714550430123456789,"w":5}') as any
    assert.equal(v.expire, 1714550430123456789n)
    assert.equal(v.w, 5)
  })
})
