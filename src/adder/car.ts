/**
 * CAR import (`format=car`, spec adder §7): streams the blocks of an uploaded CAR,
 * each verified against its CID, and optionally checks afterwards that the DAG under
 * the root is complete (Go 1.1.6 does not; the check is an opt-in addition).
 */
import { CarBlockIterator } from '@ipld/car/iterator'
import * as dagPb from '@ipld/dag-pb'
import * as dagCbor from '@ipld/dag-cbor'
import { CID } from 'multiformats/cid'
import { identity } from 'multiformats/hashes/identity'
import { sha256, sha512 } from 'multiformats/hashes/sha2'
import { sha1 } from 'multiformats/hashes/sha1'
import { equals } from 'uint8arrays/equals'
import { InvalidArgumentError } from '../interface/errors.js'
import type { AbortOptions } from '../interface/startable.js'
import { IncompleteDagError } from './errors.js'
import type { AddedBlock } from './types.js'

export { IncompleteDagError }

const DAG_PB = 0x70
const RAW = 0x55
const DAG_CBOR = 0x71

/** Hashers a CAR block may use; anything else cannot be verified and is refused. */
const HASHERS = new Map<number, { digest: (bytes: Uint8Array) => Promise<{ digest: Uint8Array }> | { digest: Uint8Array } }>([
  [sha256.code, sha256],
  [sha512.code, sha512],
  [sha1.code, sha1]
])

/** The root of a CAR upload and its blocks. */
export interface CarImport {
  root: CID
  /**
   * The CAR's blocks in file order, each verified (hash recomputed) and decoded.
   * Can be iterated once; rejects with InvalidArgumentError on a corrupt, truncated or
   * unsupported block.
   */
  blocks: AsyncIterable<AddedBlock>
}

/**
 * Reads a CAR header and returns its single root and a stream of its blocks. Only the
 * header is read before this resolves; blocks are read as `blocks` is consumed.
 *
 * @throws InvalidArgumentError when the header is not a valid CAR header or the CAR does
 * not have exactly one root ("only CAR files with a single root are supported").
 */
export async function readCar (content: AsyncIterable<Uint8Array>, options: AbortOptions = {}): Promise<CarImport> {
  options.signal?.throwIfAborted()
  let iterator: CarBlockIterator
  let roots: CID[]
  try {
    iterator = await CarBlockIterator.fromIterable(content)
    roots = await iterator.getRoots()
  } catch (err: any) {
    throw new InvalidArgumentError(`invalid CAR: ${String(err?.message ?? err)}`, { cause: err })
  }
  if (roots.length !== 1) {
    throw new InvalidArgumentError('only CAR files with a single root are supported')
  }
  const root = roots[0]

  async function * blocks (): AsyncGenerator<AddedBlock> {
    const it = iterator[Symbol.asyncIterator]()
    while (true) {
      options.signal?.throwIfAborted()
      let result: IteratorResult<{ cid: CID, bytes: Uint8Array }>
      try {
        result = await it.next()
      } catch (err: any) {
        throw new InvalidArgumentError(`invalid CAR: ${String(err?.message ?? err)}`, { cause: err })
      }
      if (result.done === true) return
      const cid = CID.asCID(result.value.cid) ?? result.value.cid
      const bytes = result.value.bytes
      await verifyBlock(cid, bytes)
      decodeLinks(cid, bytes) // as Go's ipldlegacy.DecodeNode: a block that does not decode is refused
      yield { cid, bytes }
    }
  }

  return { root, blocks: blocks() }
}

/**
 * Checks that `bytes` hash to `cid`'s multihash.
 *
 * @throws InvalidArgumentError when they do not, or the hash function is not supported.
 */
export async function verifyBlock (cid: CID, bytes: Uint8Array): Promise<void> {
  const code = cid.multihash.code
  let digest: Uint8Array
  if (code === identity.code) {
    digest = bytes
  } else {
    const hasher = HASHERS.get(code)
    if (hasher == null) {
      throw new InvalidArgumentError(`cannot verify block ${cid.toString()}: unsupported hash function 0x${code.toString(16)}`)
    }
    digest = (await hasher.digest(bytes)).digest
  }
  if (!equals(digest, cid.multihash.digest)) {
    throw new InvalidArgumentError(`block ${cid.toString()} does not match its CID (corrupt CAR block)`)
  }
}

/**
 * The CIDs a block links to: dag-pb links, every CID inside a dag-cbor value, none for raw.
 *
 * @throws InvalidArgumentError when the codec is not dag-pb, raw or dag-cbor, or the
 * block does not decode.
 */
export function decodeLinks (cid: CID, bytes: Uint8Array): CID[] {
  try {
    switch (cid.code) {
      case RAW:
        return []
      case DAG_PB:
        return dagPb.decode(bytes).Links.map((l) => l.Hash)
      case DAG_CBOR: {
        const links: CID[] = []
        collectCids(dagCbor.decode(bytes), links)
        return links
      }
    }
  } catch (err: any) {
    throw new InvalidArgumentError(`block ${cid.toString()} cannot be decoded: ${String(err?.message ?? err)}`, { cause: err })
  }
  throw new InvalidArgumentError(`block ${cid.toString()} has unsupported codec 0x${cid.code.toString(16)}: only dag-pb, raw and dag-cbor are supported`)
}

function collectCids (value: unknown, out: CID[]): void {
  if (value == null || typeof value !== 'object' || value instanceof Uint8Array) return
  const cid = CID.asCID(value)
  if (cid != null) {
    out.push(cid)
    return
  }
  for (const v of Array.isArray(value) ? value : Object.values(value)) collectCids(v, out)
}

/**
 * Fetches a block's bytes from wherever the import stored them; `undefined` when the
 * block is not there.
 */
export type GetBlock = (cid: CID, options: AbortOptions) => Promise<Uint8Array | undefined>

/**
 * Walks the DAG from `root` depth-first (links in order), reading each block once with
 * `getBlock`. Identity-hashed CIDs carry their bytes and are never fetched.
 *
 * @throws IncompleteDagError for the first block `getBlock` does not have.
 * @throws InvalidArgumentError when a block has an unsupported codec or does not decode.
 */
export async function checkDagComplete (root: CID, getBlock: GetBlock, options: AbortOptions = {}): Promise<void> {
  const seen = new Set<string>()
  const stack: CID[] = [root]
  while (stack.length > 0) {
    options.signal?.throwIfAborted()
    const cid = stack.pop() as CID
    const key = cid.toString()
    if (seen.has(key)) continue
    seen.add(key)
    const bytes = cid.multihash.code === identity.code ? cid.multihash.digest : await getBlock(cid, options)
    if (bytes == null) throw new IncompleteDagError(cid, root)
    const links = decodeLinks(cid, bytes)
    for (let i = links.length - 1; i >= 0; i--) stack.push(links[i])
  }
}
