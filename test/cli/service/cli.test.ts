import { describe, it, afterEach } from 'node:test'
import assert from 'node:assert/strict'
import { Readable } from 'node:stream'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { run } from '../../../src/cli/service/index.js'
import type { CliIo } from '../../../src/cli/service/index.js'
import { parseLogLevel } from '../../../src/cli/service/loglevel.js'

const PEER1 = '/ip4/192.168.0.129/tcp/9196/p2p/12D3KooWRN8KRjpyg9rsW2w7StbBRGper65psTZm68cjud9KAkaW'
const PEER2 = '/ip4/192.168.0.129/tcp/9196/p2p/12D3KooWPwrYNj7VficHw5qYidepMGA85756kYgMdNmRM9A1ZHjN'

interface Captured { io: CliIo, out: () => string, err: () => string }

function fakeIo (stdin = '', env: NodeJS.ProcessEnv = {}): Captured {
  let out = ''
  let err = ''
  return {
    io: { stdout: (t) => { out += t }, stderr: (t) => { err += t }, stdin: Readable.from([stdin]), env, home: '/home/tester' },
    out: () => out,
    err: () => err
  }
}

const dirs: string[] = []
async function dir (): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'cli-test-'))
  dirs.push(d)
  return d
}
afterEach(async () => { await Promise.all(dirs.splice(0).map(async (d) => rm(d, { recursive: true, force: true }))) })

