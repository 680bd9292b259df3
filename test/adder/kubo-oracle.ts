/**
 * Test helper: an independent oracle for Kubo's `ipfs add` CIDs, made of
 * `ipfs-unixfs-importer` configured as boxo's importer (256 KiB fixed chunks or `size-<n>`,
 * 174 links per node, trickle with 4 repeats per depth and `TRaw` leaves under a root node,
 * dag-pb directories with sorted links). It cannot choose the hash: sha2-256 only.
 */
import assert from 'node:assert/strict'
import { importer } from 'ipfs-unixfs-importer'
import { fixedSize } from 'ipfs-unixfs-importer/chunker'
import { balanced, trickle } from 'ipfs-unixfs-importer/layout'
import type { ImportOptions } from '../../src/adder/types.js'
import type { ImportCandidate, ImporterOptions } from 'ipfs-unixfs-importer'

export const DEFAULTS: ImportOptions = { chunker: 'size-262144', layout: 'balanced', cidVersion: 0, rawLeaves: false, hashFun: 'sha2-256', wrap: false, progress: false }

const KIB = 1024

/** Deterministic bytes (xorshift32), the generator of the ipfs_cid fixtures. */
export function det (n: number, seed = 0x9e3779b9): Uint8Array {
  const b = new Uint8Array(n)
  let x = seed
  for (let i = 0; i < n; i++) {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    b[i] = x & 0xff
  }
  return b
}

export async function * pieces (data: Uint8Array, size = 65536): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < data.length; i += size) {
    yield data.subarray(i, i + size)
  }
}

/** One upload, in the order Kubo's multipart encoding sends it (parents first, names sorted). */
export type Item = { type: 'file', path: string, data: Uint8Array } | { type: 'directory', path: string }

/** ipfs-unixfs-importer set up as Kubo's `ipfs add` with the same flags. */
export function oracleOptions (opts: Partial<ImportOptions>): ImporterOptions {
  const o = { ...DEFAULTS, ...opts }
  const chunkSize = Number(o.chunker.slice('size-'.length))
  return {
    cidVersion: o.cidVersion,
    rawLeaves: o.rawLeaves,
    chunker: fixedSize({ chunkSize }),
    layout: o.layout === 'trickle' ? trickle({ maxChildrenPerNode: 174, layerRepeat: 4 }) : balanced({ maxChildrenPerNode: 174 }),
    // boxo's trickle fills nodes with `TRaw` leaves and always makes a root node
    ...(o.layout === 'trickle' ? { leafType: 'raw', reduceSingleLeafToSelf: false } : { leafType: 'file', reduceSingleLeafToSelf: true }),
    wrapWithDirectory: o.wrap,
    // boxo `HAMTShardingSize` counts link names and CID bytes
    shardSplitStrategy: 'links-bytes',
    shardSplitThresholdBytes: 256 * KIB,
    fieldOrder: 'links-first'
  }
}

export async function oracle (items: Item[], opts: Partial<ImportOptions>): Promise<string> {
  const candidates: ImportCandidate[] = items.map((i) => i.type === 'file' ? { path: i.path, content: pieces(i.data) } : { path: i.path })
  const blockstore = { put: async (cid: any) => cid }
  let root: string | undefined
  // the last entry is the root: the file itself, the top directory or the wrapper
  for await (const entry of importer(candidates, blockstore, oracleOptions(opts))) {
    root = entry.cid.toString()
  }
  assert.ok(root != null)
  return root
}
