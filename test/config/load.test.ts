import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { initConfig, loadConfig, renderSections, serviceJsonText } from '../../src/config/index.js'
import type { ClusterConfig, SectionName } from '../../src/config/index.js'
import { GO_FULL, SHARNESS_BASIC_AUTH, SHARNESS_IDENTITY } from './fixtures.js'
import { quiet, tempDirsPerTest, writeConfig } from './helpers.js'

const dir = tempDirsPerTest()

/** Renders a loaded config back to service.json text (loaded sections only). */
function render (cfg: ClusterConfig): string {
  const values: Record<string, unknown> = { ...cfg, [cfg.datastore.kind]: cfg.datastore }
  const include = new Set(Object.entries(cfg.loaded).filter(([, v]) => v).map(([k]) => k as SectionName))
  return serviceJsonText(renderSections(values as any, include))
}

function clone<T> (v: T): T {
  return structuredClone(v)
}

describe('loadConfig', () => {
  it('loads what init wrote with every default', async () => {
    const d = await dir()
    await initConfig(d, { env: {} })
    const cfg = await loadConfig(d, quiet())
    assert.equal(cfg.consensus, 'crdt')
    assert.equal(cfg.ipfsConnector, 'embedded')
    assert.equal(cfg.datastore.kind, 'leveldb')
    assert.equal(cfg.datastore.path, join(d, 'leveldb'))
    assert.equal(cfg.cluster.secret.length, 64)
    assert.deepEqual(cfg.cluster.listenMultiaddress, ['/ip4/0.0.0.0/tcp/9096', '/ip4/0.0.0.0/udp/9096/quic'])
    assert.equal(cfg.cluster.enableRelayHop, true)
    assert.equal(cfg.cluster.disableRepinning, true)
    assert.equal(cfg.cluster.pinRecoverInterval, 720_000)
    assert.equal(cfg.cluster.peerstorePath, join(d, 'peerstore'))
    assert.equal(cfg.crdt.trustAll, true)
    assert.equal(cfg.crdt.rebroadcastInterval, 60_000)
    assert.deepEqual(cfg.restapi.httpListenMultiaddress, ['/ip4/127.0.0.1/tcp/9094'])
    assert.equal(cfg.restapi.basicAuthCredentials, null)
    assert.deepEqual(cfg.pinsvcapi.httpListenMultiaddress, ['/ip4/127.0.0.1/tcp/9097'])
    assert.equal(cfg.ipfsproxy.idleTimeout, 60_000)
    assert.deepEqual(cfg.embedded.swarmListenMultiaddress, ['/ip4/0.0.0.0/tcp/4001'])
    assert.equal(cfg.embedded.repoPath, join(d, 'ipfs'))
    assert.equal(cfg.embedded.storageMax, 10_000_000_000)
    assert.equal(cfg.embedded.unpinTimeout, 10_800_000)
    assert.deepEqual(cfg.balanced.allocateBy, ['tag:group', 'freespace'])
    assert.deepEqual(cfg.tags.tags, { group: 'default' })
    assert.equal(cfg.loaded.restapi, true)
    assert.equal(cfg.loaded.ipfshttp, false)
    assert.equal(cfg.loaded.numpin, false)
    assert.equal(cfg.loaded.raft, false)
    assert.match(cfg.identity.id.toString(), /^12D3KooW/)
    assert.equal(cfg.identity.privateKey.type, 'Ed25519')
  })

  it('round-trips init output exactly (load then render equals the file)', async () => {
    for (const opts of [{}, { consensus: 'raft' as const }, { datastore: 'pebble' as const }, { datastore: 'badger' as const }]) {
      const d = await dir()
      await initConfig(d, { env: {}, ...opts })
      const cfg = await loadConfig(d, quiet())
      assert.equal(render(cfg), await readFile(join(d, 'service.json'), 'utf8'))
    }
  })

  it('renders a Go-written cluster and api section back unchanged', async () => {
    const d = await dir()
    await writeConfig(d, GO_FULL)
    const root = JSON.parse(render(await loadConfig(d, quiet())))
    assert.deepEqual(root.cluster, GO_FULL.cluster)
    assert.deepEqual(root.api, GO_FULL.api)
    assert.deepEqual(root.ipfs_connector, GO_FULL.ipfs_connector)
    assert.deepEqual(root.informer, GO_FULL.informer)
    assert.deepEqual(root.observations, GO_FULL.observations)
  })

  it('returns a frozen configuration', async () => {
    const d = await dir()
    await initConfig(d, { env: {} })
    const cfg = await loadConfig(d, quiet())
    assert.ok(Object.isFrozen(cfg))
    assert.ok(Object.isFrozen(cfg.cluster))
    assert.ok(Object.isFrozen(cfg.cluster.listenMultiaddress))
    assert.throws(() => { (cfg.cluster as any).peername = 'x' }, TypeError)
  })

  it('loads a full Go-written crdt/pebble config with unknown keys', async () => {
    const d = await dir()
    await writeConfig(d, GO_FULL)
    const cfg = await loadConfig(d, quiet())
    assert.equal(cfg.cluster.peername, 'gopeer')
    assert.deepEqual(cfg.cluster.noAnnounceMultiaddress, ['/ip4/10.0.0.0/ipcidr/8'])
    assert.equal(cfg.consensus, 'crdt')
    assert.equal(cfg.ipfsConnector, 'ipfshttp')
    assert.equal(cfg.loaded.embedded, false)
    assert.equal(cfg.ipfshttp.nodeMultiaddress, '/ip4/127.0.0.1/tcp/5001')
    assert.equal(cfg.datastore.kind, 'pebble')
    assert.equal(cfg.datastore.folder, 'pebble')
    assert.equal(cfg.datastore.path, join(d, 'pebble'))
    assert.equal(cfg.datastore.options.max_open_files, 1000)
    assert.equal(cfg.loaded.pinqueue, true)
  })

  it('loads the sharness basic_auth raft config', async () => {
    const d = await dir()
    await writeConfig(d, SHARNESS_BASIC_AUTH, SHARNESS_IDENTITY)
    const cfg = await loadConfig(d, quiet())
    assert.equal(cfg.consensus, 'raft')
    assert.equal(cfg.ipfsConnector, 'ipfshttp')
    assert.equal(cfg.ipfshttp.pinTimeout, 120_000)
    assert.equal(cfg.ipfshttp.repogcTimeout, 86_400_000)
    assert.deepEqual(cfg.ipfsproxy.listenMultiaddress, ['/ip4/127.0.0.1/tcp/9095'])
    assert.equal(cfg.ipfsproxy.readTimeout, 600_000)
    assert.deepEqual(cfg.restapi.basicAuthCredentials, { testuser: 'testpass' })
    assert.equal(cfg.restapi.sslCertFile, '')
    assert.equal(cfg.stateless.maxPinQueueSize, 50000)
    assert.equal(cfg.disk.metricType, 'reposize')
    assert.equal(cfg.loaded.numpin, true)
    assert.equal(cfg.loaded.pinsvcapi, false)
    assert.equal(cfg.loaded.balanced, false)
    assert.equal(cfg.cluster.stateSyncInterval, 60_000)
    assert.equal(cfg.cluster.replicationFactorMin, -1)
    assert.equal(cfg.raft.dataPath, join(d, 'raft'))
    assert.equal(cfg.identity.id.toString(), SHARNESS_IDENTITY.id)
    assert.equal(cfg.identity.privateKey.type, 'RSA')
  })

  it('copies the cluster booleans verbatim (missing → false)', async () => {
    const d = await dir()
    await writeConfig(d, SHARNESS_BASIC_AUTH)
    const cfg = await loadConfig(d, quiet())
    assert.equal(cfg.cluster.disableRepinning, false)
    assert.equal(cfg.cluster.enableRelayHop, false)
    assert.equal(cfg.cluster.leaveOnShutdown, false)
    // absent nested objects keep their defaults
    assert.equal(cfg.cluster.resourceManager.enabled, true)
    assert.equal(cfg.cluster.connectionManager.highWater, 400)
  })

  it('keeps defaults for zero and empty set-if-not-default values', async () => {
    const d = await dir()
    const json = clone(GO_FULL) as any
    json.cluster.replication_factor_min = 0
    json.cluster.replication_factor_max = 0
    json.cluster.peername = ''
    json.cluster.dial_peer_timeout = ''
    json.consensus.crdt.cluster_name = ''
    json.pin_tracker.stateless.concurrent_pins = 0
    json.allocator.balanced.allocate_by = []
    json.api.restapi.max_header_bytes = 0
    json.ipfs_connector.ipfshttp.connect_swarms_delay = '0s'
    await writeConfig(d, json)
    const cfg = await loadConfig(d, quiet())
    assert.equal(cfg.cluster.replicationFactorMin, -1)
    assert.equal(cfg.cluster.replicationFactorMax, -1)
    assert.notEqual(cfg.cluster.peername, '')
    assert.equal(cfg.cluster.dialPeerTimeout, 3000)
    assert.equal(cfg.crdt.clusterName, 'ipfs-cluster')
    assert.equal(cfg.stateless.concurrentPins, 10)
    assert.deepEqual(cfg.balanced.allocateBy, ['tag:group', 'freespace'])
    assert.equal(cfg.restapi.maxHeaderBytes, 4096)
    // a valid "0s" duration is taken (ParseDurations is not set-if-not-default)
    assert.equal(cfg.ipfshttp.connectSwarmsDelay, 0)
  })

  it('parses crdt trusted peers: a list without "*" disables trust-all', async () => {
    const d = await dir()
    const json = clone(GO_FULL) as any
    json.consensus.crdt.trusted_peers = ['12D3KooWRN8KRjpyg9rsW2w7StbBRGper65psTZm68cjud9KAkaW']
    await writeConfig(d, json)
    const cfg = await loadConfig(d, quiet())
    assert.equal(cfg.crdt.trustAll, false)
    assert.deepEqual(cfg.crdt.trustedPeers, ['12D3KooWRN8KRjpyg9rsW2w7StbBRGper65psTZm68cjud9KAkaW'])
  })

  it('prefers the embedded connector when both connectors are present', async () => {
    const d = await dir()
    const json = clone(GO_FULL) as any
    json.ipfs_connector.embedded = { repo_folder: '/var/ipfs', storage_max: '5GB', fetch_concurrency: 8 }
    await writeConfig(d, json)
    const cfg = await loadConfig(d, quiet())
    assert.equal(cfg.ipfsConnector, 'embedded')
    assert.equal(cfg.embedded.repoPath, '/var/ipfs')
    assert.equal(cfg.embedded.storageMax, 5_000_000_000)
    assert.equal(cfg.embedded.fetchConcurrency, 8)
    assert.deepEqual(cfg.embedded.swarmListenMultiaddress, ['/ip4/0.0.0.0/tcp/4001'])
  })

  it('reports every problem of an invalid config at once', async () => {
    const d = await dir()
    const json = clone(GO_FULL) as any
    json.cluster.secret = 'abcd'
    json.cluster.listen_multiaddress = ['not-a-multiaddr']
    json.cluster.connection_manager.low_water = 500
    json.cluster.pin_only_on_trusted_peers = true
    json.cluster.pin_only_on_untrusted_peers = true
    json.cluster.replication_factor_min = 3
    json.cluster.replication_factor_max = 2
    json.api.restapi.read_timeout = 'soon'
    json.api.restapi.basic_auth_credentials = {}
    json.monitor.pubsubmon.check_interval = 'bad'
    json.informer.disk.metric_type = 'weird'
    json.consensus.crdt.trusted_peers = ['XXXinvalid']
    await writeConfig(d, json)
    await assert.rejects(loadConfig(d, quiet()), (err: any) => {
      assert.equal(err.name, 'InvalidConfigError')
      const p: string[] = err.problems
      const expect = [
        'error loading cluster secret from config: input secret is 2 bytes, cluster secret should be 32',
        'cluster.connection_manager.low_water is greater than high_water',
        'cluster.pin_only_on_trusted_peers and pin_only_on_untrusted_peers cannot both be true',
        'cluster.replication_factor_min is larger than max',
        'error parsing restapi.read_timeout: time: invalid duration "soon"',
        'restapi.basic_auth_creds should be null or have at least one entry',
        'pubsubmon.check_interval too low',
        'disk.metric_type is invalid'
      ]
      for (const e of expect) assert.ok(p.includes(e), `missing "${e}" in ${JSON.stringify(p)}`)
      assert.ok(p.some((x) => x.startsWith('error parsing listen_multiaddress: not-a-multiaddr')))
      assert.ok(p.some((x) => x.startsWith('error parsing trusted peers')))
      return true
    })
  })

  it('requires exactly one consensus section', async () => {
    const d = await dir()
    const json = clone(GO_FULL) as any
    json.consensus.raft = {}
    await writeConfig(d, json)
    await assert.rejects(loadConfig(d, quiet()), (err: any) => err.name === 'InvalidConfigError' && err.problems.some((p: string) => p.startsWith('could not determine the consensus component')))
  })

  it('rejects a crdt config with two datastore sections', async () => {
    const d = await dir()
    const json = clone(GO_FULL) as any
    json.datastore.leveldb = {}
    await writeConfig(d, json)
    await assert.rejects(loadConfig(d, quiet()), (err: any) => err.problems.some((p: string) => p.startsWith('unknown datastore')))
  })

  it('resolves a datastore folder relative to the config folder unless absolute', async () => {
    const d = await dir()
    const json = clone(GO_FULL) as any
    json.datastore = { leveldb: { folder: 'data/ldb' } }
    await writeConfig(d, json)
    const cfg = await loadConfig(d, quiet())
    assert.equal(cfg.datastore.path, join(d, 'data/ldb'))
  })

  it('fails clearly without service.json', async () => {
    const d = await dir()
    await assert.rejects(loadConfig(d, quiet()), { name: 'InvalidConfigError' })
  })

  it('writes init output with 2-space indentation and sections in order', async () => {
    const d = await dir()
    await initConfig(d, { env: {} })
    const text = await readFile(join(d, 'service.json'), 'utf8')
    assert.ok(text.startsWith('{\n  "cluster": {\n    "peername"'))
    const root = JSON.parse(text)
    assert.deepEqual(Object.keys(root), ['cluster', 'consensus', 'api', 'ipfs_connector', 'pin_tracker', 'monitor', 'allocator', 'informer', 'observations', 'datastore'])
    assert.deepEqual(Object.keys(root.api), ['ipfsproxy', 'pinsvcapi', 'restapi'])
    assert.deepEqual(Object.keys(root.informer), ['disk', 'pinqueue', 'tags'])
    assert.deepEqual(Object.keys(root.ipfs_connector), ['embedded'])
    assert.deepEqual(Object.keys(root.datastore), ['leveldb'])
    assert.equal(root.datastore.leveldb.folder, undefined)
    assert.equal(root.cluster.follower_mode, undefined)
    assert.equal(root.ipfs_connector.embedded.pin_timeout, '2m0s')
    assert.equal(root.ipfs_connector.embedded.swarm_listen_multiaddress, '/ip4/0.0.0.0/tcp/4001')
  })
})
