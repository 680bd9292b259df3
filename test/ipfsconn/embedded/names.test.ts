import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { after, afterEach, describe, it } from 'node:test'
import { ipns } from '@helia/ipns'
import { dns, RecordType } from '@multiformats/dns'
import { base58btc } from 'multiformats/bases/base58'
import { embeddedConnector } from '../../../src/ipfsconn/embedded/index.js'
import { silentLogger } from '../../../src/util/logger.js'
import { buildUnixfs, each, pinOf } from '../../compliance/ipfs-connector.js'
import type { EmbeddedConnectorInit, EmbeddedIPFSConnector } from '../../../src/ipfsconn/embedded/index.js'
import type { DNS, DNSResponse } from '@multiformats/dns'
import type { CID } from 'multiformats/cid'

const repos: string[] = []
const running: EmbeddedIPFSConnector[] = []

async function startNode (init: Partial<EmbeddedConnectorInit> = {}): Promise<EmbeddedIPFSConnector> {
  const repoPath = await fs.mkdtemp(path.join(os.tmpdir(), 'ipfs-names-'))
  repos.push(repoPath)
  const c = embeddedConnector({ repoPath, swarmListen: ['/ip4/127.0.0.1/tcp/0'], ...init })({ logger: silentLogger() })
  await c.start()
  running.push(c)
  return c
}

/** A DNS whose only records are `txt` (name → TXT strings); every other name does not exist. */
function fakeDns (txt: Record<string, string[]>): DNS {
  return dns({
    resolvers: {
      '.': async (domain): Promise<DNSResponse> => {
        const records = txt[domain]
        if (records == null) throw Object.assign(new Error(`queryTxt ENOTFOUND ${domain}`), { code: 'ENOTFOUND' })
        return {
          Status: 0, TC: false, RD: true, RA: true, AD: false, CD: false,
          Question: [{ name: domain, type: RecordType.TXT }],
          Answer: records.map((data) => ({ name: domain, type: RecordType.TXT, TTL: 60, data }))
        }
      }
    }
  })
}

/** A directory holding `dir/file.txt`, stored on `node`; returns the CIDs. */
async function storeSite (node: EmbeddedIPFSConnector): Promise<{ root: CID, dir: CID, file: CID }> {
  const dag = await buildUnixfs([{ path: 'site/dir/file.txt', content: randomBytes(2000) }])
  await node.blockStream(each(dag.blocks))
  const get = (p: string): CID => dag.entries.get(p) as CID
  return { root: get('site'), dir: get('site/dir'), file: get('site/dir/file.txt') }
}

