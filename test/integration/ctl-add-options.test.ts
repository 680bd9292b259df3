/**
 * `ipfs-cluster-ctl add` with Kubo's import options against a real daemon: each option must
 * reach the importer, so the printed root equals the Kubo-configured oracle's
 * (test/adder/kubo-oracle.ts) for the same files and flags. Go's ctl spells Kubo's
 * `--trickle` as `--layout trickle`.
 */
import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { det, oracle } from '../adder/kubo-oracle.js'
import { Peer } from './harness.js'
import type { Item } from '../adder/kubo-oracle.js'
import type { ImportOptions } from '../../src/adder/types.js'

const FILE = det(256 * 1024 + 1)
const TREE: Item[] = [
  { type: 'directory', path: 'tree' },
  { type: 'file', path: 'tree/a.bin', data: det(3000, 7) },
  { type: 'directory', path: 'tree/sub' },
  { type: 'file', path: 'tree/sub/b.bin', data: det(300 * 1024, 8) }
]

const CASES: Array<{ flags: string[], opts: Partial<ImportOptions> }> = [
  { flags: [], opts: {} },
  { flags: ['--cid-version', '1', '--raw-leaves'], opts: { cidVersion: 1, rawLeaves: true } },
  { flags: ['--layout', 'trickle'], opts: { layout: 'trickle' } },
  { flags: ['--chunker', 'size-1024'], opts: { chunker: 'size-1024' } },
  { flags: ['-w'], opts: { wrap: true } }
]

describe('ctl add import options', () => {
  let peer: Peer
  let dir: string

  before(async () => {
    peer = await Peer.init()
    await peer.start()
    dir = join(peer.dir, 'files')
    await mkdir(join(dir, 'tree', 'sub'), { recursive: true })
    await writeFile(join(dir, 'file.bin'), FILE)
    for (const i of TREE) {
      if (i.type === 'file') await writeFile(join(dir, i.path), i.data)
    }
  })
  after(async () => { await peer?.destroy() })

  const addRoot = async (args: string[]): Promise<string> => {
    const r = await peer.ctl(['add', '--quieter', ...args])
    assert.equal(r.code, 0, `${args.join(' ')}: ${r.stdout}${r.stderr}`)
    return r.stdout.trim()
  }

  for (const { flags, opts } of CASES) {
    it(`passes ${flags.length === 0 ? 'the defaults' : flags.join(' ')} through to the importer`, async () => {
      assert.equal(await addRoot([...flags, join(dir, 'file.bin')]), await oracle([{ type: 'file', path: 'file.bin', data: FILE }], opts))
      assert.equal(await addRoot([...flags, '-r', join(dir, 'tree')]), await oracle(TREE, opts))
    })
  }
})
