/** Encoding of the UnixFS nodes the importer builds, with the add's CID prefix. */
import * as dagPb from '@ipld/dag-pb'
import { UnixFS } from 'ipfs-unixfs'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { uninitialized } from './reader.js'
import type { AddedBlock } from '../types.js'
import type { MultihashHasher } from 'multiformats/hashes/interface'

/** A node placed in the DAG: its CID and cumulative DAG size (go-ipld-format `Node.Size()`). */
export interface DagNode {
  cid: CID
  /** Encoded size of the node plus the Tsize of all its links. */
  size: number
}

/** A file (sub)DAG root: also the number of file bytes under it. */
export interface FileNode extends DagNode {
  fileSize: number
}

/** The CID prefix of an add (Go: `merkledag.PrefixForCidVersion` + the chosen multihash). */
export interface Prefix {
  cidVersion: 0 | 1
  hasher: MultihashHasher
}

/** Writes one block out (dedupe and back-pressure are the writer's). */
export type PutBlock = (block: AddedBlock) => Promise<void>

/** Hashes and emits a dag-pb node; returns its CID and cumulative size. */
export async function putPb (prefix: Prefix, put: PutBlock, data: Uint8Array, links: dagPb.PBLink[]): Promise<DagNode> {
  const bytes = dagPb.encode({ Data: data, Links: links })
  const digest = await prefix.hasher.digest(bytes)
  const cid = prefix.cidVersion === 0 ? CID.createV0(digest as any) : CID.createV1(dagPb.code, digest)
  await put({ cid, bytes })
  let size = bytes.length
  for (const l of links) {
    size += l.Tsize ?? 0
  }
  return { cid, size }
}

/** Hashes and emits a raw leaf; raw blocks are always CIDv1 (go-cid `Prefix.WithCodec`). */
export async function putRaw (prefix: Prefix, put: PutBlock, data: Uint8Array): Promise<DagNode> {
  const digest = await prefix.hasher.digest(data)
  const cid = CID.createV1(raw.code, digest)
  await put({ cid, bytes: data })
  return { cid, size: data.length }
}

/** Bytes of `n` as a protobuf varint. */
function varintLength (n: number): number {
  let len = 1
  while (n >= 0x80) {
    n = Math.floor(n / 128)
    len++
  }
  return len
}

function writeVarint (buf: Uint8Array, pos: number, n: number): number {
  while (n >= 0x80) {
    buf[pos++] = (n % 128) | 0x80
    n = Math.floor(n / 128)
  }
  buf[pos++] = n
  return pos
}

/** Bytes a leaf's framing takes before its data: 0x0a, len, 0x08, type, 0x12, len (varints ≤ 5 bytes). */
const FRAME_HEAD = 1 + 5 + 2 + 1 + 5
/** After the data: 0x18 and the file size. */
const FRAME_TAIL = 1 + 5
/** Buffers made by `framedChunk`: only their spare bytes may be written around the chunk. */
const framed = new WeakSet<ArrayBufferLike>()

/**
 * A chunk buffer of `size` bytes (uninitialized) with spare room before and after it, in
 * which `encodeLeaf` writes the leaf's framing: the chunk becomes the leaf without a copy
 * (a 256 KiB allocation and copy less per block of an add).
 */
export function framedChunk (size: number): Uint8Array {
  const b = uninitialized(FRAME_HEAD + size + FRAME_TAIL)
  framed.add(b.buffer)
  return b.subarray(FRAME_HEAD, FRAME_HEAD + size)
}

/**
 * The dag-pb bytes of a file leaf without links, byte for byte what
 * `dagPb.encode({ Data: leafData(type, data), Links: [] })` gives: around the chunk in
 * place when it came from `framedChunk` whole, else with the chunk copied once (not once
 * into the UnixFS message and again into the node).
 */
export function encodeLeaf (type: 'file' | 'raw', data: Uint8Array | undefined): Uint8Array {
  const len = data?.length ?? 0
  // UnixFS: Type (field 1), Data (field 2, when not empty), filesize (field 3)
  const unixfsLen = 2 + (len > 0 ? 1 + varintLength(len) + len : 0) + 1 + varintLength(len)
  const total = 1 + varintLength(unixfsLen) + unixfsLen
  const head = total - unixfsLen + 2 + (len > 0 ? 1 + varintLength(len) : 0)
  let out: Uint8Array
  if (data != null && len > 0 && framed.has(data.buffer) && data.byteOffset === FRAME_HEAD &&
      data.buffer.byteLength === FRAME_HEAD + len + FRAME_TAIL) {
    out = new Uint8Array(data.buffer, FRAME_HEAD - head, total)
  } else {
    out = uninitialized(total)
    if (data != null && len > 0) out.set(data, head)
  }
  out[0] = 0x0a
  let pos = writeVarint(out, 1, unixfsLen)
  out[pos++] = 0x08
  out[pos++] = type === 'raw' ? 0 : 2
  if (len > 0) {
    out[pos++] = 0x12
    pos = writeVarint(out, pos, len) + len
  }
  out[pos++] = 0x18
  writeVarint(out, pos, len)
  return out
}

/** Hashes and emits a dag-pb file leaf (see `encodeLeaf`); returns its CID and size. */
export async function putLeaf (prefix: Prefix, put: PutBlock, type: 'file' | 'raw', data: Uint8Array | undefined): Promise<DagNode> {
  const bytes = encodeLeaf(type, data)
  const digest = await prefix.hasher.digest(bytes)
  const cid = prefix.cidVersion === 0 ? CID.createV0(digest as any) : CID.createV1(dagPb.code, digest)
  await put({ cid, bytes })
  return { cid, size: bytes.length }
}

/** UnixFS `Data` of a file leaf or an empty file (type `file` or `raw`). */
export function leafData (type: 'file' | 'raw', data: Uint8Array | undefined): Uint8Array {
  return new UnixFS({ type, data: data != null && data.length > 0 ? data : undefined }).marshal()
}

/** UnixFS `Data` of an internal file node: one block size per child. */
export function internalData (blockSizes: number[]): Uint8Array {
  return new UnixFS({ type: 'file', blockSizes: blockSizes.map(BigInt) }).marshal()
}

/** UnixFS `Data` of a basic directory. */
export function directoryData (): Uint8Array {
  return new UnixFS({ type: 'directory' }).marshal()
}

/** UnixFS `Data` of a symlink to `target`. */
export function symlinkData (target: string): Uint8Array {
  return new UnixFS({ type: 'symlink', data: new TextEncoder().encode(target) }).marshal()
}
