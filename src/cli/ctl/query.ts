/** URL query encoding as Go's `net/url` (QueryEscape, Values.Encode) and the pin-option query. */
import { formatTime } from '../../util/time.js'

/** Go `url.QueryEscape`: only `A-Za-z0-9-_.~` kept, space → `+`. */
export function queryEscape (s: string): string {
  return encodeURIComponent(s)
    .replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase())
    .replace(/%20/g, '+')
}

/** Go `url.Values.Encode`: keys sorted byte-wise, `k=v` joined by `&`. */
export function encodeQuery (values: Record<string, string>): string {
  return Object.keys(values)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((k) => `${queryEscape(k)}=${queryEscape(values[k])}`)
    .join('&')
}

/** Options the ctl sends when pinning (Go `api.PinOptions` as the client fills it). */
export interface PinQueryOptions {
  replicationFactorMin: number
  replicationFactorMax: number
  name: string
  mode: 'recursive' | 'direct'
  shardSize: number
  userAllocations: string[]
  expireAt?: Date
  metadata: Record<string, string>
  pinUpdate?: string
  origins?: string[]
}

/** Go `PinOptions.ToQuery`: the canonical pin-option query (rest-api §9.1). */
export function pinOptionsQuery (o: PinQueryOptions): string {
  return encodeQuery(pinOptionsValues(o))
}

/** The unencoded key/value pairs of `pinOptionsQuery` (Go `PinOptions.ToQuery` before `Encode`). */
export function pinOptionsValues (o: PinQueryOptions): Record<string, string> {
  const q: Record<string, string> = {
    'replication-min': String(o.replicationFactorMin),
    'replication-max': String(o.replicationFactorMax),
    name: o.name,
    mode: o.mode,
    'shard-size': String(o.shardSize),
    'user-allocations': o.userAllocations.join(',')
  }
  if (o.expireAt != null) q['expire-at'] = formatTime(o.expireAt)
  for (const [k, v] of Object.entries(o.metadata)) {
    if (k === '') continue
    q[`meta-${k}`] = v
  }
  if (o.pinUpdate != null) q['pin-update'] = o.pinUpdate
  if (o.origins != null && o.origins.length > 0) q.origins = o.origins.join(',')
  return q
}
