/**
 * The listing of Helia's pin roots used by `pinLs`, read in pages straight from the
 * datastore's LevelDB (`/pin/<CIDv1 base36>` → CBOR `{ depth, metadata }`, Helia 7
 * `PinsImpl` layout). Same results as `helia.pins.ls()` followed by `originalCid`.
 *
 * Why: `pinLs` lists every pin on each tracker `statusAll` and numpin metric. Through
 * `helia.pins.ls()` each pin cost ~10 µs: a `Key` object and an async iterator step
 * per entry, a base36 CID parse (base-x is quadratic, ~3 µs for a sha2-256 CID), a
 * second parse of the original CID text, and two string caches (WeakMap entries) the
 * listing never reads. Here a page of 1000 entries is one native call (the next one
 * read ahead), records are read from their UTF-8 text (see below), base36 and base58
 * are decoded in 7-digit chunks, the original CID text is checked against the key's
 * bytes (base32, linear), and CIDs are built without re-encoding their bytes.
 */
import * as cborg from 'cborg'
import { base36 } from 'multiformats/bases/base36'
import { CID } from 'multiformats/cid'
import { Digest } from 'multiformats/hashes/digest'
import { equals as uint8ArrayEquals } from 'uint8arrays/equals'
import { cidFromBytes } from '../../api/common/cid.js'
import { baseXDecoder, isBase32Of } from '../../api/common/codec.js'
import { originalCid } from './helpers.js'
import type { LevelDatastore } from 'datastore-level'

const PIN_PREFIX = '/pin/'
/** Entries per native read: bounds memory while listing. */
const PAGE = 1000
// classic-level stops a read at 16 KiB by default (~200 records); let a page fill up
const PAGE_BYTES = 1024 * 1024
const SHA2_256 = 0x12

/** One pin root: the CID it was pinned with and its Helia depth (Infinity: recursive). */
export interface ListedPin {
  cid: CID
  depth: number
}

const decodeBase36 = baseXDecoder('0123456789abcdefghijklmnopqrstuvwxyz')
const decodeBase58btc = baseXDecoder('123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz')

/**
 * The CID a pin was made with, from its key text (base36 of the CIDv1) and the
 * `cid` text of its metadata: `originalCid(CID.parse(text, base36), metadata)`, with
 * the usual cases (the metadata names the same CIDv1, or the CIDv0 of its multihash)
 * decided without parsing the metadata text. `metadata` is only read otherwise.
 */
export function rootCid (text: string, metaCid: unknown, metadata: () => Record<string, unknown>): CID {
  const bytes = text[0] === base36.prefix ? decodeBase36(text, 1) : undefined
  if (bytes == null) return originalCid(CID.parse(text, base36), metadata())
  const stored = cidFromBytes(bytes)
  if (typeof metaCid !== 'string') return stored
  if (stored.version === 1 && isBase32Of(metaCid, bytes)) return stored
  const mh = stored.multihash
  if (metaCid.length === 46 && metaCid.startsWith('Qm') && mh.code === SHA2_256 && mh.size === 32) {
    const v0 = decodeBase58btc(metaCid, 0)
    if (v0 != null && uint8ArrayEquals(v0, mh.bytes)) return CID.createV0(mh as Digest<typeof SHA2_256, 32>)
  }
  return originalCid(stored, metadata())
}

// --- the common pin record, read from its UTF-8 decoding ---
//
// LevelDB hands a value over as bytes only by creating a Buffer for it, which cost
// as much as the rest of a listing; as UTF-8 text it costs little. The decoding is
// lossy (each of the three non-ASCII bytes of a record becomes U+FFFD), so only the
// exact text of Helia's record `{ depth, metadata: { cid } }` (as cborg encodes it)
// is read this way: the only valid CBOR that decodes to that text has the expected
// bytes in those places (a map of 2, the half float Infinity or a small integer, a
// map of 1 or 0). Any other record is read again as bytes and decoded with cborg.

