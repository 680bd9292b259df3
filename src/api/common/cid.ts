/** Parsing and printing of CIDs and peer IDs as the reference does. */
import { CID } from 'multiformats/cid'
import { bases } from 'multiformats/basics'
import { Digest } from 'multiformats/hashes/digest'
import { peerIdFromString } from '@libp2p/peer-id'
import { InvalidArgumentError } from '../../interface/errors.js'

type Decoder = Parameters<typeof CID.parse>[1]
// any multibase is accepted on input (rest-api §1.1)
const multibaseDecoder = (Object.values(bases).map((b) => b.decoder) as any[]).reduce((a, b) => a.or(b)) as Decoder

/** Parses a CID in any multibase (or base58btc CIDv0). Throws a plain Error with the decoder's message. */
export function parseCid (s: string): CID {
  if (s === '') throw new Error('cid too short')
  if (s.length === 46 && s.startsWith('Qm')) return CID.parse(s)
  return CID.parse(s, multibaseDecoder)
}

/** Parses a CID or throws InvalidArgumentError `error decoding Cid: …`. */
export function decodeCidArg (s: string): CID {
  try {
    return parseCid(s)
  } catch (err: any) {
    throw new InvalidArgumentError(`error decoding Cid: ${err.message}`, { cause: err })
  }
}

/** Canonical string: CIDv0 base58btc, CIDv1 base32. */
export function cidString (c: CID): string {
  return c.toString()
}

/** Validates a peer ID string, returning its canonical form. Throws Error. */
export function parsePeerId (s: string): string {
  return peerIdFromString(s).toString()
}

/** True when `s` is a valid peer ID. */
export function isPeerId (s: string): boolean {
  try {
    peerIdFromString(s)
    return true
  } catch {
    return false
  }
}

/** `CID.decode(bytes)` without re-encoding the bytes when every varint is one byte. */
export function cidFromBytes (bytes: Uint8Array): CID {
  if (bytes.length >= 4 && bytes[0] === 1 && bytes[1] < 0x80 && bytes[2] < 0x80 && bytes[3] < 0x80 &&
    bytes.length === 4 + bytes[3]) {
    return new CID(1, bytes[1], new Digest(bytes[2], bytes[3], bytes.subarray(4), bytes.subarray(2)), bytes)
  }
  return CID.decode(bytes)
}
