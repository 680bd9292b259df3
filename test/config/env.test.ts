import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { initConfig, loadConfig, envName } from '../../src/config/index.js'
import { GO_FULL } from './fixtures.js'
import { quiet, tempDirsPerTest, writeConfig } from './helpers.js'

const dir = tempDirsPerTest()

describe('environment overrides', () => {
  it('builds Go variable names from JSON keys', () => {
    assert.equal(envName('CLUSTER_RESTAPI', 'http_listen_multiaddress'), 'CLUSTER_RESTAPI_HTTPLISTENMULTIADDRESS')
    assert.equal(envName('CLUSTER_CONNECTIONMANAGER', 'high_water'), 'CLUSTER_CONNECTIONMANAGER_HIGHWATER')
  })

  it('overrides strings, numbers, durations, booleans, lists and maps', async () => {
    const d = await dir()
    await writeConfig(d, GO_FULL)
    const cfg = await loadConfig(d, quiet({
      CLUSTER_PEERNAME: 'envpeer',
      CLUSTER_CONNECTIONMANAGER_HIGHWATER: '800',
      CLUSTER_PUBSUB_DFACTOR: '2',
      CLUSTER_MDNSINTERVAL: '0s',
      CLUSTER_FOLLOWERMODE: 'true',
      CLUSTER_CRDT_CLUSTERNAME: 'other',
      CLUSTER_CRDT_BATCHING_MAXBATCHSIZE: '100',
      CLUSTER_CRDT_BATCHING_MAXBATCHAGE: '1m',
      CLUSTER_CRDT_TRUSTEDPEERS: '12D3KooWRN8KRjpyg9rsW2w7StbBRGper65psTZm68cjud9KAkaW',
      CLUSTER_RESTAPI_HTTPLISTENMULTIADDRESS: '/ip4/127.0.0.1/tcp/1111,/ip4/127.0.0.1/tcp/2222',
      CLUSTER_RESTAPI_BASICAUTHCREDENTIALS: 'user:pass,u2:p2',
      CLUSTER_RESTAPI_READTIMEOUT: '45s',
      CLUSTER_BALANCED_ALLOCATEBY: 'a,b,c',
      CLUSTER_TAGS_TAGS: 'z:q,y:w',
      CLUSTER_DISK_METRICTTL: '22s',
      CLUSTER_IPFSHTTP_NODEMULTIADDRESS: '/ip4/127.0.0.1/tcp/5555',
      CLUSTER_EMBEDDED_STORAGEMAX: '20GB',
      CLUSTER_EMBEDDED_FETCHCONCURRENCY: '4',
      CLUSTER_PEBBLE_FOLDER: 'pb'
    }))
    assert.equal(cfg.cluster.peername, 'envpeer')
    assert.equal(cfg.cluster.connectionManager.highWater, 800)
    assert.equal(cfg.cluster.pubsub.dFactor, 2)
    assert.equal(cfg.cluster.mdnsInterval, 0)
    assert.equal(cfg.cluster.followerMode, true)
    assert.equal(cfg.crdt.clusterName, 'other')
    assert.equal(cfg.crdt.batching.maxBatchSize, 100)
    assert.equal(cfg.crdt.batching.maxBatchAge, 60_000)
    assert.equal(cfg.crdt.trustAll, false)
    assert.deepEqual(cfg.restapi.httpListenMultiaddress, ['/ip4/127.0.0.1/tcp/1111', '/ip4/127.0.0.1/tcp/2222'])
    assert.deepEqual(cfg.restapi.basicAuthCredentials, { user: 'pass', u2: 'p2' })
    assert.equal(cfg.restapi.readTimeout, 45_000)
    assert.deepEqual(cfg.balanced.allocateBy, ['a', 'b', 'c'])
    assert.deepEqual(cfg.tags.tags, { z: 'q', y: 'w' })
    assert.equal(cfg.disk.metricTtl, 22_000)
    assert.equal(cfg.ipfshttp.nodeMultiaddress, '/ip4/127.0.0.1/tcp/5555')
    assert.equal(cfg.embedded.storageMax, 20_000_000_000)
    assert.equal(cfg.embedded.fetchConcurrency, 4)
    assert.equal(cfg.datastore.folder, 'pb')
  })

  it('keeps the current value when a set-if-not-default variable is 0', async () => {
    const d = await dir()
    await writeConfig(d, GO_FULL)
    const cfg = await loadConfig(d, quiet({ CLUSTER_REPLICATIONFACTORMIN: '0', CLUSTER_STATELESS_CONCURRENTPINS: '0' }))
    assert.equal(cfg.cluster.replicationFactorMin, -1)
    assert.equal(cfg.stateless.concurrentPins, 10)
  })

  it('overrides the secret and reports a bad one', async () => {
    const d = await dir()
    await writeConfig(d, GO_FULL)
    const cfg = await loadConfig(d, quiet({ CLUSTER_SECRET: 'b'.repeat(64) }))
    assert.equal(cfg.cluster.secret, 'b'.repeat(64))
    await assert.rejects(loadConfig(d, quiet({ CLUSTER_SECRET: 'abab' })), (err: any) =>
      err.name === 'InvalidConfigError' && err.problems.includes('error loading cluster secret from config: input secret is 2 bytes, cluster secret should be 32'))
  })

  it('reports unparsable numbers', async () => {
    const d = await dir()
    await writeConfig(d, GO_FULL)
    await assert.rejects(loadConfig(d, quiet({ CLUSTER_CONNECTIONMANAGER_LOWWATER: 'lots' })), (err: any) =>
      err.problems.some((p: string) => p.includes('CLUSTER_CONNECTIONMANAGER_LOWWATER')))
  })

  it('is applied by init before saving (CLUSTER_SECRET)', async () => {
    const d = await dir()
    await initConfig(d, { env: { CLUSTER_SECRET: 'c'.repeat(64), CLUSTER_RESTAPI_HTTPLISTENMULTIADDRESS: '/ip4/127.0.0.1/tcp/7777' } })
    const cfg = await loadConfig(d, quiet())
    assert.equal(cfg.cluster.secret, 'c'.repeat(64))
    assert.deepEqual(cfg.restapi.httpListenMultiaddress, ['/ip4/127.0.0.1/tcp/7777'])
  })
})
