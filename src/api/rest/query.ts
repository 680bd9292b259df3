/**
 * Query-string parsing of the REST API (spec rest-api §8.6, §8.8, §9.1) with the
 * reference's exact 400 messages. Every parser throws BadRequestError.
 */
import { multiaddr } from '@multiformats/multiaddr'
import { parseCid, isPeerId, parsePeerId } from '../common/cid.js'
import { parsePinMode } from '../common/pin.js'
import { parseStatusFilter } from '../common/status.js'
import { ALL_PIN_TYPES, PIN_TYPE_BITS } from '../../interface/types.js'
import type { PinOptions } from '../../interface/types.js'
import { parseDurationNs } from '../../util/duration.js'
import { parseTime } from '../../util/time.js'
import { BadRequestError } from './errors.js'

const INT64_MAX = 2n ** 63n - 1n
const UINT64_MAX = 2n ** 64n - 1n

/** Go `strconv.Atoi` on a 64-bit platform; undefined when invalid. */
function atoi (s: string): number | undefined {
  if (!/^[+-]?\d+$/.test(s)) return undefined
  const v = BigInt(s)
  if (v > INT64_MAX || v < -INT64_MAX - 1n) return undefined
  return Number(v)
}

/** Go `parseIntParam`: absent or empty keeps `def`. */
function intParam (value: string | null, name: string, def: number): number {
  if (value == null || value === '') return def
  const v = atoi(value)
  if (v == null) throw new BadRequestError(`parameter ${name} invalid`)
  return v
}

/** The first value of a key, `''` when absent (Go `url.Values.Get`). */
function get (q: URLSearchParams, key: string): string {
  return q.get(key) ?? ''
}

/**
 * Go `PinOptions.FromQuery`. `metadata` is always an object (Go makes the map),
 * `userAllocations` is set (invalid IDs dropped) only when the parameter is non-empty.
 */
export function parsePinOptions (q: URLSearchParams): PinOptions {
  const replication = get(q, 'replication')
  const rmin = replication !== '' ? replication : q.get('replication-min')
  const rmax = replication !== '' ? replication : q.get('replication-max')
  const opts: PinOptions = {
    name: get(q, 'name'),
    mode: parsePinMode(get(q, 'mode')),
    replicationFactorMin: intParam(rmin, 'replication-min', 0),
    replicationFactorMax: intParam(rmax, 'replication-max', 0),
    shardSize: 0,
    userAllocations: undefined,
    expireAt: undefined,
    metadata: {},
    pinUpdate: undefined,
    origins: undefined
  }

  const shardSize = get(q, 'shard-size')
  if (shardSize !== '') {
    if (!/^\d+$/.test(shardSize) || BigInt(shardSize) > UINT64_MAX) throw new BadRequestError('parameter shard_size is invalid')
    opts.shardSize = Number(shardSize)
  }

  const allocs = get(q, 'user-allocations')
  if (allocs !== '') opts.userAllocations = allocs.split(',').filter(isPeerId).map(parsePeerId)

  const expireAt = get(q, 'expire-at')
  const expireIn = get(q, 'expire-in')
  if (expireAt !== '') {
    try {
      opts.expireAt = parseTime(expireAt)
    } catch (err: any) {
      throw new BadRequestError(`expire-at cannot be parsed: ${err.message}`, { cause: err })
    }
  } else if (expireIn !== '') {
    let ns: bigint
    try {
      ns = parseDurationNs(expireIn)
    } catch (err: any) {
      throw new BadRequestError(`expire-in cannot be parsed: ${err.message}`, { cause: err })
    }
    if (ns < 1_000_000_000n) throw new BadRequestError('expire-in duration too short')
    opts.expireAt = new Date(Date.now() + Number(ns / 1_000_000n))
  }

  const metadata: Record<string, string> = {}
  for (const key of new Set(q.keys())) {
    if (!key.startsWith('meta-') || key.length === 'meta-'.length) continue
    metadata[key.slice('meta-'.length)] = get(q, key)
  }
  opts.metadata = metadata

  const update = get(q, 'pin-update')
  if (update !== '') {
    try {
      opts.pinUpdate = parseCid(update)
    } catch (err: any) {
      throw new BadRequestError(`error decoding update option parameter: ${err.message}`, { cause: err })
    }
  }

  const origins = get(q, 'origins')
  if (origins !== '') opts.origins = origins.split(',').map(parseOrigin)

  return opts
}

/** One `origins` entry: a multiaddr that must carry `/p2p/<peer>`. */
function parseOrigin (text: string): string {
  let ma
  try {
    ma = multiaddr(text)
  } catch (err: any) {
    throw new BadRequestError(`error decoding multiaddress: ${err.message}`, { cause: err })
  }
  if (!ma.getComponents().some((c) => c.name === 'p2p')) {
    throw new BadRequestError('multiaddress does not contain peer ID: protocol not found in multiaddr')
  }
  return ma.toString()
}

/**
 * `/allocations?filter=`: comma list of pin types OR-ed, `''`/`all` = all types,
 * unknown names add the bad bit; only-bad → 400 `invalid filter value`.
 * Returns the bit set.
 */
export function parsePinTypeFilter (text: string): number {
  let filter = 0
  for (const name of text.split(',')) {
    switch (name) {
      case '': case 'all': filter |= ALL_PIN_TYPES; break
      case 'pin': case 'meta-pin': case 'clusterdag-pin': case 'shard-pin':
        filter |= PIN_TYPE_BITS[name]
        break
      default: filter |= PIN_TYPE_BITS['bad-type']
    }
  }
  if (filter === PIN_TYPE_BITS['bad-type']) throw new BadRequestError('invalid filter value')
  return filter
}

/** `/pins?filter=`: tracker statuses OR-ed; a non-empty text yielding no status → 400. */
export function parseTrackerFilter (text: string): number {
  const { filter } = parseStatusFilter(text)
  if (filter === 0 && text !== '') throw new BadRequestError('invalid filter value')
  return filter
}

/** `local` on status/recover/gc routes: on only for the literal `true`. */
export function localFlag (q: URLSearchParams): boolean {
  return q.get('local') === 'true'
}
