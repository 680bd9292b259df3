/**
 * Query parsing of an add (spec adder §2, rest-api §9.2): Go `api.AddParamsFromQuery`,
 * plus the CID-version and hash checks Go makes when the adder starts, so that a bad
 * value is refused before any byte of the body is read.
 */
import { InvalidArgumentError } from '../../interface/errors.js'
import { parsePinOptions } from '../rest/query.js'
import type { ImportOptions } from '../../adder/types.js'
import type { PinOptions } from '../../interface/types.js'

/** The parsed parameters of `POST /add` (Go `api.AddParams`). */
export interface AddParams {
  /** The pin options of the final cluster pin; `mode` is always recursive and `pinUpdate` undefined. */
  pinOptions: PinOptions
  /** How the UnixFS importer builds the DAG. */
  importOptions: ImportOptions
  /** Put every block on the contacted peer's IPFS only. @default false */
  local: boolean
  /** Put the blocks but do not create the cluster pin. @default false */
  noPin: boolean
  /** `''` in the query means `unixfs`. @default 'unixfs' */
  format: 'unixfs' | 'car'
  /** `false`: buffer outputs and answer one JSON array. @default true */
  streamChannels: boolean
  /** Use the sharding DAG service. @default false */
  shard: boolean
  /** Bytes per shard; equal to `pinOptions.shardSize`. 0 when the query omits `shard-size`. */
  shardSize: number
  /** Accepted for compatibility; client-side meaning only. @default false */
  recursive: boolean
  /** Accepted for compatibility; client-side meaning only. @default false */
  hidden: boolean
  /** Filestore references; accepted, not meaningful for cluster adds. @default false */
  noCopy: boolean
  /**
   * `check-dag` (our extension, not in Go 1.1.6): with `format=car`, check that every block
   * under the root is in the local blockstore before pinning, and fail otherwise.
   * @default false
   */
  checkDag: boolean
}

/** Go `DefaultAddParams().Chunker`. */
export const DEFAULT_CHUNKER = 'size-262144'
/** Go `DefaultAddParams().HashFun`. */
export const DEFAULT_HASH_FUN = 'sha2-256'

/**
 * Names of go-multihash's `Names` table (the importer decides which it can compute).
 * blake2b-8…512 and blake2s-8…256 are added below, as go-multihash's `init`.
 */
const MULTIHASH_NAMES: ReadonlySet<string> = (() => {
  const names = [
    'identity', 'sha1', 'sha2-256', 'sha2-512', 'sha3', 'sha3-224', 'sha3-256', 'sha3-384', 'sha3-512',
    'dbl-sha2-256', 'murmur3-x64-64', 'keccak-224', 'keccak-256', 'keccak-384', 'keccak-512', 'blake3',
    'shake-128', 'shake-256', 'sha2-256-trunc254-padded', 'x11', 'md5', 'poseidon-bls12_381-a2-fc1'
  ]
  for (let bits = 8; bits <= 512; bits += 8) names.push(`blake2b-${bits}`)
  for (let bits = 8; bits <= 256; bits += 8) names.push(`blake2s-${bits}`)
  return new Set(names)
})()

/** True when `name` (any case) is a multihash function name go-multihash knows. */
export function isKnownHashName (name: string): boolean {
  return MULTIHASH_NAMES.has(name.toLowerCase())
}

/**
 * Parses the `/add` query. Absent or empty parameters keep their defaults (spec adder §2).
 *
 * @throws InvalidArgumentError with the reference's message: a bad pin option (rest-api §9.1),
 * "layout parameter is invalid", "format parameter is invalid", "parameter <name> invalid"
 * for a bad boolean or integer, "bad CID Version: unknown CID version: <n>",
 * "hash function name not known".
 */
