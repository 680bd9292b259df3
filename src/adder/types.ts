/**
 * The adder's contract (spec adder.md): what an upload is made of, where the blocks the
 * importer builds go, and what it reports. The multipart reader and the CAR reader
 * produce `AddEntry`s; the UnixFS importer consumes them and writes blocks to a
 * `BlockSink`: the local IPFS node now, the allocated peers' nodes later (spec §5), so
 * that the destination of blocks is this one seam.
 */
import type { AbortOptions } from '../interface/startable.js'
import type { CID } from 'multiformats/cid'

/**
 * One entry of an upload, in upload order. `path` is relative and '/'-separated
 * (`dir/sub/file.txt`), already validated: no empty, `.` or `..` segments, no leading '/'.
 * A file's parent directories come before it (as Kubo's multipart encoding sends them).
 */
export type AddEntry =
  | { type: 'file', path: string, content: AsyncIterable<Uint8Array> }
  | { type: 'directory', path: string }
  | { type: 'symlink', path: string, target: string }

/** A block built by the importer (or read from a CAR): its bytes are verified against `cid`. */
export interface AddedBlock {
  cid: CID
  bytes: Uint8Array
}

/** Where an add's blocks go (Go: the DAG service's `Add`, spec §5.2). */
export interface BlockSink {
  /** Accepts one block; resolves when it may send the next (back-pressure). */
  put: (block: AddedBlock, options?: AbortOptions) => Promise<void>
  /** Peers the blocks go to so far (empty before the first block: allocation is lazy). */
  allocations: () => string[]
}

/** Go `api.AddedOutput` (spec §4.1): JSON omits `bytes`/`size` when 0 and `allocations` when empty. */
export interface AddedOutput {
  name: string
  cid?: CID
  bytes?: number
  size?: number
  allocations?: string[]
}

/** The import options of AddParams (spec §2) the UnixFS importer uses. */
export interface ImportOptions {
  /** Kubo chunker syntax: `size-<n>`, `rabin`, `rabin-<avg>`, `rabin-<min>-<avg>-<max>`, `buzhash`. @default 'size-262144' */
  chunker: string
  /** @default 'balanced' */
  layout: 'balanced' | 'trickle'
  /** @default 0 */
  cidVersion: 0 | 1
  /** @default false (true when cidVersion is 1 and raw-leaves was not given) */
  rawLeaves: boolean
  /** Multihash function name, e.g. `sha2-256` (default), `sha2-512`, `blake2b-256`. */
  hashFun: string
  /** Wrap the whole upload in an unnamed directory. @default false */
  wrap: boolean
  /** Emit byte-progress events (spec §4.1). @default false */
  progress: boolean
}
