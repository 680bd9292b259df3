/**
 * Live check of Kubo-default CIDs against Debian's `ipfs_cid` (package ipfs-cid): for files
 * of random content (deterministic seed) written to a temp folder, our importer's root with
 * Kubo's defaults equals `CIDv0`. The binary comes from PATH or from Debian's package,
 * downloaded by test/tools/ipfs-cid.ts; when neither works the tests fail (never skip).
 *
 * `ipfs_cid`'s `CIDv1` is its CIDv0 root re-encoded as CIDv1 (same dag-pb block, same
 * multihash): the links inside stay CIDv0. Kubo's `ipfs add --cid-version 1 --raw-leaves=false`
 * (our `cidVersion: 1, rawLeaves: false`) writes CIDv1 links instead, so its root equals
 * `CIDv1` only for a file of one block (at most 256 KiB, no links). Hence: our CIDv0 root as
 * CIDv1 must equal `CIDv1` for every size; our `cidVersion: 1, rawLeaves: false` root must
 * equal `CIDv1` for one-block files, and for larger ones must differ from it and agree with
 * `ipfs-unixfs-importer` set up as Kubo with the same flags (test/adder/kubo-oracle.ts).
 *
 * Sizes: around the 256 KiB chunk, 10 MiB, seeded random sizes up to 3 MiB (some multiples
 * of 256 KiB), and 174 × 256 KiB ± 1, where the balanced layout needs its second level.
 */
import assert from 'node:assert/strict'
import { createCipheriv, createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { mkdtemp, open, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { importer } from 'ipfs-unixfs-importer'
import { CID } from 'multiformats/cid'
import { importUnixfs } from '../../src/adder/importer/index.js'
import { ipfsCid, ipfsCidBinary } from '../tools/ipfs-cid.js'
import { oracleOptions } from './kubo-oracle.js'
import type { AddEntry, ImportOptions } from '../../src/adder/types.js'

const KIB = 1024
const MIB = 1024 * KIB
const CHUNK = 256 * KIB

const DEFAULTS: ImportOptions = { chunker: 'size-262144', layout: 'balanced', cidVersion: 0, rawLeaves: false, hashFun: 'sha2-256', wrap: false, progress: false }

/** mulberry32: a small seeded PRNG for the random sizes. */
function mulberry32 (seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function randomSizes (): number[] {
  const rnd = mulberry32(0x1f5c1d)
  const sizes: number[] = []
  // 7 sizes anywhere in [1 B, 3 MiB], 3 multiples of 256 KiB in [256 KiB, 3 MiB]
  for (let i = 0; i < 7; i++) {
    sizes.push(1 + Math.floor(rnd() * 3 * MIB))
  }
  for (let i = 0; i < 3; i++) {
    sizes.push(CHUNK * (1 + Math.floor(rnd() * 12)))
  }
  return sizes
}

/** 174 links per node: past 174 chunks, Kubo's balanced layout adds a level. */
const LEVEL = 174 * CHUNK

const SIZES = [...new Set([
  0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 10 * MIB,
  ...randomSizes(),
  LEVEL - 1, LEVEL, LEVEL + 1
])]

/**
 * Writes `size` bytes of deterministic random content (an AES-128-CTR keystream keyed by
 * the seed), 1 MiB at a time.
 */
async function writeRandomFile (path: string, size: number, seed: number): Promise<void> {
  const key = createHash('sha256').update(`ipfs-cid test seed ${seed}`).digest()
  const cipher = createCipheriv('aes-128-ctr', key.subarray(0, 16), key.subarray(16, 32))
  const zeros = Buffer.alloc(MIB)
  const fh = await open(path, 'w')
  try {
    for (let done = 0; done < size;) {
      const n = Math.min(MIB, size - done)
      const bytes = cipher.update(zeros.subarray(0, n))
      await fh.write(bytes, 0, bytes.length)
      done += n
    }
  } finally {
    await fh.close()
  }
}

/** Our importer's root for one file streamed from disk. */
async function ourRoot (path: string, opts: Partial<ImportOptions>): Promise<string> {
  async function * entries (): AsyncGenerator<AddEntry> {
    yield { type: 'file', path: 'f', content: createReadStream(path, { highWaterMark: MIB }) }
  }
  const sink = { put: async () => {}, allocations: () => [] }
  return (await importUnixfs(entries(), { ...DEFAULTS, ...opts }, sink)).toString()
}

/** ipfs-unixfs-importer set up as Kubo's `ipfs add` with the same options, the file streamed from disk. */
async function oracleRoot (path: string, opts: Partial<ImportOptions>): Promise<string> {
  const blockstore = { put: async (cid: any) => cid }
  let root: string | undefined
  for await (const entry of importer([{ path: 'f', content: createReadStream(path, { highWaterMark: MIB }) }], blockstore, oracleOptions(opts))) {
    root = entry.cid.toString()
  }
  assert.ok(root != null)
  return root
}

describe('unixfs importer against Debian\'s ipfs_cid (live, Kubo defaults)', () => {
  let dir = ''
  let missing: Error | undefined

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ipfs-cid-test-'))
    // fetched once; its error (saying to `apt-get install ipfs-cid`) fails every test below
    // (a failing hook would only mark them cancelled)
    await ipfsCidBinary().catch((err: Error) => { missing = err })
  })

  /** Throws the setup's error when ipfs_cid could not be had. */
  const needBinary = (): void => {
    if (missing != null) {
      throw missing
    }
  }

  after(async () => {
    if (dir !== '') {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('finds ipfs_cid and reads its output', async () => {
    needBinary()
    const bin = await ipfsCidBinary()
    assert.match(bin, /ipfs_cid$/)
    const path = join(dir, 'hello')
    const fh = await open(path, 'w')
    await fh.writeFile('hello world\n')
    await fh.close()
    assert.deepEqual(await ipfsCid(path), {
      v0: 'QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o',
      v1: 'bafybeicg2rebjoofv4kbyovkw7af3rpiitvnl6i7ckcywaq6xjcxnc2mby'
    })
  })

  for (const [i, size] of SIZES.entries()) {
    const note = size === LEVEL + 1 ? ' (balanced layout: second level)' : size === LEVEL || size === LEVEL - 1 ? ' (balanced layout: one full level)' : ''
    it(`matches ipfs_cid's CIDv0 and CIDv1 for a ${size} B file${note}`, async () => {
      needBinary()
      const path = join(dir, `f${i}-${size}`)
      await writeRandomFile(path, size, i + 1)
      try {
        assert.equal((await stat(path)).size, size)
        // ipfs_cid runs in its own process while we import
        const [kubo, v0] = await Promise.all([ipfsCid(path), ourRoot(path, {})])
        const v1Opts: Partial<ImportOptions> = { cidVersion: 1, rawLeaves: false }
        const v1 = await ourRoot(path, v1Opts)
        assert.equal(v0, kubo.v0, `CIDv0 of ${size} B`)
        assert.equal(CID.parse(v0).toV1().toString(), kubo.v1, `CIDv0 root as CIDv1 of ${size} B`)
        if (size <= CHUNK) {
          assert.equal(v1, kubo.v1, `cidVersion 1 root of a one-block ${size} B file`)
        } else {
          // CIDv1 links inside: not ipfs_cid's re-encoded CIDv0 root
          assert.notEqual(v1, kubo.v1, `cidVersion 1 root of ${size} B`)
          assert.equal(v1, await oracleRoot(path, v1Opts), `cidVersion 1 root of ${size} B against ipfs-unixfs-importer`)
        }
      } finally {
        await rm(path, { force: true })
      }
    })
  }
})
