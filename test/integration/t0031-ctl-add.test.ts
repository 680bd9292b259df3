/**
 * Port of sharness t0031-ctl-add: `ipfs-cluster-ctl add` against a real daemon. Without a
 * Kubo container the CIDs are checked against known Kubo values where available (e.g.
 * `hello world\n`), and otherwise for the output names, order and CID kinds Kubo prints.
 */
import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { CarWriter } from '@ipld/car/writer'
import * as raw from 'multiformats/codecs/raw'
import { CID } from 'multiformats/cid'
import { sha256 } from 'multiformats/hashes/sha2'
import { Peer } from './harness.js'
import { jsonDocs } from './content.js'

/** Kubo `ipfs add` of `hello world\n`: default, and with --cid-version 1 (raw leaves). */
const HELLO_V0 = 'QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o'
const HELLO_V1 = 'bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4'

/** The names of `added <cid> <name>` lines, checking each line's shape and CID pattern. */
function added (stdout: string, cid: RegExp): string[] {
  const lines = stdout.split('\n')
  assert.equal(lines.pop(), '', 'output ends with a newline')
  return lines.map((l) => {
    const m = /^added (\S+) (.*)$/.exec(l)
    assert.ok(m != null, `line ${l}`)
    assert.match(m[1], cid)
    return m[2]
  })
}

const V0 = /^Qm[1-9A-HJ-NP-Za-km-z]{44}$/
const V1_RAW = /^bafkrei[a-z2-7]{52}$/

