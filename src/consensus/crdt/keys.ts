/**
 * Identifiers and database keys of the CRDT store.
 *
 * - A block id is Go's datastore key of the block's multihash: `/` + base32 (RFC 4648,
 *   upper case, no padding) of the multihash bytes (go-ds-crdt uses it as element id).
 * - A pin's key is `/` + base32 of the CID bytes: the key the Go state hands to
 *   go-ds-crdt (spec consensus §2.3), so deltas name pins as the reference does.
 * - Database keys are one letter followed by ids/keys, which all start with `/`, so a
 *   prefix `x/` … `x0` (`0` follows `/`) bounds every range.
 */
import * as dagPb from '@ipld/dag-pb'
import { CID } from 'multiformats/cid'
import { base32upper } from 'multiformats/bases/base32'
import { decode as decodeDigest } from 'multiformats/hashes/digest'

const KEY_RE = /^\/[A-Z2-7]+$/

/** The id of a block (`/<BASE32 multihash>`). */
export function blockId (cid: CID): string {
  return '/' + base32upper.baseEncode(cid.multihash.bytes)
}

/** The CID (v1 dag-pb) of a block id. Throws on a malformed id. */
export function cidOfBlockId (id: string): CID {
  return CID.createV1(dagPb.code, decodeDigest(base32upper.baseDecode(id.slice(1))))
}

/** The CRDT key of a pin's CID. */
export function pinKey (cid: CID): string {
  return '/' + base32upper.baseEncode(cid.bytes)
}

/** The CID bytes named by a CRDT key. Throws on a malformed key. */
export function cidBytesOfKey (key: string): Uint8Array {
  return base32upper.baseDecode(key.slice(1))
}

/** True for keys and ids of the `/<BASE32>` form (anything else is ignored on merge). */
export function isValidKey (key: string): boolean {
  return KEY_RE.test(key)
}

/** Database keys. */
export const DB = {
  version: 'v',
  dirty: 'd',
  head: (id: string) => 'h' + id,
  block: (id: string) => 'b' + id,
  processed: (id: string) => 'p' + id,
  /** The block has a processed successor: it can never be a head again. */
  nonHead: (id: string) => 'n' + id,
  /** An announced root not yet fully processed (value: announcer peer id). */
  pending: (id: string) => 'q' + id,
  /** The live elements of a key, winner first. */
  record: (key: string) => 'k' + key,
  /** A tombstone that arrived before its element (`t<key><id>`). */
  tomb: (key: string, id: string) => 't' + key + id,
  /** Block `id` is named by an early tombstone. */
  early: (id: string) => 'e' + id,
  journal: (seq: number) => 'j' + seq.toString().padStart(16, '0')
} as const

/** The `gte`/`lt` bounds of every key under one letter prefix. */
export function range (letter: string): { gte: string, lt: string } {
  return { gte: letter + '/', lt: letter + '0' }
}

/** Journal keys: `j` + 16 digits. */
export const JOURNAL_RANGE = { gte: 'j0', lt: 'j:' }