describe('ipfs-cluster-service CLI', () => {
  it('prints help and exits 1 without a subcommand', async () => {
    const c = fakeIo()
    assert.equal(await run(['--config', '/nonexistent'], c.io), 1)
    assert.match(c.out(), /^USAGE:$/m)
  })

  it('prints the version with --version and the version command', async () => {
    const c = fakeIo()
    assert.equal(await run(['--version'], c.io), 0)
    assert.equal(c.out(), 'ipfs-cluster-service version 1.1.6\n')
    const v = fakeIo()
    assert.equal(await run(['version'], v.io), 0)
    assert.equal(v.out(), '1.1.6\n')
  })

  it('shows help in urfave layout within 120 columns', async () => {
    for (const args of [['--help'], ['-h'], ['help'], ['help', 'init'], ['init', '--help'], ['daemon', '-h'], ['state', '--help'], ['state', 'import', '--help']]) {
      const c = fakeIo()
      assert.equal(await run(args, c.io), 0, args.join(' '))
      const lines = c.out().split('\n')
      assert.ok(lines.every((l) => l.length <= 120), `${args.join(' ')}: ${lines.find((l) => l.length > 120) ?? ''}`)
    }
    const c = fakeIo()
    await run(['--help'], c.io)
    for (const h of ['USAGE:', 'COMMANDS:', 'DESCRIPTION:', 'GLOBAL OPTIONS:']) assert.match(c.out(), new RegExp(`^${h}$`, 'm'))
    assert.match(c.out(), /--config FOLDER, -c FOLDER/)
    assert.match(c.out(), /\[\$IPFS_CLUSTER_PATH\]/)
    const d = fakeIo()
    await run(['daemon', '--help'], d.io)
    for (const f of ['--bootstrap value, -j value', '--stats', '--tracing', '--no-trust', '--upgrade, -u']) assert.ok(d.out().includes(f), f)
    assert.ok(!d.out().includes('--leave'))
  })

  it('exits 1 on an unknown flag and 3 on an unknown command', async () => {
    const c = fakeIo()
    assert.equal(await run(['--bogus'], c.io), 1)
    assert.match(c.err(), /flag provided but not defined: -bogus/)
    assert.equal(await run(['frobnicate'], fakeIo().io), 3)
  })

  it('inits a folder given by IPFS_CLUSTER_PATH with --peers', async () => {
    const d = join(await dir(), 'cfg')
    const c = fakeIo('', { IPFS_CLUSTER_PATH: d })
    assert.equal(await run(['init', '--peers', `${PEER1},${PEER2}`], c.io), 0)
    const ps = await readFile(join(d, 'peerstore'), 'utf8')
    assert.ok(ps.includes(PEER1) && ps.includes(PEER2))
    assert.match(c.err(), /configuration written to/)
    assert.match(c.err(), /new identity written to/)
    assert.match(c.err(), /peerstore written to .* with 2 entries/)
  })

  it('selects the consensus section with --consensus and rejects others', async () => {
    const d = await dir()
    assert.equal(await run(['-c', d, 'init', '--consensus', 'raft'], fakeIo().io), 0)
    let root = JSON.parse(await readFile(join(d, 'service.json'), 'utf8'))
    assert.ok(root.consensus.raft != null && root.consensus.crdt == null)
    assert.equal(await run(['-c', d, 'init', '-f', '--consensus', 'crdt'], fakeIo().io), 0)
    root = JSON.parse(await readFile(join(d, 'service.json'), 'utf8'))
    assert.ok(root.consensus.crdt != null && root.consensus.raft == null)
    assert.deepEqual(Object.keys(root.datastore), ['leveldb'])
    const bad = fakeIo()
    assert.equal(await run(['-c', d, 'init', '-f', '--consensus', 'paxos'], bad.io), 1)
    assert.equal(bad.err(), "error choosing consensus: flag value must be set to 'raft' or 'crdt'\n")
    const badDs = fakeIo()
    assert.equal(await run(['-c', d, 'init', '-f', '--datastore', 'sqlite'], badDs.io), 1)
    assert.match(badDs.err(), /^error choosing datastore: /)
  })

  it('asks before overwriting: n aborts with 0, y overwrites, 3 bad answers abort', async () => {
    const d = await dir()
    assert.equal(await run(['-c', d, 'init'], fakeIo().io), 0)
    const original = await readFile(join(d, 'service.json'), 'utf8')

    const no = fakeIo('n\n')
    assert.equal(await run(['-c', d, 'init'], no.io), 0)
    assert.match(no.out(), /The configuration file will be overwritten\. Continue\? \[y\/n\]: /)
    assert.equal(await readFile(join(d, 'service.json'), 'utf8'), original)

    const bad = fakeIo('maybe\nperhaps\nwhat\n')
    assert.equal(await run(['-c', d, 'init'], bad.io), 0)
    assert.equal(bad.out().split("Please press either 'y' or 'n'").length - 1, 3)
    assert.equal(await readFile(join(d, 'service.json'), 'utf8'), original)

    const yes = fakeIo('y\n')
    assert.equal(await run(['-c', d, 'init'], yes.io), 0)
    assert.notEqual(await readFile(join(d, 'service.json'), 'utf8'), original)
    assert.equal(existsSync(join(d, 'cluster.lock')), false)
  })

  it('overwrites without prompting with --force and keeps the identity', async () => {
    const d = await dir()
    assert.equal(await run(['-c', d, 'init'], fakeIo().io), 0)
    const ident = await readFile(join(d, 'identity.json'), 'utf8')
    const c = fakeIo()
    assert.equal(await run(['-c', d, 'init', '--force', '--randomports'], c.io), 0)
    assert.ok(!c.out().includes('Continue?'))
    assert.ok(!c.err().includes('new identity'))
    assert.equal(await readFile(join(d, 'identity.json'), 'utf8'), ident)
    const root = JSON.parse(await readFile(join(d, 'service.json'), 'utf8'))
    assert.notEqual(root.api.restapi.http_listen_multiaddress, '/ip4/127.0.0.1/tcp/9094')
  })

  it('reads a custom secret from stdin', async () => {
    const d = await dir()
    assert.equal(await run(['-c', d, 'init', '-s'], fakeIo('ab'.repeat(32) + '\n').io), 0)
    assert.equal(JSON.parse(await readFile(join(d, 'service.json'), 'utf8')).cluster.secret, 'ab'.repeat(32))
    const bad = fakeIo('abcd\n')
    assert.equal(await run(['-c', d, 'init', '-f', '-s'], bad.io), 1)
    assert.equal(bad.err(), 'error parsing user-provided secret: input secret is 2 bytes, cluster secret should be 32\n')
  })

  it('fails init when the folder is locked by a live process', async () => {
    const d = await dir()
    assert.equal(await run(['-c', d, 'init'], fakeIo().io), 0)
    await writeFile(join(d, 'cluster.lock'), String(process.pid))
    const c = fakeIo()
    assert.equal(await run(['-c', d, 'init', '-f'], c.io), 1)
    assert.match(c.err(), /^error obtaining execution lock: cannot acquire lock file/)
  })

  it('runs from the bin script with exit code 1 without a subcommand', () => {
    const bin = fileURLToPath(new URL('../../../../bin/ipfs-cluster-service.js', import.meta.url))
    const none = spawnSync(process.execPath, [bin, '--config', '/nonexistent'], { encoding: 'utf8' })
    assert.equal(none.status, 1)
    const v = spawnSync(process.execPath, [bin, '--version'], { encoding: 'utf8' })
    assert.equal(v.status, 0)
    assert.match(v.stdout, /\d+\.\d+\.\d+/)
  })

  it('starts through its shebang with the daemon\'s V8 flags', async () => {
    const bin = fileURLToPath(new URL('../../../../bin/ipfs-cluster-service.js', import.meta.url))
    const runtime = await import(new URL('../../../../bin/runtime.js', import.meta.url).href)
    const shebang = (await readFile(bin, 'utf8')).split('\n')[0]
    assert.equal(shebang, `#!/usr/bin/env -S node ${(runtime.DAEMON_NODE_FLAGS as string[]).join(' ')}`)
    // executed as a program (as npx and npm's bin links do), with the `node` npm scripts put first on PATH
    const nodeDir = fileURLToPath(new URL('../../../../node_modules/.bin', import.meta.url))
    const v = spawnSync(bin, ['--version'], { encoding: 'utf8', env: { ...process.env, PATH: `${nodeDir}:${process.env.PATH ?? ''}` } })
    assert.equal(v.status, 0, v.stderr)
    assert.match(v.stdout, /\d+\.\d+\.\d+/)
  })
})

describe('parseLogLevel', () => {
  it('parses overall and per-facility levels', () => {
    assert.deepEqual(parseLogLevel(false, 'info,cluster:debug,pintracker:debug'), { level: 'info', facilities: { cluster: 'debug', pintracker: 'debug' } })
    assert.equal(parseLogLevel(false, '').level, 'info')
    assert.equal(parseLogLevel(false, 'error').level, 'error')
    assert.equal(parseLogLevel(true, '').facilities?.cluster, 'debug')
    assert.throws(() => parseLogLevel(false, 'a:b:c'), { name: 'LogLevelError' })
  })
})
