import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { importUnixfs, parseChunker } from '../../src/adder/importer/index.js'
import { GoRand } from './go-rand.js'
import { det } from './kubo-oracle.js'
import type { AddEntry, AddedBlock, AddedOutput, BlockSink, ImportOptions } from '../../src/adder/types.js'

const DEFAULTS: ImportOptions = { chunker: 'size-262144', layout: 'balanced', cidVersion: 0, rawLeaves: false, hashFun: 'sha2-256', wrap: false, progress: false }

interface TestSink extends BlockSink { blocks: AddedBlock[] }

function memorySink (): TestSink {
  const blocks: AddedBlock[] = []
  return { blocks, put: async (b) => { blocks.push(b) }, allocations: () => [] }
}

async function * iter<T> (xs: Iterable<T>): AsyncGenerator<T> {
  yield * xs
}


async function * pieces (data: Uint8Array, size = 65536): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < data.length; i += size) {
    yield data.subarray(i, i + size)
  }
}

async function add (entries: AddEntry[], opts: Partial<ImportOptions> = {}): Promise<{ root: string, blocks: AddedBlock[], outputs: AddedOutput[] }> {
  const sink = memorySink()
  const outputs: AddedOutput[] = []
  const root = await importUnixfs(iter(entries), { ...DEFAULTS, ...opts }, sink, { onOutput: (o) => outputs.push(o) })
  return { root: root.toString(), blocks: sink.blocks, outputs }
}

async function addBytes (data: Uint8Array, opts: Partial<ImportOptions> = {}): Promise<string> {
  return (await add([{ type: 'file', path: 'f', content: pieces(data) }], opts)).root
}

/** The spec §10 test tree: Go's math/rand seeded with 1, read 1 KiB at a time, in file order. */
function goTestTree (): AddEntry[] {
  const rand = new GoRand(1)
  const file = (kib: number): Uint8Array => {
    const out = new Uint8Array(kib * 1024)
    for (let i = 0; i < kib; i++) {
      rand.read(out.subarray(i * 1024, (i + 1) * 1024))
    }
    return out
  }
  const contents = [5, 5, 5, 5, 300, 3000].map(file)
  const f = (path: string, i: number): AddEntry => ({ type: 'file', path, content: pieces(contents[i], 1024) })
  const d = (path: string): AddEntry => ({ type: 'directory', path })
  // the multipart order of Go's SerialFile: entries sorted by name
  return [
    d('testTree'), d('testTree/A'), d('testTree/A/alpha'), f('testTree/A/alpha/small_file_0', 0),
    d('testTree/A/beta'), f('testTree/A/beta/small_file_1', 1), d('testTree/A/delta'), d('testTree/A/delta/empty'),
    d('testTree/A/gamma'), f('testTree/A/gamma/small_file_3', 3), f('testTree/A/small_file_2', 2),
    d('testTree/B'), f('testTree/B/big_file', 5), f('testTree/B/medium_file', 4)
  ]
}

