import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { decode, encode } from '@msgpack/msgpack'
import { peerIdFromString } from '@libp2p/peer-id'
import { decodeMetric, encodeMetric, LEGACY_PREFIX } from '../../../src/monitor/pubsubmon/codec.js'
import { peers } from './helpers.js'
import type { Metric } from '../../../src/interface/types.js'

const raw = { unpack: (data: Uint8Array): unknown => decode(data, { useBigInt64: true }) }

describe('metric msgpack codec', () => {
  it('round-trips a metric with nanosecond bigint times', async () => {
    const [p] = await peers(1)
    const m: Metric = {
      name: 'freespace',
      peer: p,
      value: '123',
      expire: 1_780_000_000_123_456_789n,
      valid: true,
      weight: -9_007_199_254_740_993n,
      partitionable: true,
      receivedAt: 1_780_000_000_987_654_321n
    }
    const { metric, legacy } = decodeMetric(encodeMetric(m))
    assert.equal(legacy, false)
    assert.deepEqual(metric, m)
  })

  it('uses the short keys in Go field order and omits zero values', () => {
    const m: Metric = { name: 'ping', peer: '', value: '', expire: 5n, valid: false, weight: 0n, partitionable: false, receivedAt: 0n }
    const o = raw.unpack(encodeMetric(m)) as Record<string, unknown>
    assert.deepEqual(Object.keys(o), ['n', 'e'])
    const full = raw.unpack(encodeMetric({ ...m, peer: 'x', value: 'v', valid: true, weight: 1n, partitionable: true, receivedAt: 2n })) as Record<string, unknown>
    assert.deepEqual(Object.keys(full), ['n', 'p', 'v', 'e', 'd', 'w', 'o', 't'])
  })

  it('decodes an empty map as the zero metric', () => {
    const { metric } = decodeMetric(new Uint8Array([0x80]))
    assert.deepEqual(metric, { name: '', peer: '', value: '', expire: 0n, valid: false, weight: 0n, partitionable: false, receivedAt: 0n })
  })

  it('accepts the legacy multicodec prefix', () => {
    const m: Metric = { name: 'ping', peer: 'p', value: '', expire: 10n, valid: true, weight: 0n, partitionable: false, receivedAt: 0n }
    const data = new Uint8Array([...LEGACY_PREFIX, ...encodeMetric(m)])
    assert.equal(LEGACY_PREFIX[0], 9)
    assert.equal(new TextDecoder().decode(LEGACY_PREFIX.subarray(1)), '/msgpack\n')
    const { metric, legacy } = decodeMetric(data)
    assert.equal(legacy, true)
    assert.deepEqual(metric, m)
  })

  it('accepts a peer ID given as raw bytes', async () => {
    const [p] = await peers(1)
    const data = encode({ n: 'ping', p: peerIdFromString(p).toMultihash().bytes })
    assert.equal(decodeMetric(data).metric.peer, p)
  })

  it('rejects payloads that are not a metric map', () => {
    assert.throws(() => decodeMetric(new Uint8Array([0x01])), { name: 'MetricDecodeError' })
    assert.throws(() => decodeMetric(new Uint8Array([0xc1])), { name: 'MetricDecodeError' })
    assert.throws(() => decodeMetric(new Uint8Array([0x81, 0xa1, 0x6e, 0x05])), { name: 'MetricDecodeError' })
  })
})
