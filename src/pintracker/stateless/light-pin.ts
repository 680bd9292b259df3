/**
 * The light decoding of a stored pin used by `statusAll`: only the fields a
 * PinInfo needs, and the CID built from the store's key bytes when it gives them.
 */
import { CID } from 'multiformats/cid'
import { parseCid } from '../../api/common/cid.js'
import { parseTime } from '../../util/time.js'
import { bytesKey } from '../optracker/key.js'
import type { PeerIdString } from '../../interface/types.js'

/** The fields of a stored pin that statusAll reads. */
export interface LightPin {
  /** Decoded REST JSON of the pin. */
  json: Record<string, any>
  /** Map key of the CID (`bytesKey`). */
  key: string
  /** The CID bytes when the store gave them. */
  bytes: Uint8Array | undefined
  /** The CID when it had to be parsed already. */
  cid: CID | undefined
}

/** Decodes a `listJson` entry; `key` is an extension of the pinset stores (CID bytes). */
export function lightPin (entry: { json: string, key?: unknown }): LightPin {
  const json = JSON.parse(entry.json)
  if (entry.key instanceof Uint8Array) {
    return { json, key: bytesKey(entry.key), bytes: entry.key, cid: undefined }
  }
  const cid = parseCid(String(json.cid))
  return { json, key: bytesKey(cid.bytes), bytes: undefined, cid }
}

/** Go `IsRemotePin` on the JSON form. */
export function isRemoteJson (json: Record<string, any>, peer: PeerIdString): boolean {
  if (json.replication_factor_min === -1 && json.replication_factor_max === -1) return false
  return !(Array.isArray(json.allocations) && json.allocations.includes(peer))
}

/**
 * The CID of a light pin. With key bytes the stored text becomes the CID's cached
 * string form through a decoder that returns those bytes (no base decoding).
 */
export function lightCid (p: LightPin): CID {
  if (p.cid != null) return p.cid
  const bytes = p.bytes as Uint8Array
  if (typeof p.json.cid === 'string' && p.json.cid !== '') {
    try {
      return CID.parse(p.json.cid, { decode: () => bytes } as any)
    } catch {}
  }
  return CID.decode(bytes)
}

let lastTimeText = ''
let lastTime: Date | undefined

/**
 * A time field of the JSON form. Consecutive pins often share their (second
 * precision) timestamp, so the last parse is reused; the Date is shared, never mutated.
 */
export function lightTime (v: unknown): Date | undefined {
  if (typeof v !== 'string' || v === '') return undefined
  if (v !== lastTimeText) {
    lastTime = parseTime(v)
    lastTimeText = v
  }
  return lastTime
}

/** A string-list field (null → undefined). */
export function lightList (v: unknown): string[] | undefined {
  return Array.isArray(v) ? v : undefined
}

/** A metadata field (null → undefined). */
export function lightMap (v: unknown): Record<string, string> | undefined {
  return v != null && typeof v === 'object' ? v as Record<string, string> : undefined
}