describe('unixfs importer', () => {
  it('gives Kubo\'s CIDs for hello world, an empty file and an empty directory', async () => {
    assert.equal(await addBytes(new TextEncoder().encode('hello world\n')), 'QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o')
    assert.equal(await addBytes(new Uint8Array(0)), 'QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH')
    assert.equal((await add([{ type: 'directory', path: 'd' }])).root, 'QmUNLLsPACCz1vLxQVkXqqLX5R1X345qqfHbsf67hvA3Nn')
  })

  it('matches ipfs_cid (Kubo defaults) for files around the chunk size', async () => {
    // expected values printed by Debian's ipfs_cid (package ipfs-cid) for det(n), kept to document
    // them; test/adder/ipfs-cid.test.ts runs the real binary on random files of many sizes
    const expected: Array<[number, string]> = [
      [0, 'QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH'],
      [1, 'QmdeoacqroE1mWhJSYwXtEHfzZQ2AbKXadXxA6E261BSJS'],
      [262143, 'QmYVxuavbgR2bNwJy53bSxdPdQUhRCCDEVuqSuzKt9LSUW'],
      [262144, 'QmcoFpbzFHvX6tRNmsgEHqv2C1SvRKz1EgxhDtTmRdGdva'],
      [262145, 'QmRbhFhcLKBDBEvAEfzPVa2tESoHczsb51ADsCsrBE5jWQ'],
      [10485760, 'QmVqGgD2a9sPun4T9SqvpFExJFNvHzzDSmj5UVPAqSMN6b']
    ]
    for (const [n, cid] of expected) {
      assert.equal(await addBytes(det(n)), cid, `${n} bytes`)
    }
  })

  it('reproduces the Go test tree roots and its 28 distinct blocks', async () => {
    const balanced = await add(goTestTree())
    assert.equal(balanced.root, 'QmdHXJgxeCFf6qDZqYYmMesV2DbZCVPEdEhj2oVTxP1y7Y')
    assert.equal(new Set(balanced.blocks.map((b) => b.cid.toString())).size, 28)
    assert.equal((await add(goTestTree(), { wrap: true })).root, 'QmbfGRPTUd7L1xsAZZ1A3kUFP1zkEZ9kHdb6AGaajBzGGX')
    assert.equal((await add(goTestTree(), { layout: 'trickle' })).root, 'QmYMbx56GFNBDAaAMchtjmWjDTdqNKCSGuFxtRosiPgJL6')
  })

  it('reports files in upload order, then directories children first', async () => {
    const { outputs } = await add(goTestTree())
    assert.deepEqual(outputs.map((o) => o.name), [
      'testTree/A/alpha/small_file_0', 'testTree/A/beta/small_file_1', 'testTree/A/gamma/small_file_3',
      'testTree/A/small_file_2', 'testTree/B/big_file', 'testTree/B/medium_file',
      'testTree/A/alpha', 'testTree/A/beta', 'testTree/A/delta/empty', 'testTree/A/delta', 'testTree/A/gamma',
      'testTree/A', 'testTree/B', 'testTree'
    ])
    assert.equal(outputs.at(-1)?.cid?.toString(), 'QmdHXJgxeCFf6qDZqYYmMesV2DbZCVPEdEhj2oVTxP1y7Y')
    assert.ok(outputs.every((o) => o.size != null && o.size > 0 && Array.isArray(o.allocations)))
  })

  it('emits progress every 256 KiB and at the end of each file', async () => {
    const { outputs } = await add([{ type: 'file', path: 'big', content: pieces(det(600 * 1024)) }], { progress: true })
    assert.deepEqual(outputs.map((o) => [o.name, o.bytes]), [['', 262144], ['', 524288], ['', 614400], ['big', undefined]])
  })

  it('names wrapped outputs without a prefix and the wrapper ""', async () => {
    const { outputs } = await add([{ type: 'file', path: 'f', content: iter([new TextEncoder().encode('hello world\n')]) }], { wrap: true })
    assert.deepEqual(outputs.map((o) => o.name), ['f', ''])
  })

  it('builds CIDv1 raw-leaf, trickle and size-1024 DAGs with matching shapes', async () => {
    const data = det(262145)
    const v1 = await addBytes(data, { cidVersion: 1, rawLeaves: true })
    assert.match(v1, /^bafybei/)
    assert.match(await addBytes(det(1), { cidVersion: 1, rawLeaves: true }), /^bafkrei/)
    assert.notEqual(await addBytes(data, { layout: 'trickle' }), await addBytes(data))
    assert.notEqual(await addBytes(data, { chunker: 'size-1024' }), await addBytes(data))
    // Kubo's trickle puts even a one-chunk file under a root node
    assert.notEqual(await addBytes(det(10), { layout: 'trickle' }), await addBytes(det(10)))
  })

  it('chooses the multihash function by name, case-insensitively', async () => {
    const sha512 = await addBytes(det(10), { hashFun: 'SHA2-512' })
    const blake = await addBytes(det(10), { hashFun: 'blake2b-256', cidVersion: 1, rawLeaves: true })
    const { CID } = await import('multiformats/cid')
    assert.equal(CID.parse(sha512).multihash.code, 0x13)
    assert.equal(CID.parse(blake).multihash.code, 0xb220)
    assert.equal(CID.parse(blake).multihash.digest.length, 32)
  })

  it('rejects unknown hash names, bad chunkers and bad layouts', async () => {
    await assert.rejects(addBytes(det(1), { hashFun: 'nope' }), { name: 'UnknownHashFunctionError', message: 'hash function name not known' })
    await assert.rejects(addBytes(det(1), { chunker: 'size-0' }), { name: 'InvalidChunkerError', message: 'chunker size must be greater than 0' })
    await assert.rejects(addBytes(det(1), { chunker: 'foo' }), { name: 'InvalidChunkerError', message: 'unrecognized chunker option: foo' })
    await assert.rejects(addBytes(det(1), { chunker: 'rabin-10-20-30' }), { name: 'InvalidChunkerError', message: 'rabin min must be greater than 16' })
    await assert.rejects(addBytes(det(1), { layout: 'x' as any }), { name: 'InvalidLayoutError' })
  })

  it('cuts buzhash chunks between 128 and 512 KiB', async () => {
    const sizes: number[] = []
    for await (const c of parseChunker('buzhash')(pieces(det(3 * 1024 * 1024)))) {
      sizes.push(c.length)
    }
    assert.equal(sizes.reduce((a, b) => a + b, 0), 3 * 1024 * 1024)
    assert.ok(sizes.slice(0, -1).every((s) => s >= 128 * 1024 && s <= 512 * 1024))
  })

  it('keeps a streamed 64 MiB file within a few MiB in flight to a slow sink', async () => {
    let produced = 0
    let accepted = 0
    let maxInFlight = 0
    async function * source (): AsyncGenerator<Uint8Array> {
      const piece = det(1024 * 1024)
      for (let i = 0; i < 64; i++) {
        produced += piece.length
        maxInFlight = Math.max(maxInFlight, produced - accepted)
        yield piece
      }
    }
    const sink: BlockSink = {
      put: async (b) => {
        await new Promise((resolve) => setImmediate(resolve))
        accepted += b.bytes.length
      },
      allocations: () => []
    }
    await importUnixfs(iter([{ type: 'file', path: 'big', content: source() }]), DEFAULTS, sink)
    assert.ok(maxInFlight < 4 * 1024 * 1024, `in flight: ${maxInFlight}`)
  })
})
