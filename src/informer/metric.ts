/**
 * Helpers shared by the informers: building a metric with a TTL, the way Go's
 * `api.Metric` literal followed by `SetTTL` does.
 */
import { nowNs } from '../util/time.js'
import type { Metric } from '../interface/types.js'

/** Fields an informer sets; the rest default to their zero values. */
export interface MetricFields {
  name: string
  value?: string
  valid?: boolean
  weight?: bigint
  partitionable?: boolean
}

/** Converts a TTL in milliseconds (possibly fractional) to nanoseconds. */
export function msToNs (ms: number): bigint {
  return BigInt(Math.round(ms * 1e6))
}

/**
 * Returns a metric expiring `ttlMs` from now (Go `Metric.SetTTL`).
 * `peer` is left '' (the cluster fills it before publishing) and `receivedAt` 0
 * (the monitor stamps it when storing).
 */
export function newMetric (fields: MetricFields, ttlMs: number): Metric {
  return {
    name: fields.name,
    peer: '',
    value: fields.value ?? '',
    expire: nowNs() + msToNs(ttlMs),
    valid: fields.valid ?? false,
    weight: fields.weight ?? 0n,
    partitionable: fields.partitionable ?? false,
    receivedAt: 0n
  }
}

/**
 * The single invalid metric an informer returns once it is shut down
 * (Go returns it while its RPC client is nil). It has no expiry, so it is
 * discarded everywhere.
 */
export function invalidMetric (name: string): Metric {
  return { name, peer: '', value: '', expire: 0n, valid: false, weight: 0n, partitionable: false, receivedAt: 0n }
}
