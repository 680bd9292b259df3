import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { initConfig, loadConfig, readPeerstore, randomizePorts, decodeClusterSecret } from '../../src/config/index.js'
import { quiet, tempDirsPerTest } from './helpers.js'

const PEER1 = '/ip4/192.168.0.129/tcp/9196/p2p/12D3KooWRN8KRjpyg9rsW2w7StbBRGper65psTZm68cjud9KAkaW'
const PEER2 = '/ip4/192.168.0.129/tcp/9196/p2p/12D3KooWPwrYNj7VficHw5qYidepMGA85756kYgMdNmRM9A1ZHjN'

const dir = tempDirsPerTest()

describe('initConfig', () => {
  it('writes service.json and identity.json with mode 0600 and an empty peerstore', async () => {
    const d = await dir()
    const res = await initConfig(join(d, 'sub'), { env: {} })
    assert.equal((await stat(res.configPath)).mode & 0o777, 0o600)
    assert.equal((await stat(res.identityPath)).mode & 0o777, 0o600)
    assert.equal((await stat(join(d, 'sub'))).mode & 0o777, 0o700)
    assert.equal(await readFile(res.peerstorePath, 'utf8'), '')
    const ident = JSON.parse(await readFile(res.identityPath, 'utf8'))
    assert.match(ident.private_key, /^CAESQ/)
    assert.match(ident.id, /^12D3KooW/)
    assert.ok((await readFile(res.identityPath, 'utf8')).includes('\n    "id"'))
  })

  it('fills the peerstore, trusted peers and init peerset from --peers', async () => {
    const d = await dir()
    const res = await initConfig(d, { env: {}, peers: [PEER1, PEER2] })
    assert.equal(res.peerCount, 2)
    assert.deepEqual(await readPeerstore(res.peerstorePath), [PEER1, PEER2])
    const cfg = await loadConfig(d, quiet())
    assert.equal(cfg.crdt.trustAll, false)
    assert.deepEqual(cfg.crdt.trustedPeers, [PEER1.split('/p2p/')[1], PEER2.split('/p2p/')[1]])
    const d2 = await dir()
    await initConfig(d2, { env: {}, peers: [PEER1], consensus: 'raft' })
    const raft = await loadConfig(d2, quiet())
    assert.deepEqual(raft.raft.initPeerset, [PEER1.split('/p2p/')[1]])
  })

  it('rejects peers without a peer ID', async () => {
    const d = await dir()
    await assert.rejects(initConfig(d, { env: {}, peers: ['/ip4/1.2.3.4/tcp/1'] }), { name: 'InvalidConfigError' })
  })

  it('writes only the raft section with --consensus raft', async () => {
    const d = await dir()
    await initConfig(d, { env: {}, consensus: 'raft' })
    const root = JSON.parse(await readFile(join(d, 'service.json'), 'utf8'))
    assert.notEqual(root.consensus.raft, undefined)
    assert.equal(root.consensus.crdt, undefined)
    assert.equal(root.datastore, undefined)
    assert.deepEqual(root.consensus.raft.init_peerset, [])
    const cfg = await loadConfig(d, quiet())
    assert.equal(cfg.consensus, 'raft')
  })

  it('writes the chosen datastore section', async () => {
    const d = await dir()
    await initConfig(d, { env: {}, datastore: 'badger3' })
    const root = JSON.parse(await readFile(join(d, 'service.json'), 'utf8'))
    assert.deepEqual(Object.keys(root.datastore), ['badger3'])
    const cfg = await loadConfig(d, quiet())
    assert.equal(cfg.datastore.kind, 'badger3')
    assert.equal(cfg.datastore.path, join(d, 'badger3'))
    assert.equal(cfg.datastore.gcDiscardRatio, 0.2)
  })

  it('keeps an existing identity', async () => {
    const d = await dir()
    const first = await initConfig(d, { env: {} })
    const before = await readFile(first.identityPath, 'utf8')
    const second = await initConfig(d, { env: {} })
    assert.equal(second.identityCreated, false)
    assert.equal(await readFile(first.identityPath, 'utf8'), before)
  })

  it('randomizes every listen port including the embedded swarm', async () => {
    const d = await dir()
    await initConfig(d, { env: {}, randomPorts: true })
    const cfg = await loadConfig(d, quiet())
    const ports = [
      ...cfg.cluster.listenMultiaddress, ...cfg.restapi.httpListenMultiaddress, ...cfg.ipfsproxy.listenMultiaddress,
      ...cfg.pinsvcapi.httpListenMultiaddress, ...cfg.embedded.swarmListenMultiaddress
    ].map((a) => a.split('/')[4])
    assert.ok(!ports.includes('9096') && !ports.includes('9094') && !ports.includes('4001'))
    assert.equal(new Set(ports).size, ports.length)
  })

  it('randomizes a tcp and a udp address to different ports', async () => {
    const [[a, b]] = await randomizePorts([['/ip4/0.0.0.0/tcp/9096', '/ip6/::/udp/9096']])
    assert.notEqual(a.split('/')[4], b.split('/')[4])
    assert.match(b, /^\/ip6\/::\/udp\/\d+$/)
  })

  it('uses a custom secret and rejects a bad one', async () => {
    const d = await dir()
    await initConfig(d, { env: {}, secret: 'AB'.repeat(32) })
    assert.equal((await loadConfig(d, quiet())).cluster.secret, 'ab'.repeat(32))
    await assert.rejects(initConfig(d, { env: {}, secret: 'abc' }), (err: any) => err.name === 'InvalidConfigError' && /odd length/.test(err.message))
  })

  it('saves only the source when one is given', async () => {
    const d = await dir()
    await initConfig(d, { env: {}, source: 'http://127.0.0.1:1/config.json' })
    assert.deepEqual(JSON.parse(await readFile(join(d, 'service.json'), 'utf8')), { source: 'http://127.0.0.1:1/config.json' })
  })

  it('loads a sourced configuration over HTTP', async () => {
    const d = await dir()
    const remote = await dir()
    await initConfig(remote, { env: {} })
    const body = await readFile(join(remote, 'service.json'), 'utf8')
    await initConfig(d, { env: {}, source: 'http://config.test/service.json' })
    const fakeFetch = (async () => new Response(body, { status: 200 })) as unknown as typeof fetch
    const cfg = await loadConfig(d, { ...quiet(), fetch: fakeFetch })
    assert.equal(cfg.source, 'http://config.test/service.json')
    assert.equal(cfg.consensus, 'crdt')
    const failing = (async () => new Response('nope', { status: 404 })) as unknown as typeof fetch
    await assert.rejects(loadConfig(d, { ...quiet(), fetch: failing }), (err: any) => err.name === 'ConfigFetchError' && err.message.includes('unsuccessful request (404): nope'))
    const loop = (async () => new Response('{"source":"http://x"}', { status: 200 })) as unknown as typeof fetch
    await assert.rejects(loadConfig(d, { ...quiet(), fetch: loop }), /cannot point to another source/)
  })
})

describe('decodeClusterSecret', () => {
  it('accepts empty and 32-byte secrets and names the length otherwise', () => {
    assert.equal(decodeClusterSecret('').length, 0)
    assert.equal(decodeClusterSecret('0f'.repeat(32)).length, 32)
    assert.throws(() => decodeClusterSecret('0f'.repeat(16)), { name: 'InvalidSecretError', message: 'input secret is 16 bytes, cluster secret should be 32' })
    assert.throws(() => decodeClusterSecret('zz'), { name: 'InvalidSecretError' })
  })
})