describe('t0031 ctl add', () => {
  let peer: Peer
  let dir: string
  const ctl = async (args: string[]): Promise<string> => {
    const r = await peer.ctl(args)
    assert.equal(r.code, 0, `${args.join(' ')}: ${r.stdout}${r.stderr}`)
    assert.equal(r.stderr, '')
    return r.stdout
  }

  before(async () => {
    peer = await Peer.init()
    await peer.start()
    dir = join(peer.dir, 'files')
    await mkdir(join(dir, 'testFolder', 'subfolder'), { recursive: true })
    const small = randomBytes(500)
    const big = randomBytes(4 * 1024 * 1024)
    await writeFile(join(dir, 'hello.txt'), 'hello world\n')
    await writeFile(join(dir, 'smallfile.bin'), small)
    await writeFile(join(dir, 'bigfile.bin'), big)
    await writeFile(join(dir, 'testFolder', 'abc.txt'), 'abc\n')
    await writeFile(join(dir, 'testFolder', 'smallfile.bin'), small)
    await writeFile(join(dir, 'testFolder', 'subfolder', 'bigfile.bin'), big)
  })
  after(async () => { await peer?.destroy() })

  it('adds files with Kubo\'s CIDs, names and order', async () => {
    const f = (n: string): string => join(dir, n)
    assert.equal(await ctl(['add', f('hello.txt')]), `added ${HELLO_V0} hello.txt\n`)
    assert.equal(await ctl(['add', '--cid-version', '1', f('hello.txt')]), `added ${HELLO_V1} hello.txt\n`)
    assert.deepEqual(added(await ctl(['add', f('smallfile.bin')]), V0), ['smallfile.bin'])
    const wrapped = await ctl(['add', '-w', f('smallfile.bin')])
    assert.deepEqual(added(wrapped, V0), ['smallfile.bin', ''])
    assert.match(wrapped, / \n$/)
    assert.deepEqual(added(await ctl(['add', '--raw-leaves', f('smallfile.bin')]), V1_RAW), ['smallfile.bin'])
    const rawWrapped = added(await ctl(['add', '--raw-leaves', '-w', f('smallfile.bin')]), /^(bafkrei|Qm)/)
    assert.deepEqual(rawWrapped, ['smallfile.bin', ''])

    const balanced = await ctl(['add', f('bigfile.bin')])
    const trickle = await ctl(['add', '--layout', 'trickle', f('bigfile.bin')])
    assert.deepEqual(added(balanced, V0), ['bigfile.bin'])
    assert.deepEqual(added(trickle, V0), ['bigfile.bin'])
    assert.deepEqual(added(await ctl(['add', '-w', f('bigfile.bin')]), V0), ['bigfile.bin', ''])
    assert.deepEqual(added(await ctl(['add', '--raw-leaves', '-w', f('bigfile.bin')]), V0), ['bigfile.bin', ''])
    assert.deepEqual(added(await ctl(['add', '--raw-leaves', f('bigfile.bin')]), V0), ['bigfile.bin'])

    const tree = ['testFolder/abc.txt', 'testFolder/smallfile.bin', 'testFolder/subfolder/bigfile.bin', 'testFolder/subfolder', 'testFolder']
    const r = await ctl(['add', '-r', f('testFolder')])
    assert.deepEqual(added(r, V0), tree)
    assert.deepEqual(added(await ctl(['add', '-r', '-w', f('testFolder')]), V0), [...tree, ''])
    assert.deepEqual(added(await ctl(['add', '--cid-version', '1', '-r', f('testFolder')]), /^bafk|^bafy/), tree)
  })

  it('adds a folder with --hash sha3-512', async () => {
    const tree = ['testFolder/abc.txt', 'testFolder/smallfile.bin', 'testFolder/subfolder/bigfile.bin', 'testFolder/subfolder', 'testFolder']
    assert.deepEqual(added(await ctl(['add', '--hash', 'sha3-512', '-r', join(dir, 'testFolder')]), /^baf/), tree)
  })

  it('adds a CAR file and prints its root', async () => {
    const bytes = new TextEncoder().encode('abc\n')
    const cid = CID.createV1(raw.code, await sha256.digest(bytes))
    const { writer, out } = CarWriter.create([cid])
    const chunks: Uint8Array[] = []
    const collect = (async () => { for await (const c of out) chunks.push(c) })()
    await writer.put({ cid, bytes })
    await writer.close()
    await collect
    await writeFile(join(dir, 'test.car'), Buffer.concat(chunks))
    assert.equal(await ctl(['add', '--format', 'car', '-Q', join(dir, 'test.car')]), `${cid.toString()}\n`)
  })

  it('wraps a single file like the folder that contains it', async () => {
    await mkdir(join(dir, 'testFolder2'))
    await writeFile(join(dir, 'testFolder2', 'abc.txt'), 'abc\n')
    const wrapped = await ctl(['add', '--quieter', '-w', join(dir, 'testFolder2', 'abc.txt')])
    const folder = await ctl(['add', '--quieter', '-r', join(dir, 'testFolder2')])
    assert.equal(wrapped, folder)
  })

  it('pins after add', async () => {
    await mkdir(join(dir, 'testFolder3'))
    await writeFile(join(dir, 'testFolder3', 'abc.txt'), 'abc\n')
    const cid = (await ctl(['add', '-r', '--quieter', join(dir, 'testFolder3')])).trim()
    assert.ok((await ctl(['pin', 'ls'])).includes(cid))
  })

  it('adds with metadata', async () => {
    await writeFile(join(dir, 'test1.txt'), 'test1\n')
    await writeFile(join(dir, 'test2.txt'), 'test2\n')
    const cid1 = (await ctl(['add', '--quieter', '--metadata', 'kind=text', join(dir, 'test1.txt')])).trim()
    const cid2 = (await ctl(['add', '--quieter', join(dir, 'test2.txt')])).trim()
    assert.match(await ctl(['pin', 'ls', cid1]), /Metadata: yes/)
    assert.deepEqual(jsonDocs(await ctl(['--enc=json', 'pin', 'ls', cid1]))[0].metadata, { kind: 'text' })
    assert.match(await ctl(['pin', 'ls', cid2]), /Metadata: no/)
  })

  it('waits for the pin, prints JSON and reports errors as the Go ctl', async () => {
    const hello = join(dir, 'hello.txt')
    assert.equal(await ctl(['add', '-Q', '--wait', '--wait-timeout', '30s', hello]), `${HELLO_V0}\n`)
    const docs = JSON.parse(await ctl(['--enc=json', 'add', '--no-stream', '-w', hello]))
    assert.equal(docs.length, 2)
    assert.deepEqual(docs.map((d: any) => [d.name, typeof d.cid, typeof d.size]), [['hello.txt', 'string', 'number'], ['', 'string', 'number']])
    const bad = await peer.ctl(['add', '--layout', 'bad', hello])
    assert.deepEqual([bad.code, bad.stdout], [2, 'An error occurred:\n  Code: 400\n  Message: layout parameter is invalid\n'])
    const noR = await peer.ctl(['add', join(dir, 'testFolder')])
    assert.deepEqual([noR.code, noR.stderr], [1, `error : ${join(dir, 'testFolder')} is a directory, but Recursive option is not set\n`])
  })
})
