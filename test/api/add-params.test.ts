import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { parseAddParams, isKnownHashName } from '../../src/api/common/add-params.js'
import { newPeerId } from './rest/helpers.js'

const q = (s: string): URLSearchParams => new URLSearchParams(s)

describe('add params', () => {
  it('gives the defaults for an empty query (shard-size 0, stream-channels true)', () => {
    const p = parseAddParams(q(''))
    assert.deepEqual(p, {
      pinOptions: {
        name: '', mode: 'recursive', replicationFactorMin: 0, replicationFactorMax: 0, shardSize: 0, userAllocations: undefined,
        expireAt: undefined, metadata: {}, pinUpdate: undefined, origins: undefined
      },
      importOptions: { chunker: 'size-262144', layout: 'balanced', cidVersion: 0, rawLeaves: false, hashFun: 'sha2-256', wrap: false, progress: false },
      local: false,
      noPin: false,
      format: 'unixfs',
      streamChannels: true,
      shard: false,
      shardSize: 0,
      recursive: false,
      hidden: false,
      noCopy: false,
      checkDag: false
    })
  })

  it('parses the canonical query of the Go client', async () => {
    const peer = await newPeerId()
    const p = parseAddParams(q('chunker=rabin-16-32-64&cid-version=1&format=car&hash=SHA2-512&hidden=true&layout=trickle' +
      '&local=true&meta-k=v&mode=recursive&name=nm&no-pin=true&nocopy=true&origins=' + encodeURIComponent(`/ip4/1.2.3.4/tcp/1/p2p/${peer}`) +
      '&progress=true&raw-leaves=false&recursive=true&replication-max=3&replication-min=2&shard=true&shard-size=104857600' +
      `&stream-channels=false&user-allocations=${peer},bad&wrap-with-directory=true&expire-in=1h`))
    assert.equal(p.pinOptions.name, 'nm')
    assert.equal(p.pinOptions.replicationFactorMin, 2)
    assert.equal(p.pinOptions.replicationFactorMax, 3)
    assert.equal(p.pinOptions.shardSize, 104857600)
    assert.deepEqual(p.pinOptions.userAllocations, [peer])
    assert.deepEqual(p.pinOptions.metadata, { k: 'v' })
    assert.deepEqual(p.pinOptions.origins, [`/ip4/1.2.3.4/tcp/1/p2p/${peer}`])
    const expiresIn = (p.pinOptions.expireAt?.getTime() ?? 0) - Date.now()
    assert.ok(expiresIn > 3_590_000 && expiresIn <= 3_600_000, `expireAt ${expiresIn} ms away`)
    assert.deepEqual(p.importOptions, {
      chunker: 'rabin-16-32-64', layout: 'trickle', cidVersion: 1, rawLeaves: false, hashFun: 'sha2-512', wrap: true, progress: true
    })
    assert.equal(p.format, 'car')
    assert.equal(p.local, true)
    assert.equal(p.noPin, true)
    assert.equal(p.streamChannels, false)
    assert.equal(p.shard, true)
    assert.equal(p.shardSize, 104857600)
    assert.equal(p.recursive, true)
    assert.equal(p.hidden, true)
    assert.equal(p.noCopy, true)
  })

  it('parses check-dag (our extension) as a boolean', () => {
    assert.equal(parseAddParams(q('format=car&check-dag=true')).checkDag, true)
    assert.throws(() => parseAddParams(q('check-dag=maybe')), { name: 'InvalidArgumentError', message: 'parameter check-dag invalid' })
  })

  it('lets replication set both factors', () => {
    const p = parseAddParams(q('replication=-1&replication-min=2&replication-max=5'))
    assert.equal(p.pinOptions.replicationFactorMin, -1)
    assert.equal(p.pinOptions.replicationFactorMax, -1)
  })

  it('always pins recursively and never as an update', () => {
    const p = parseAddParams(q('mode=direct&pin-update=QmYjtig7VJQ6XsnUjqqJvj7QaMcCAwtrgNdahSiFofrE7o'))
    assert.equal(p.pinOptions.mode, 'recursive')
    assert.equal(p.pinOptions.pinUpdate, undefined)
  })

  it('takes expire-at over expire-in', () => {
    const p = parseAddParams(q('expire-at=2030-01-02T15:04:05Z&expire-in=1h'))
    assert.equal(p.pinOptions.expireAt?.toISOString(), '2030-01-02T15:04:05.000Z')
  })

  it('turns raw leaves on for CIDv1 unless raw-leaves is given', () => {
    assert.equal(parseAddParams(q('cid-version=1')).importOptions.rawLeaves, true)
    assert.equal(parseAddParams(q('cid-version=1&raw-leaves=')).importOptions.rawLeaves, true)
    assert.equal(parseAddParams(q('cid-version=1&raw-leaves=f')).importOptions.rawLeaves, false)
    assert.equal(parseAddParams(q('cid-version=0&raw-leaves=1')).importOptions.rawLeaves, true)
    assert.equal(parseAddParams(q('cid-version=0')).importOptions.rawLeaves, false)
  })

  it('accepts every Go ParseBool spelling', () => {
    for (const t of ['1', 't', 'T', 'TRUE', 'true', 'True']) assert.equal(parseAddParams(q(`local=${t}`)).local, true, t)
    for (const f of ['0', 'f', 'F', 'FALSE', 'false', 'False']) assert.equal(parseAddParams(q(`stream-channels=${f}`)).streamChannels, false, f)
  })

  it('treats empty values as absent', () => {
    const p = parseAddParams(q('format=&layout=&chunker=&hash=&stream-channels=&cid-version='))
    assert.equal(p.format, 'unixfs')
    assert.equal(p.importOptions.layout, 'balanced')
    assert.equal(p.importOptions.chunker, 'size-262144')
    assert.equal(p.importOptions.hashFun, 'sha2-256')
    assert.equal(p.streamChannels, true)
    assert.equal(p.importOptions.cidVersion, 0)
  })

  it('accepts format unixfs and layout balanced', () => {
    const p = parseAddParams(q('format=unixfs&layout=balanced'))
    assert.equal(p.format, 'unixfs')
    assert.equal(p.importOptions.layout, 'balanced')
  })

  const invalid: Array<[string, string]> = [
    ['layout=flat', 'layout parameter is invalid'],
    ['format=tar', 'format parameter is invalid'],
    ['local=yes', 'parameter local invalid'],
    ['recursive=2', 'parameter recursive invalid'],
    ['hidden=on', 'parameter hidden invalid'],
    ['wrap-with-directory=tRuE', 'parameter wrap-with-directory invalid'],
    ['shard=x', 'parameter shard invalid'],
    ['progress=x', 'parameter progress invalid'],
    ['raw-leaves=x', 'parameter raw-leaves invalid'],
    ['stream-channels=x', 'parameter stream-channels invalid'],
    ['nocopy=x', 'parameter nocopy invalid'],
    ['no-pin=x', 'parameter no-pin invalid'],
    ['cid-version=one', 'parameter cid-version invalid'],
    ['cid-version=99999999999999999999', 'parameter cid-version invalid'],
    ['cid-version=2', 'bad CID Version: unknown CID version: 2'],
    ['cid-version=-1', 'bad CID Version: unknown CID version: -1'],
    ['hash=sha2-1024', 'hash function name not known'],
    ['replication-min=x', 'parameter replication-min invalid'],
    ['shard-size=-1', 'parameter shard_size is invalid'],
    ['expire-in=1ms', 'expire-in duration too short'],
    ['origins=/ip4/1.2.3.4/tcp/1', 'multiaddress does not contain peer ID: protocol not found in multiaddr']
  ]
  for (const [query, message] of invalid) {
    it(`refuses ${query} with "${message}"`, () => {
      assert.throws(() => parseAddParams(q(query)), { name: 'InvalidArgumentError', message })
    })
  }

  it('reports the first error in Go order (layout before booleans before cid-version)', () => {
    assert.throws(() => parseAddParams(q('cid-version=9&local=x&layout=bad')), { message: 'layout parameter is invalid' })
    assert.throws(() => parseAddParams(q('cid-version=9&local=x')), { message: 'parameter local invalid' })
  })

  it('knows multihash names case-insensitively, including the blake2 families', () => {
    for (const name of ['sha2-256', 'SHA2-512', 'Sha3-512', 'blake2b-256', 'blake2s-8', 'identity', 'blake3', 'dbl-sha2-256']) {
      assert.equal(isKnownHashName(name), true, name)
    }
    for (const name of ['sha256', 'blake2b-520', 'blake2s-264', '', 'md4']) {
      assert.equal(isKnownHashName(name), false, name)
    }
    assert.equal(parseAddParams(q('hash=BLAKE2B-256')).importOptions.hashFun, 'blake2b-256')
  })
})
