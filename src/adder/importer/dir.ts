/**
 * The in-memory directory tree of an add (a trimmed boxo `mfs` + `unixfs/io` directory):
 * basic directories that switch to a HAMT shard (fanout 256, murmur3-x64-64) when the sum of
 * their link names and CID byte lengths exceeds 256 KiB (boxo `HAMTShardingSize`, strictly greater).
 */
import { murmur3128 } from '@multiformats/murmur3'
import { createHAMT, Bucket } from 'hamt-sharding'
import { UnixFS } from 'ipfs-unixfs'
import { InvalidUploadError } from './errors.js'
import { directoryData, putPb } from './nodes.js'
import type { DagNode, Prefix, PutBlock } from './nodes.js'
import type { PBLink } from '@ipld/dag-pb'
import type { BucketChild } from 'hamt-sharding'

/** boxo `io.HAMTShardingSize`. */
export const HAMT_SHARDING_SIZE = 256 * 1024
/** boxo `io.DefaultShardWidth`. */
export const HAMT_FANOUT = 256
const MURMUR3_X64_64 = 0x22n

/** A directory of the tree; file and symlink children are already-built nodes. */
export class MfsDir {
  readonly children = new Map<string, MfsDir | DagNode>()
  /** Set once its directory event was emitted: later uploads into the same root skip it (Go uncaches it). */
  outputDone = false
  private flushed: DagNode | undefined

  /** Returns the child directory `name`, creating it (and emitting an empty directory block, as mfs `Mkdir`). */
  async mkdir (name: string, prefix: Prefix, put: PutBlock): Promise<MfsDir> {
    const existing = this.children.get(name)
    if (existing instanceof MfsDir) {
      return existing
    }
    if (existing != null) {
      throw new InvalidUploadError(`cannot create directory ${name}: a file has that name`)
    }
    await putPb(prefix, put, directoryData(), [])
    const dir = new MfsDir()
    this.children.set(name, dir)
    this.flushed = undefined
    return dir
  }

  /** Adds a built node under `name` (mfs `PutNode`). @throws InvalidUploadError when the name is taken */
  addChild (name: string, node: DagNode): void {
    if (this.children.has(name)) {
      throw new InvalidUploadError('directory already has entry by that name')
    }
    this.children.set(name, node)
    this.flushed = undefined
  }

  /** Child directory invalidation goes upwards: callers mark the path they changed. */
  touch (): void {
    this.flushed = undefined
  }

  /** Sorted child names (dag-pb link order: bytewise). */
  names (): string[] {
    return [...this.children.keys()].sort(compareBytes)
  }

  /** Builds (and emits) this directory's node and any changed subdirectories; children first. */
  async flush (prefix: Prefix, put: PutBlock): Promise<DagNode> {
    if (this.flushed != null) {
      return this.flushed
    }
    const entries: Array<{ name: string, node: DagNode }> = []
    for (const name of this.names()) {
      const child = this.children.get(name)
      if (child == null) {
        continue
      }
      const node = child instanceof MfsDir ? await child.flush(prefix, put) : child
      entries.push({ name, node })
    }
    let estimate = 0
    for (const e of entries) {
      estimate += Buffer.byteLength(e.name) + e.node.cid.bytes.length
    }
    this.flushed = estimate > HAMT_SHARDING_SIZE
      ? await flushHamt(entries, prefix, put)
      : await putPb(prefix, put, directoryData(), entries.map((e) => ({ Name: e.name, Tsize: e.node.size, Hash: e.node.cid })))
    return this.flushed
  }
}

function compareBytes (a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b))
}

/** go-hamt's key hash: murmur3-x64-64, as the first 64 bits of murmur3-x64-128, big-endian. */
async function hamtHash (key: Uint8Array): Promise<Uint8Array> {
  const digest = await murmur3128.encode(key)
  return digest.slice(0, 8).reverse()
}

async function flushHamt (entries: Array<{ name: string, node: DagNode }>, prefix: Prefix, put: PutBlock): Promise<DagNode> {
  const bucket = createHAMT<DagNode>({ hashFn: hamtHash, bits: Math.log2(HAMT_FANOUT) })
  for (const e of entries) {
    await bucket.put(e.name, e.node)
  }
  return flushShard(bucket, prefix, put)
}

/** boxo `hamt.Shard.Node`: links named by the 2-hex-digit slot (+ the entry name for values). */
async function flushShard (bucket: Bucket<DagNode>, prefix: Prefix, put: PutBlock): Promise<DagNode> {
  const children = bucket._children
  const pad = (bucket.tableSize() - 1).toString(16).length
  const links: PBLink[] = []
  for (let i = 0; i < children.length; i++) {
    const child = children.get(i)
    if (child == null) {
      continue
    }
    const label = i.toString(16).toUpperCase().padStart(pad, '0')
    if (child instanceof Bucket) {
      const sub = await flushShard(child, prefix, put)
      links.push({ Name: label, Tsize: sub.size, Hash: sub.cid })
    } else {
      const leaf = child as BucketChild<DagNode>
      links.push({ Name: label + leaf.key, Tsize: leaf.value.size, Hash: leaf.value.cid })
    }
  }
  // go-bitfield serializes big-endian; sparse-array's bitField is little-endian
  const data = new UnixFS({
    type: 'hamt-sharded-directory',
    data: Uint8Array.from(children.bitField().reverse()),
    fanout: BigInt(bucket.tableSize()),
    hashType: MURMUR3_X64_64
  }).marshal()
  return putPb(prefix, put, data, links)
}
