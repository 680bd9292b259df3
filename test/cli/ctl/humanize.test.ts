import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { goFixed, humanBytes, relTime } from '../../../src/cli/ctl/humanize.js'

describe('humanBytes', () => {
  it('formats sizes like go-humanize Bytes', () => {
    const table: Array<[number | bigint, string]> = [
      [0, '0 B'], [9, '9 B'], [10, '10 B'], [999, '999 B'], [1000, '1.0 kB'], [1049, '1.0 kB'], [1050, '1.1 kB'],
      [5_200_000_000, '5.2 GB'], [54_321_000_000, '54 GB'], [999_999, '1000 kB'], [1_000_000, '1.0 MB'],
      [12_500_000, '12 MB'], [13_500_000, '14 MB'], [1_000_000_000_000_000_000n, '1.0 EB']
    ]
    for (const [n, s] of table) assert.equal(humanBytes(n), s, `humanBytes(${n})`)
  })
})

describe('goFixed', () => {
  it('rounds exact halves to even like Go %.Nf', () => {
    assert.equal(goFixed(12.5, 0), '12')
    assert.equal(goFixed(13.5, 0), '14')
    assert.equal(goFixed(0.125, 2), '0.12')
    assert.equal(goFixed(1.005, 2), '1.00') // 1.005 is below the half in binary
    assert.equal(goFixed(2.675, 2), '2.67')
    assert.equal(goFixed(1234.5678, 2), '1234.57')
  })
})

describe('relTime', () => {
  it('chooses the go-humanize magnitude and label', () => {
    const s = 1_000_000_000n
    const now = 1_700_000_000n * s
    const day = 86_400n * s
    const table: Array<[bigint, string]> = [
      [0n, 'now'],
      [-(s / 2n), 'now'],
      [-s, '1 second ago'],
      [24n * s, '24 seconds from now'],
      [-59n * s, '59 seconds ago'],
      [-60n * s, '1 minute ago'],
      [-119n * s, '1 minute ago'],
      [-120n * s, '2 minutes ago'],
      [3600n * s, '1 hour from now'],
      [-7200n * s, '2 hours ago'],
      [-day, '1 day ago'],
      [-3n * day, '3 days ago'],
      [-7n * day, '1 week ago'],
      [-21n * day, '3 weeks ago'],
      [-30n * day, '1 month ago'],
      [-90n * day, '3 months ago'],
      [-360n * day, '1 year ago'],
      [-540n * day, '2 years ago'],
      [-(3n * 360n) * day, '3 years ago'],
      [-(40n * 360n) * day, 'a long while ago']
    ]
    for (const [delta, text] of table) assert.equal(relTime(now + delta, now), text, `delta ${delta}`)
  })
})
