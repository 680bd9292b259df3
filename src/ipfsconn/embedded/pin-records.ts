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
import { base36 } from 'multiformats/bases/base36'
import * as raw from 'multiformats/codecs/raw'
import { equals as uint8ArrayEquals } from 'uint8arrays/equals'
import { GroupWriter } from '../../util/group-writer.js'
import type { GroupWriterTarget } from '../../util/group-writer.js'
import type { LevelDatastore } from 'datastore-level'
import type { CID } from 'multiformats/cid'

const PIN_PREFIX = '/pin/'
const BLOCK_PREFIX = '/pinned-block/'
const IDENTITY = 0x00

/** Helia's record of a pin root. */
export interface PinRecord {
  depth: number
  metadata: Record<string, unknown>
}

/** Helia's datastore key of a pin root (`toDSKey`: v0 CIDs are keyed as v1). */
export function pinKey (cid: CID): string {
  return PIN_PREFIX + (cid.version === 0 ? cid.toV1() : cid).toString(base36)
}

/** Helia's datastore key of a block's pin count. */
export function pinnedBlockKey (cid: CID): string {
  return BLOCK_PREFIX + base36.encode(cid.multihash.bytes)
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

  constructor (db: LevelDatastore['db']) {
    this.db = db
    this.writer = new GroupWriter<string, Uint8Array>(() => db as unknown as GroupWriterTarget<string, Uint8Array>)
  }

  /** The pin record of `cid` as a root, or undefined (a synchronous point read). */
  get (cid: CID): PinRecord | undefined {
    const bytes = this.db.getSync(pinKey(cid))
    return bytes == null ? undefined : cborg.decode(bytes) as PinRecord
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
