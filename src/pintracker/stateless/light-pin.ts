/**
 * The light decoding of a stored pin used by `statusAll`: only the fields a
 * PinInfo needs, and the CID built from its bytes without parsing its text.
 */
import { CID } from 'multiformats/cid'
import { cidFromBytes, parseCid } from '../../api/common/cid.js'
import { canonicalCidBytes } from '../../api/common/codec.js'
import { parseTime } from '../../util/time.js'
import { bytesKey } from '../optracker/key.js'
import type { PeerIdString } from '../../interface/types.js'

/** The fields of a stored pin that statusAll reads. */
export interface LightPin {
  /** Decoded REST JSON of the pin. */
  json: Record<string, any>
  /** The CID bytes. */
  bytes: Uint8Array
  /** The CID when it had to be parsed already. */
  cid: CID | undefined
  /** The stored CID text when `bytes` were decoded from it (then it is `cid.toString()`). */
  text: string | undefined
}

/**
 * Decodes a `listJson` entry. The CID bytes come from the stored text when it is
 * canonical (always, as stores write `cid.toString()`), so stores need not read their
 * keys, which costs more than this decoding. Otherwise the store's `key` extension
 * (CID bytes) is used, else the text is parsed.
 */
export function lightPin (entry: { json: string, key?: unknown }): LightPin {
  const json = JSON.parse(entry.json)
  const text = json.cid
  if (typeof text === 'string') {
    const bytes = canonicalCidBytes(text)
    if (bytes != null) return { json, bytes, cid: undefined, text }
  }
  if (entry.key instanceof Uint8Array) {
    // a plain copy, as CID.decode gives: store keys may be Buffers over a shared page
    return { json, bytes: new Uint8Array(entry.key), cid: undefined, text: undefined }
  }
  const cid = parseCid(String(text))
  return { json, bytes: cid.bytes, cid, text: undefined }
}

/** The operation tracker's map key of a light pin. */
export function lightKey (p: LightPin): string {
  return bytesKey(p.bytes)
}

/** Go `IsRemotePin` on the JSON form. */
export function isRemoteJson (json: Record<string, any>, peer: PeerIdString): boolean {
  if (json.replication_factor_min === -1 && json.replication_factor_max === -1) return false
  return !(Array.isArray(json.allocations) && json.allocations.includes(peer))
}

/**
 * The CID of a light pin, built from its bytes (`CID.decode`), skipping the
 * re-encoding of the bytes in the common case (v1, one-byte varints).
 */
export function lightCid (p: LightPin): CID {
  return p.cid ?? cidFromBytes(p.bytes)
}

/** The text `lightCid(p).toString()` prints, when known without encoding. */
export function lightCidText (p: LightPin): string | undefined {
  return p.text
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