/** What a listing needs of a record: its depth and the text of `metadata.cid`. */
interface RecordHead { depth: number, metaCid: string | undefined }

const R = '\ufffd'
/** `0xa2 "depth"`. */
const HEAD = R + 'edepth'
/** `0xf9 0x7c00` (half float Infinity, a recursive pin). */
const INFINITY = R + '|\u0000'
/** `"metadata"`. */
const METADATA = 'hmetadata'
/** `0xa1 "cid"`. */
const CID_KEY = R + 'ccid'

/**
 * The depth and `metadata.cid` of a record from its UTF-8 decoding, when it is one
 * of the forms above with an ASCII `cid` text; undefined otherwise.
 */
export function readRecordText (v: string): RecordHead | undefined {
  if (!v.startsWith(HEAD)) return undefined
  let p = HEAD.length
  let depth: number
  const c = v.charCodeAt(p)
  if (v.startsWith(INFINITY, p)) {
    depth = Infinity
    p += INFINITY.length
  } else if (c < 0x18) {
    depth = c
    p++
  } else {
    return undefined
  }
  if (!v.startsWith(METADATA, p)) return undefined
  p += METADATA.length
  // an empty map: nothing follows its header
  if (p + 1 === v.length && v.charCodeAt(p) === 0xfffd) return { depth, metaCid: undefined }
  if (!v.startsWith(CID_KEY, p)) return undefined
  p += CID_KEY.length
  const h = v.charCodeAt(p)
  let len: number
  if (h >= 0x60 && h < 0x78) {
    len = h - 0x60
    p++
  } else if (h === 0x78) {
    len = v.charCodeAt(p + 1)
    p += 2
  } else {
    return undefined
  }
  if (p + len !== v.length) return undefined
  for (let i = p; i < v.length; i++) if (v.charCodeAt(i) > 0x7f) return undefined
  return { depth, metaCid: v.slice(p) }
}

/** A record decoded as Helia decodes it (cborg defaults). */
function fullRecord (value: Uint8Array): { depth: number, metadata?: Record<string, unknown> } {
  return cborg.decode(value)
}

/**
 * Helia's pin roots in key order, a page at a time; the iterator closes when the
 * caller stops. The next page is requested before this one is handed out: LevelDB
 * reads it on its thread while the caller works on this one.
 */
export async function * pinRootPages (db: LevelDatastore['db'], signal?: AbortSignal): AsyncGenerator<ListedPin[]> {
  const it = db.iterator<string, string>({ gte: PIN_PREFIX, lt: PIN_PREFIX + '\xff', highWaterMarkBytes: PAGE_BYTES, valueEncoding: 'utf8' })
  const toListedPin = ([key, value]: [string, string]): ListedPin => {
    const text = key.substring(PIN_PREFIX.length)
    const head = readRecordText(value)
    if (head != null) {
      return { cid: rootCid(text, head.metaCid, () => recordBytes(db, key).metadata ?? {}), depth: head.depth }
    }
    const record = recordBytes(db, key)
    return { cid: rootCid(text, record.metadata?.cid, () => record.metadata ?? {}), depth: record.depth }
  }
  let next: Promise<Array<[string, string]>> | undefined
  try {
    signal?.throwIfAborted()
    next = it.nextv(PAGE)
    while (true) {
      const entries = await next
      next = undefined
      if (entries.length === 0) return
      signal?.throwIfAborted()
      next = it.nextv(PAGE)
      yield entries.map(toListedPin)
    }
  } finally {
    // a caller that stops early leaves a read in flight: let it end before closing
    await next?.catch(() => {})
    await it.close()
  }
}

/** A record read again as bytes (the rare records of another form), decoded as Helia does. */
function recordBytes (db: LevelDatastore['db'], key: string): { depth: number, metadata?: Record<string, unknown> } {
  const value = db.getSync(key, { valueEncoding: 'view' })
  // gone since the page was read: Helia's ls would not have listed it either way
  if (value == null) return { depth: Infinity, metadata: {} }
  return fullRecord(value)
}
