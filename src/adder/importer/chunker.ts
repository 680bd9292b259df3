/**
 * Kubo's chunker strings (boxo `chunk.FromString`): `size-<n>`, `rabin`, `rabin-<avg>`,
 * `rabin-<min>-<avg>-<max>` (labels `min:`/`avg:`/`max:` allowed), `buzhash`; '' and
 * `default` mean `size-262144`.
 */
import { rabin } from 'ipfs-unixfs-importer/chunker'
import { buzhash } from './buzhash.js'
import { InvalidChunkerError } from './errors.js'
import { framedChunk } from './nodes.js'
import { readFull } from './reader.js'

/** Splits a byte stream into chunks; never yields an empty chunk. */
export type Chunker = (source: AsyncIterable<Uint8Array>) => AsyncIterable<Uint8Array>

/** Kubo's default chunk size. */
export const DEFAULT_CHUNK_SIZE = 262144
/** boxo `ChunkSizeLimit`: 2 MiB block limit minus 256 bytes of framing. */
export const CHUNK_SIZE_LIMIT = 2 * 1024 * 1024 - 256

const ERR_SIZE_MAX = `chunker parameters may not exceed the maximum chunk size of ${CHUNK_SIZE_LIMIT}`

/** Go `strconv.Atoi` for the decimal strings a chunker holds. */
function atoi (s: string): number {
  if (!/^[+-]?\d+$/.test(s)) {
    throw new InvalidChunkerError(`strconv.Atoi: parsing ${JSON.stringify(s)}: invalid syntax`)
  }
  const v = Number(s)
  if (!Number.isSafeInteger(v)) {
    throw new InvalidChunkerError(`strconv.Atoi: parsing ${JSON.stringify(s)}: value out of range`)
  }
  return v
}

/**
 * Fixed-size chunks, as boxo's `SizeSplitter` (the last one may be shorter). Full chunks
 * are read into buffers with room for a leaf's framing (`framedChunk`), so a dag-pb leaf
 * is built around the chunk instead of copied.
 */
export function fixedSize (size: number): Chunker {
  return async function * fixedSizeChunker (source) {
    const reader = readFull(source)
    while (true) {
      const buf = framedChunk(size)
      const n = await reader.read(buf, 0)
      if (n > 0) {
        // a short (last) chunk is copied out, so no unwritten byte stays reachable
        yield n === size ? buf : buf.slice(0, n)
      }
      if (n < size) {
        return
      }
    }
  }
}

function rabinChunker (min: number, avg: number, max: number): Chunker {
  return rabin({ minChunkSize: min, avgChunkSize: avg, maxChunkSize: max })
}

/**
 * Parses a Kubo chunker string.
 *
 * @throws InvalidChunkerError with boxo's message when the string is malformed or out of range
 */
export function parseChunker (chunker: string): Chunker {
  if (chunker === '' || chunker === 'default') {
    return fixedSize(DEFAULT_CHUNK_SIZE)
  }
  const name = chunker.split('-', 1)[0]
  const parts = chunker.split('-')
  switch (name) {
    case 'size': {
      if (parts.length !== 2) {
        throw new InvalidChunkerError('incorrect chunker string format (expected size-{size})')
      }
      const size = atoi(parts[1])
      if (size <= 0) {
        throw new InvalidChunkerError('chunker size must be greater than 0')
      }
      if (size > CHUNK_SIZE_LIMIT) {
        throw new InvalidChunkerError(ERR_SIZE_MAX)
      }
      return fixedSize(size)
    }
    case 'buzhash':
      return buzhash()
    case 'rabin': {
      if (parts.length === 1) {
        return kuboRabin(DEFAULT_CHUNK_SIZE)
      }
      if (parts.length === 2) {
        const avg = atoi(parts[1])
        if (Math.trunc(Math.fround(avg) * 1.5) > CHUNK_SIZE_LIMIT) {
          throw new InvalidChunkerError(ERR_SIZE_MAX)
        }
        return kuboRabin(avg)
      }
      if (parts.length === 4) {
        const min = labelled(parts[1], 'min', 'first label must be min')
        if (min < 16) {
          throw new InvalidChunkerError('rabin min must be greater than 16')
        }
        const avg = labelled(parts[2], 'avg', 'second label must be avg')
        const max = labelled(parts[3], 'max', 'final label must be max')
        if (min >= avg) {
          throw new InvalidChunkerError('incorrect format: rabin-min must be smaller than rabin-avg')
        }
        if (avg >= max) {
          throw new InvalidChunkerError('incorrect format: rabin-avg must be smaller than rabin-max')
        }
        if (max > CHUNK_SIZE_LIMIT) {
          throw new InvalidChunkerError(ERR_SIZE_MAX)
        }
        return rabinChunker(min, avg, max)
      }
      throw new InvalidChunkerError("incorrect format (expected 'rabin' 'rabin-[avg]' or 'rabin-[min]-[avg]-[max]'")
    }
    default:
      throw new InvalidChunkerError(`unrecognized chunker option: ${chunker}`)
  }
}

/** boxo `NewRabin`: min = avg/3, max = avg + avg/2 (integer division). */
function kuboRabin (avg: number): Chunker {
  const min = Math.floor(avg / 3)
  const max = avg + Math.floor(avg / 2)
  if (min < 16) {
    throw new InvalidChunkerError('rabin min must be greater than 16')
  }
  return rabinChunker(min, avg, max)
}

function labelled (part: string, label: string, message: string): number {
  const sub = part.split(':')
  if (sub.length > 1 && sub[0] !== label) {
    throw new InvalidChunkerError(message)
  }
  return atoi(sub[sub.length - 1])
}
