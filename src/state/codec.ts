/**
 * The stored form of a pin: a one-character type tag followed by the pin's REST
 * JSON in its "stored" form (second-precision times, `user_allocations` null), so
 * listings can stream the JSON without decoding it. Keys are the CID bytes.
 */
import { CID } from 'multiformats/cid'
import { pinFromJson, pinToJson } from '../api/common/codec.js'
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

/**
 * A decoder that hands back bytes already known: with `CID.parse` it builds the CID
 * from its key while caching the stored text as its string form, skipping base58
 * or base32 decoding (the costly part of parsing).
 */
function knownBytes (bytes: Uint8Array): any {
  return { decode: () => bytes }
}

/**
 * The CID of a stored entry, from its key bytes and its canonical text (as written
 * by `cid.toString()`); `toString()` on the result costs nothing.
 */
export function cidFromKey (key: Uint8Array, text: unknown): CID {
  if (typeof text === 'string' && text !== '') {
    try {
      return CID.parse(text, knownBytes(key))
    } catch {
      // fall through: the text is not a CID string; the bytes decide
    }
  }
  return CID.decode(key)
}

/** Decodes a stored value into a Pin. Throws StateDecodeError. */
export function decodeStoredPin (value: string, key?: Uint8Array): Pin {
  let j: Record<string, unknown>
  try {
    j = JSON.parse(storedJson(value))
  } catch (err: any) {
    throw new StateDecodeError(`invalid stored pin: ${String(err.message)}`, { cause: err })
  }
  if (key == null) {
    try {
      return pinFromJson(j)
    } catch (err: any) {
      throw new StateDecodeError(`invalid stored pin: ${String(err.message)}`, { cause: err })
    }
  }
  // the CID is taken from the key (cheap, see cidFromKey); pinFromJson decodes the
  // rest, so its own CID parsing is given a placeholder
  const cid = cidFromKey(key, j.cid)
  const pin = pinFromJson({ ...j, cid: PLACEHOLDER })
  pin.cid = cid
  return pin
}

// an identity CID (bafkqaaa: empty inline data) decodes in well under a microsecond
const PLACEHOLDER = 'bafkqaaa'
