/** Encoding of the UnixFS nodes the importer builds, with the add's CID prefix. */
import * as dagPb from '@ipld/dag-pb'
import { UnixFS } from 'ipfs-unixfs'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
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
