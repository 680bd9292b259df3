/**
 * Wire form of a metric on the `monitor.metrics` topic (spec pinning-internals §1.6,
 * §7.1): a msgpack map with Go's short keys, zero-valued keys omitted (Go's
 * `codec:"…,omitempty"` tags), in Go's struct field order.
 */
import { decode, encode } from '@msgpack/msgpack'
import { peerIdFromMultihash } from '@libp2p/peer-id'
import * as Digest from 'multiformats/hashes/digest'
import { MetricDecodeError } from './errors.js'
import type { Metric } from '../../interface/types.js'

/** Header of the multicodec-wrapped payloads sent by peers ≤ v0.13.3. */
export const LEGACY_PREFIX: Uint8Array = new Uint8Array([9, ...new TextEncoder().encode('/msgpack\n')])

// Maps are written with the smallest map header (fixmap), as Go's encoder does;
// 64-bit integers decode as bigint so nanosecond times stay exact.
const ENCODE_OPTIONS = { useBigInt64: true, ignoreUndefined: true }
const DECODE_OPTIONS = { useBigInt64: true }

/** Encodes integers that fit a JS number as numbers, so msgpack uses the compact forms. */
function int (v: bigint): number | bigint {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v
}

/** Encodes a metric for publication. */
export function encodeMetric (m: Metric): Uint8Array {
  const o: Record<string, unknown> = {}
  if (m.name !== '') o.n = m.name
  if (m.peer !== '') o.p = m.peer
  if (m.value !== '') o.v = m.value
  if (m.expire !== 0n) o.e = int(m.expire)
  if (m.valid) o.d = true
  if (m.weight !== 0n) o.w = int(m.weight)
  if (m.partitionable) o.o = true
  if (m.receivedAt !== 0n) o.t = int(m.receivedAt)
  return encode(o, ENCODE_OPTIONS)
}

function str (o: Record<string, unknown>, k: string): string {
  const v = o[k]
  if (v == null) return ''
  if (typeof v !== 'string') throw new MetricDecodeError(`metric field ${k} is not a string`)
  return v
}

function big (o: Record<string, unknown>, k: string): bigint {
  const v = o[k]
  if (v == null) return 0n
  if (typeof v === 'bigint') return v
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v)
  throw new MetricDecodeError(`metric field ${k} is not an integer`)
}

function bool (o: Record<string, unknown>, k: string): boolean {
  const v = o[k]
  if (v == null) return false
  if (typeof v !== 'boolean') throw new MetricDecodeError(`metric field ${k} is not a boolean`)
  return v
}

/** A peer ID given as raw multihash bytes (Go's binary form) or as its string. */
function peer (o: Record<string, unknown>): string {
  const v = o.p
  if (v instanceof Uint8Array) {
    try {
      return peerIdFromMultihash(Digest.decode(v)).toString()
    } catch (err) {
      throw new MetricDecodeError('metric field p is not a peer ID', { cause: err })
    }
  }
  return str(o, 'p')
}

function decodePlain (data: Uint8Array): Metric {
  let o: unknown
  try {
    o = decode(data, DECODE_OPTIONS)
  } catch (err: any) {
    throw new MetricDecodeError(`cannot decode metric: ${String(err.message)}`, { cause: err })
  }
  if (o == null || typeof o !== 'object' || Array.isArray(o) || o instanceof Uint8Array || o.constructor !== Object) {
    throw new MetricDecodeError('cannot decode metric: payload is not a map')
  }
  const r = o as Record<string, unknown>
  return {
    name: str(r, 'n'),
    peer: peer(r),
    value: str(r, 'v'),
    expire: big(r, 'e'),
    valid: bool(r, 'd'),
    weight: big(r, 'w'),
    partitionable: bool(r, 'o'),
    receivedAt: big(r, 't')
  }
}

function hasLegacyPrefix (data: Uint8Array): boolean {
  if (data.length < LEGACY_PREFIX.length) return false
  for (let i = 0; i < LEGACY_PREFIX.length; i++) {
    if (data[i] !== LEGACY_PREFIX[i]) return false
  }
  return true
}

/** Result of decoding: the metric, and whether it came in the legacy wrapping. */
export interface DecodedMetric {
  metric: Metric
  legacy: boolean
}

/**
 * Decodes a payload; as Go, the legacy prefix is only tried when plain decoding
 * fails. Throws MetricDecodeError.
 */
export function decodeMetric (data: Uint8Array): DecodedMetric {
  try {
    return { metric: decodePlain(data), legacy: false }
  } catch (err) {
    if (!hasLegacyPrefix(data)) throw err
    return { metric: decodePlain(data.subarray(LEGACY_PREFIX.length)), legacy: true }
  }
}
