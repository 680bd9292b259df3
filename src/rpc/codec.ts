/**
 * Value shapes shared by every RPC service. Go sends the msgpack form of its
 * structs; we carry the REST JSON object of each API type instead (the encoders
 * of `api/common/codec.ts`, so there is one codec per type), except where
 * binary is cheaper and unambiguous:
 * - CIDs travel as their binary form (spec §5).
 * - Peer IDs travel as their canonical strings (`12D3KooW…`), as everywhere
 *   else in the code; `peerFromWire` checks the type only.
 * - int64 values (metric times, ns durations) travel as msgpack int64 and come
 *   back as `bigint`.
 */
import type { CID } from 'multiformats/cid'
import {
  globalPinInfoFromJson, globalPinInfoToJson, idFromJson, idToJson, metricFromJson, metricToJson,
  pinFromJson, pinInfoFromJson, pinInfoToJson, pinToJson
} from '../api/common/codec.js'
import { cidFromBytes, parseCid } from '../api/common/cid.js'
import { InvalidArgumentError } from '../interface/errors.js'
import type { GlobalPinInfo, ID, Metric, Pin, PinInfo } from '../interface/types.js'

/** A msgpack map as decoded. */
export type WireObject = Record<string, unknown>

function object (v: unknown, what: string): WireObject {
  if (v == null || typeof v !== 'object' || Array.isArray(v) || v instanceof Uint8Array) {
    throw new InvalidArgumentError(`rpc: ${what} is not an object`)
  }
  return v as WireObject
}

/** The binary form of a CID. */
export function cidToWire (cid: CID): Uint8Array {
  return cid.bytes
}

/** A CID from its binary form (or, leniently, its string form). Throws InvalidArgumentError. */
export function cidFromWire (v: unknown): CID {
  try {
    // a copy: decoded bytes are views of a whole received chunk, which the CID would keep alive
    if (v instanceof Uint8Array) return cidFromBytes(v.slice())
    if (typeof v === 'string') return parseCid(v)
  } catch (err: any) {
    throw new InvalidArgumentError(`rpc: invalid cid: ${String(err?.message ?? err)}`, { cause: err })
  }
  throw new InvalidArgumentError('rpc: a cid must be bytes')
}

/** A peer ID string. Throws InvalidArgumentError for anything else. */
export function peerFromWire (v: unknown): string {
  if (typeof v !== 'string') throw new InvalidArgumentError('rpc: a peer ID must be a string')
  return v
}

/** A Pin as its REST JSON object (full precision, `user_allocations` kept). */
export function pinToWire (pin: Pin): WireObject {
  return pinToJson(pin)
}

/** Decodes `pinToWire`. Throws when the CID is missing or invalid. */
export function pinFromWire (v: unknown): Pin {
  return pinFromJson(object(v, 'pin'))
}

export function pinInfoToWire (p: PinInfo): WireObject {
  return pinInfoToJson(p)
}

export function pinInfoFromWire (v: unknown): PinInfo {
  return pinInfoFromJson(object(v, 'pin info'))
}

export function globalPinInfoToWire (g: GlobalPinInfo): WireObject {
  return globalPinInfoToJson(g)
}

export function globalPinInfoFromWire (v: unknown): GlobalPinInfo {
  return globalPinInfoFromJson(object(v, 'global pin info'))
}

export function idToWire (id: ID): WireObject {
  return idToJson(id)
}

export function idFromWire (v: unknown): ID {
  return idFromJson(object(v, 'id'))
}

/** A Metric; its int64 fields stay bigints on the wire. */
export function metricToWire (m: Metric): WireObject {
  return metricToJson(m)
}

export function metricFromWire (v: unknown): Metric {
  return metricFromJson(object(v, 'metric'))
}
