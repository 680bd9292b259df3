/** Port of sharness t0021-service-init and the daemon-less parts of t0020. */
import { describe, it, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CTL, SERVICE, runSync } from './harness.js'

const PEER1 = '/ip4/192.168.0.129/tcp/9196/p2p/12D3KooWRN8KRjpyg9rsW2w7StbBRGper65psTZm68cjud9KAkaW'
const PEER2 = '/ip4/192.168.0.129/tcp/9196/p2p/12D3KooWPwrYNj7VficHw5qYidepMGA85756kYgMdNmRM9A1ZHjN'

describe('t0021 service init', () => {
  const dirs: string[] = []
  const fresh = async (): Promise<string> => {
    const d = await mkdtemp(join(tmpdir(), 'cluster-init-'))
    dirs.push(d)
    return join(d, 'test-config')
  }
  after(async () => { for (const d of dirs) await rm(d, { recursive: true, force: true }) })

  it('init with --peers fills the peerstore', async () => {
    const cfg = await fresh()
    const r = runSync(SERVICE, ['--config', cfg, 'init', '--peers', `${PEER1},${PEER2}`])
    assert.equal(r.code, 0, r.stderr)
    const ps = await readFile(join(cfg, 'peerstore'), 'utf8')
    assert.ok(ps.includes(PEER1) && ps.includes(PEER2))
    const id = JSON.parse(await readFile(join(cfg, 'identity.json'), 'utf8'))
    assert.match(id.id, /^12D3KooW/)
    assert.match(id.private_key, /^CAESQ/)
  })

  it('init without --peers creates an empty peerstore', async () => {
    const cfg = await fresh()
    assert.equal(runSync(SERVICE, ['--config', cfg, 'init', '-f']).code, 0)
    assert.equal((await stat(join(cfg, 'peerstore'))).size, 0)
  })

  it('--consensus raft and crdt select the section', async () => {
    const cfg = await fresh()
    assert.equal(runSync(SERVICE, ['--config', cfg, 'init', '-f', '--consensus', 'raft']).code, 0)
    let json = JSON.parse(await readFile(join(cfg, 'service.json'), 'utf8'))
    assert.notEqual(json.consensus.raft, undefined)
    assert.equal(json.consensus.crdt, undefined)
    assert.equal(runSync(SERVICE, ['--config', cfg, 'init', '-f', '--consensus', 'crdt']).code, 0)
    json = JSON.parse(await readFile(join(cfg, 'service.json'), 'utf8'))
    assert.notEqual(json.consensus.crdt, undefined)
    assert.equal(json.consensus.raft, undefined)
    assert.notEqual(json.ipfs_connector.embedded, undefined)
  })

  it('service help looks good and versions match', () => {
    assert.match(runSync(SERVICE, ['--help']).stdout, /^(Usage|Commands|Description|Global Options)/im)
    const v1 = /\d+\.\d+\.\d+/.exec(runSync(SERVICE, ['--version']).stdout)?.[0]
    const v2 = /\d+\.\d+\.\d+/.exec(runSync(CTL, ['--version']).stdout)?.[0]
    assert.equal(v1, '1.1.6')
    assert.equal(v1, v2)
  })

  it('no subcommand exits 1', async () => {
    const cfg = await fresh()
    assert.equal(runSync(SERVICE, ['--config', cfg]).code, 1)
  })
})
