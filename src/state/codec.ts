/**
 * The stored form of a pin: a one-character type tag followed by the pin's REST
 * JSON in its "stored" form (second-precision times, `user_allocations` null), so
 * listings can stream the JSON without decoding it. Keys are the CID bytes.
 */
import { CID } from 'multiformats/cid'
import { cidFromBytes } from '../api/common/cid.js'
import { isBase32Of, pinFromJson, pinToJson } from '../api/common/codec.js'
import { goJson } from '../util/gojson.js'
import { StateDecodeError } from './errors.js'
import type { Pin, PinType } from '../interface/types.js'

const TAG_OF_TYPE: Readonly<Record<PinType, string>> = {
  pin: 'p',
  'meta-pin': 'm',
  'clusterdag-pin': 'c',
  'shard-pin': 's',
  'bad-type': 'b'
}
const TYPE_OF_TAG: Readonly<Record<string, PinType>> = {
  p: 'pin',
  m: 'meta-pin',
  c: 'clusterdag-pin',
  s: 'shard-pin',
  b: 'bad-type'
}

/** The key of a pin: its CID bytes. */
export function stateKey (cid: CID): Uint8Array {
  return cid.bytes
}

/** Encodes a pin as its stored value (tag + stored JSON). */
export function encodeStoredPin (pin: Pin): string {
  return TAG_OF_TYPE[pin.type] + goJson(pinToJson(pin, { stored: true }))
}

/** The pin type of a stored value. */
export function storedType (value: string): PinType {
  return TYPE_OF_TAG[value[0]] ?? 'bad-type'
}

/** The JSON text of a stored value. */
export function storedJson (value: string): string {
  return value.slice(1)
}

/** Decodes a stored value into a Pin. Throws StateDecodeError. */
export function decodeStoredPin (value: string, key?: Uint8Array): Pin {
  return decodeStored(value, key).pin
}

/**
 * Decodes a stored value whose key is known; `canonical` tells whether the stored CID
 * text is the key's canonical text (`cid.toString()`), as `encodeStoredPin` writes it:
 * only then can the value be stored again as it is (listings stream its JSON).
 */
export function decodeStoredWithKey (value: string, key: Uint8Array): { pin: Pin, canonical: boolean } {
  return decodeStored(value, key) as { pin: Pin, canonical: boolean }
}

function decodeStored (value: string, key?: Uint8Array): { pin: Pin, canonical?: boolean } {
  let j: Record<string, unknown>
  try {
    j = JSON.parse(storedJson(value))
  } catch (err: any) {
    throw new StateDecodeError(`invalid stored pin: ${String(err.message)}`, { cause: err })
  }
  // the CID comes from the key bytes (copied: store keys may view a shared page):
  // parsing its text (base32/base58) and multiformats' string cache cost more
  const cid = key != null ? cidFromBytes(new Uint8Array(key)) : undefined
  let pin: Pin
  try {
    pin = pinFromJson(j, cid)
  } catch (err: any) {
    throw new StateDecodeError(`invalid stored pin: ${String(err.message)}`, { cause: err })
  }
  if (cid == null) return { pin }
  const text = j.cid
  const canonical = typeof text === 'string' && (cid.version === 0 ? text === cid.toString() : isBase32Of(text, cid.bytes))
  return { pin, canonical }
}