/** Waits (bounded) until each node's DHT routing table holds a peer. */
async function dhtReady (...nodes: EmbeddedIPFSConnector[]): Promise<void> {
  const deadline = Date.now() + 10_000
  const size = (n: EmbeddedIPFSConnector): number => (n.helia?.libp2p.services.dht as { routingTable?: { size: number } } | undefined)?.routingTable?.size ?? 0
  while (nodes.some((n) => size(n) === 0)) {
    if (Date.now() > deadline) throw new Error('DHT routing tables stayed empty')
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

async function connect (a: EmbeddedIPFSConnector, b: EmbeddedIPFSConnector): Promise<void> {
  await a.connectSwarms((await b.id()).addresses ?? [])
  await dhtReady(a, b)
}

function sameContent (a: CID, b: CID): boolean {
  return a.toV1().equals(b.toV1())
}

describe('embedded IPFS connector: /ipns/ names', () => {
  afterEach(async () => {
    await Promise.all(running.splice(0).map(async (c) => { await c.stop() }))
  })
  after(async () => {
    await Promise.all(repos.map(async (r) => { await fs.rm(r, { recursive: true, force: true }) }))
  })

  it('resolves a record the node published itself, as a libp2p-key CID or a peer ID, and the path below it', async () => {
    const a = await startNode()
    const site = await storeSite(a)
    const { name, publicKey } = await ipns(a.helia!).publish('site', site.root)
    assert.ok(sameContent(await a.resolve(`${name}/dir/file.txt`), site.file))
    // the same key as a peer ID (base58btc multihash, "12D3KooW…")
    const peerId = base58btc.baseEncode(publicKey.toMultihash().bytes)
    assert.match(peerId, /^12D3KooW/)
    assert.ok(sameContent(await a.resolve(`/ipns/${peerId}/dir`), site.dir))
    assert.ok(sameContent(await a.resolve(name), site.root))
  })

  it('resolves a record published by a connected node over the DHT', async () => {
    const a = await startNode()
    const b = await startNode()
    const site = await storeSite(b)
    // offline: the record stays in b's store, so a has to ask b for it
    const { name } = await ipns(b.helia!).publish('site', site.root, { offline: true })
    await assert.rejects(a.resolve(name), { name: 'NameResolutionError' })
    await connect(a, b)
    const resolved = await a.resolve(`${name}/dir/file.txt`)
    assert.ok(sameContent(resolved, site.file))
    // the content itself comes over bitswap as usual
    await a.pin(pinOf(resolved))
  })

  it('stores the records a connected node publishes, so they resolve after it leaves', async () => {
    const a = await startNode()
    const b = await startNode()
    await connect(a, b)
    const site = await storeSite(b)
    const { name } = await ipns(b.helia!).publish('site', site.root)
    await b.stop()
    assert.ok(sameContent(await a.resolve(name), site.root))
  })

  it('resolves DNSLink names from DNS TXT records, at _dnslink.<domain> or the domain itself', async () => {
    const txt: Record<string, string[]> = {}
    const a = await startNode({ dns: fakeDns(txt) })
    const s = await storeSite(a)
    txt['_dnslink.example.com'] = [`dnslink=/ipfs/${s.root}/dir`, 'v=spf1 -all']
    txt['bare.example.org'] = [`"dnslink=/ipfs/${s.root}"`]
    txt['_dnslink.slash.example.org'] = [`dnslink=/ipfs/${s.root}/dir/`]
    assert.ok(sameContent(await a.resolve('/ipns/example.com/file.txt'), s.file))
    assert.ok(sameContent(await a.resolve('/ipns/bare.example.org/dir'), s.dir))
    assert.ok(sameContent(await a.resolve('/ipns/slash.example.org/'), s.dir))
    assert.ok(sameContent(await a.resolve('/ipns/Example.COM./file.txt'), s.file))
  })

  it('follows IPNS and DNSLink chains, keeping the path at each step', async () => {
    const txt: Record<string, string[]> = {}
    const a = await startNode({ dns: fakeDns(txt) })
    const s = await storeSite(a)
    const name = ipns(a.helia!)
    const first = await name.publish('first', s.root)
    const second = await name.publish('second', `${first.name}/dir`)
    txt['_dnslink.example.net'] = [`dnslink=${second.name}`]
    txt['_dnslink.www.example.net'] = ['dnslink=/ipns/example.net']
    assert.ok(sameContent(await a.resolve(`${second.name}/file.txt`), s.file))
    assert.ok(sameContent(await a.resolve('/ipns/www.example.net/file.txt'), s.file))
  })

  it('gives up after 32 names with a recursion error', async () => {
    const a = await startNode({ dns: fakeDns({ '_dnslink.a.example': ['dnslink=/ipns/b.example'], '_dnslink.b.example': ['dnslink=/ipns/a.example'] }) })
    await assert.rejects(a.resolve('/ipns/a.example/x'), { name: 'NameResolutionError', message: /recursion limit/ })
  })

  it('fails with NameResolutionError for unknown names, non-names and domains without one DNSLink', async () => {
    const txt: Record<string, string[]> = { 'nolink.example.com': ['v=spf1 -all'] }
    const a = await startNode({ dns: fakeDns(txt) })
    const s = await storeSite(a)
    txt['_dnslink.two.example.com'] = [`dnslink=/ipfs/${s.root}`, `dnslink=/ipfs/${s.dir}`]
    await assert.rejects(a.resolve('/ipns/k51qzi5uqu5dlvj2baxnqndepeb86cbk3ng7n3i46uzyxzyqj2xjonzllnv0v8'),
      { name: 'NameResolutionError', message: /could not resolve name "k51qzi5uqu5dlvj2baxnqndepeb86cbk3ng7n3i46uzyxzyqj2xjonzllnv0v8": no IPNS record found .* DHT \(0 DHT peers connected\)/ })
    await assert.rejects(a.resolve('/ipns/not_a_name'), { name: 'NameResolutionError', message: /not a peer ID, libp2p-key CID or domain name/ })
    await assert.rejects(a.resolve('/ipns/nolink.example.com'), { name: 'NameResolutionError', message: /DNSLink lookup failed/ })
    await assert.rejects(a.resolve('/ipns/two.example.com'), { name: 'NameResolutionError', message: /more than one path/ })
    // a dag-pb CID is content, not a key
    await assert.rejects(a.resolve('/ipns/bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi'), { name: 'NameResolutionError' })
  })

  it('honours ipfs_request_timeout and the caller\'s abort signal', async () => {
    // a DNS server that never answers and ignores cancellation
    const hang = dns({ resolvers: { '.': async () => await new Promise<DNSResponse>(() => {}) } })
    const a = await startNode({ dns: hang, ipfsRequestTimeout: 200 })
    const t0 = Date.now()
    await assert.rejects(a.resolve('/ipns/slow.example.com'), { name: 'IPFSError', message: /^resolve \/ipns\/slow\.example\.com: timed out$/ })
    assert.ok(Date.now() - t0 < 5_000)
    const b = await startNode({ dns: hang, ipfsRequestTimeout: 0 })
    const reason = new Error('caller gave up')
    const ctl = new AbortController()
    setTimeout(() => { ctl.abort(reason) }, 50)
    await assert.rejects(b.resolve('/ipns/slow.example.com', { signal: ctl.signal }), (err) => err === reason)
  })

  it('with routing "none": no DHT, records from the local store only', async () => {
    const a = await startNode({ routing: 'none' })
    assert.equal(a.helia?.libp2p.services.dht, undefined)
    assert.equal(await a.configKey('Routing/Type'), 'none')
    const s = await storeSite(a)
    const { name } = await ipns(a.helia!).publish('site', s.root)
    assert.ok(sameContent(await a.resolve(name), s.root))
    await assert.rejects(a.resolve('/ipns/k51qzi5uqu5dlvj2baxnqndepeb86cbk3ng7n3i46uzyxzyqj2xjonzllnv0v8'),
      { name: 'NameResolutionError', message: /routing is "none"/ })
  })

  it('keeps the DHT out of content routing: pinning neither searches for providers nor announces blocks', async () => {
    const a = await startNode()
    const b = await startNode()
    assert.equal(await a.configKey('Routing/Type'), 'dht')
    await connect(a, b)
    const calls: string[] = []
    for (const node of [a, b]) {
      const dht = node.helia!.libp2p.services.dht as any
      for (const method of ['findProviders', 'provide']) {
        const original = dht[method]
        dht[method] = (...args: unknown[]) => { calls.push(method); return original(...args) }
      }
      const routing = node.helia!.routing
      const provide = routing.provide.bind(routing)
      routing.provide = async (...args) => { calls.push('helia.provide'); await provide(...args) }
    }
    const dag = await buildUnixfs([{ path: 'big', content: randomBytes(600_000) }], 65_536)
    await b.blockStream(each(dag.blocks))
    await a.pin(pinOf(dag.root))
    assert.equal(await a.pinLsCid(pinOf(dag.root)), 'recursive')
    assert.deepEqual(calls, [])
  })
})