export function parseAddParams (query: URLSearchParams): AddParams {
  let pinOptions: PinOptions
  try {
    pinOptions = parsePinOptions(query)
  } catch (err: any) {
    throw new InvalidArgumentError(err.message, { cause: err })
  }
  // as AddParamsFromQuery: an add never updates a pin; the DAG services pin recursively
  pinOptions.pinUpdate = undefined
  pinOptions.mode = 'recursive'

  const layout = query.get('layout') ?? ''
  if (layout !== '' && layout !== 'balanced' && layout !== 'trickle') {
    throw new InvalidArgumentError('layout parameter is invalid')
  }
  const chunker = nonEmpty(query, 'chunker') ?? DEFAULT_CHUNKER
  const hashFun = nonEmpty(query, 'hash') ?? DEFAULT_HASH_FUN

  const format = query.get('format') ?? ''
  if (format !== '' && format !== 'unixfs' && format !== 'car') {
    throw new InvalidArgumentError('format parameter is invalid')
  }

  // the order of the checks is Go's, so the first error reported is the same
  const local = boolParam(query, 'local', false)
  const recursive = boolParam(query, 'recursive', false)
  const hidden = boolParam(query, 'hidden', false)
  const wrap = boolParam(query, 'wrap-with-directory', false)
  const shard = boolParam(query, 'shard', false)
  const progress = boolParam(query, 'progress', false)
  const cidVersion = intParam(query, 'cid-version', 0)
  // mimics Kubo: CIDv1 implies raw leaves unless raw-leaves is given
  const rawLeaves = boolParam(query, 'raw-leaves', cidVersion > 0)
  const streamChannels = boolParam(query, 'stream-channels', true)
  const noCopy = boolParam(query, 'nocopy', false)
  const noPin = boolParam(query, 'no-pin', false)
  const checkDag = boolParam(query, 'check-dag', false)

  // as adder.New (Go checks these when the add starts)
  if (cidVersion !== 0 && cidVersion !== 1) {
    throw new InvalidArgumentError(`bad CID Version: unknown CID version: ${cidVersion}`)
  }
  if (!isKnownHashName(hashFun)) {
    throw new InvalidArgumentError('hash function name not known')
  }

  return {
    pinOptions,
    importOptions: {
      chunker,
      layout: layout === 'trickle' ? 'trickle' : 'balanced',
      cidVersion: cidVersion === 1 ? 1 : 0,
      rawLeaves,
      hashFun: hashFun.toLowerCase(),
      wrap,
      progress
    },
    local,
    noPin,
    format: format === 'car' ? 'car' : 'unixfs',
    streamChannels,
    shard,
    shardSize: pinOptions.shardSize,
    recursive,
    hidden,
    noCopy,
    checkDag
  }
}

/** Go `url.Values.Get` treating `''` as absent. */
function nonEmpty (query: URLSearchParams, name: string): string | undefined {
  const v = query.get(name)
  return v == null || v === '' ? undefined : v
}

/** Go `parseBoolParam` with `strconv.ParseBool`. */
function boolParam (query: URLSearchParams, name: string, def: boolean): boolean {
  const v = nonEmpty(query, name)
  if (v == null) return def
  switch (v) {
    case '1': case 't': case 'T': case 'TRUE': case 'true': case 'True':
      return true
    case '0': case 'f': case 'F': case 'FALSE': case 'false': case 'False':
      return false
    default:
      throw new InvalidArgumentError(`parameter ${name} invalid`)
  }
}

const INT64_MIN = -(2n ** 63n)
const INT64_MAX = 2n ** 63n - 1n

/** Go `parseIntParam` with `strconv.Atoi` (64-bit). */
function intParam (query: URLSearchParams, name: string, def: number): number {
  const v = nonEmpty(query, name)
  if (v == null) return def
  if (!/^[+-]?\d+$/.test(v)) throw new InvalidArgumentError(`parameter ${name} invalid`)
  const n = BigInt(v)
  if (n < INT64_MIN || n > INT64_MAX) throw new InvalidArgumentError(`parameter ${name} invalid`)
  return Number(n)
}
