/**
 * Direct access to Helia's pin bookkeeping in its datastore (Helia 7 `PinsImpl`
 * layout: `/pin/<CIDv1 base36>` → CBOR `{ depth, metadata }`, and
 * `/pinned-block/<multihash base36>` → CBOR `{ pinCount, pinnedBy }`).
 *
 * Why: the pin path asks "is this CID pinned, at which depth?" for every pin and
 * every status. Helia answers through asynchronous LevelDB reads, each a thread-pool
 * round trip that costs the event loop ~20 µs; a synchronous point read costs a few.
 * And inline (identity) CIDs carry their data in the CID: Helia would still write a
 * pinned-block record for them, which protects nothing (no block is ever stored).
 */
import * as cborg from 'cborg'
import * as raw from 'multiformats/codecs/raw'
import { equals as uint8ArrayEquals } from 'uint8arrays/equals'
import { GroupWriter } from '../../util/group-writer.js'
import { base36Capacity, base36Text, writeBase36 } from './base36.js'
import type { GroupWriterTarget } from '../../util/group-writer.js'
import type { LevelDatastore } from 'datastore-level'
import type { CID } from 'multiformats/cid'

const PIN_PREFIX = '/pin/'
const PIN_KEY_PREFIX = new TextEncoder().encode(PIN_PREFIX + 'k')
// read options that make classic-level take a byte key as it is (no transcoding, no copy)
const BYTE_KEY = { keyEncoding: 'view', valueEncoding: 'view' } as const
// Helia's CBOR record of a root pin starts with `{ "depth": ` (keys sorted as cborg does)
const DEPTH_HEAD = Uint8Array.of(0xa2, 0x65, ...new TextEncoder().encode('depth'))
const BLOCK_PREFIX = '/pinned-block/'
const IDENTITY = 0x00

/** Helia's record of a pin root. */
export interface PinRecord {
  depth: number
  metadata: Record<string, unknown>
}

/** Helia's datastore key of a pin root (`toDSKey`: v0 CIDs are keyed as v1). */
export function pinKey (cid: CID): string {
  return PIN_PREFIX + base36Text((cid.version === 0 ? cid.toV1() : cid).bytes)
}

/** Helia's datastore key of a block's pin count. */
export function pinnedBlockKey (cid: CID): string {
  return BLOCK_PREFIX + base36Text(cid.multihash.bytes)
}

/**
 * True for a raw-codec CID with an identity multihash: its whole content is inside
 * the CID and it has no links, so pinning it needs no block and no walk.
 */
export function isInlineLeaf (cid: CID): boolean {
  return cid.multihash.code === IDENTITY && cid.code === raw.code
}

/** Reads and writes Helia's pin records in its LevelDB datastore. */
export class PinRecords {
  private readonly db: LevelDatastore['db']
  private readonly writer: GroupWriter<string, Uint8Array>
  /** `/pin/k` then the base36 digits of the CID being looked up. */
  private keyBuf = new Uint8Array(128)

  constructor (db: LevelDatastore['db']) {
    this.db = db
    this.writer = new GroupWriter<string, Uint8Array>(() => db as unknown as GroupWriterTarget<string, Uint8Array>)
    this.keyBuf.set(PIN_KEY_PREFIX)
  }

  /** The pin record of `cid` as a root, or undefined (a synchronous point read). */
  get (cid: CID): PinRecord | undefined {
    const bytes = this.db.getSync(pinKey(cid))
    return bytes == null ? undefined : cborg.decode(bytes) as PinRecord
  }

  /**
   * The root pin type of each CID ('recursive' for any depth but 0, 'direct' or
   * 'unpinned'): a synchronous point read each, keyed by bytes written into one
   * buffer, and the depth read from the record's head when it has Helia's layout.
   * A status listing calls this for every item: it allocates almost nothing.
   */
  rootTypes (cids: CID[]): Array<'recursive' | 'direct' | 'unpinned'> {
    return cids.map((cid) => {
      const bytes = (cid.version === 0 ? cid.toV1() : cid).bytes
      const size = PIN_KEY_PREFIX.length + base36Capacity(bytes)
      if (size > this.keyBuf.length) {
        this.keyBuf = new Uint8Array(size * 2)
        this.keyBuf.set(PIN_KEY_PREFIX)
      }
      const end = writeBase36(bytes, this.keyBuf, PIN_KEY_PREFIX.length)
      const value = this.db.getSync<Uint8Array, Uint8Array>(this.keyBuf.subarray(0, end), BYTE_KEY)
      if (value == null) return 'unpinned'
      const depthAt = DEPTH_HEAD.length
      if (value.length > depthAt && DEPTH_HEAD.every((b, i) => value[i] === b)) {
        return value[depthAt] === 0 ? 'direct' : 'recursive'
      }
      return (cborg.decode(value) as PinRecord).depth === 0 ? 'direct' : 'recursive'
    })
  }

  /** True when Helia counts `cid` as a block of some pinned DAG (an indirect pin). */
  isPinnedBlock (cid: CID): boolean {
    return this.db.getSync(pinnedBlockKey(cid)) != null
  }

  /** True when Helia's count of `cid`'s block names the pin root `root`. */
  blockPinnedBy (cid: CID, root: CID): boolean {
    const bytes = this.db.getSync(pinnedBlockKey(cid))
    if (bytes == null) return false
    const rec = cborg.decode(bytes) as { pinnedBy?: Uint8Array[] }
    return (rec.pinnedBy ?? []).some((b) => uint8ArrayEquals(b, root.bytes))
  }

  /** Writes the pin record of `cid` (encoded as Helia does, so `pins.ls/get` read it). */
  async put (cid: CID, record: PinRecord): Promise<void> {
    await this.writer.put(pinKey(cid), cborg.encode(record))
  }

  /** Deletes the pin record of `cid`. */
  async delete (cid: CID): Promise<void> {
    await this.writer.del(pinKey(cid))
  }

  /** Resolves once every accepted write is stored. */
  async idle (): Promise<void> {
    await this.writer.idle()
  }
}
