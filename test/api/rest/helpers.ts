/** Test helpers for the REST API: a fake in-memory ClusterAPI, CIDs, peer IDs, a raw HTTP client. */
import { request as httpRequest } from 'node:http'
import { request as httpsRequest } from 'node:https'
import type { IncomingHttpHeaders } from 'node:http'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { PinNotFoundError } from '../../../src/interface/errors.js'
import type { ClusterAPI } from '../../../src/interface/cluster.js'
import type { AbortOptions } from '../../../src/interface/startable.js'
import type { GlobalPinInfo, ID, Pin, PinInfo, PinOptions } from '../../../src/interface/types.js'
import { pinToJson } from '../../../src/api/common/codec.js'
import { pinWithOpts } from '../../../src/api/common/pin.js'
import { goJson } from '../../../src/util/gojson.js'

/** A CIDv1 raw of `text`. */
export async function cidOf (text: string): Promise<CID> {
  return CID.create(1, raw.code, await sha256.digest(new TextEncoder().encode(text)))
}

/** A fresh ed25519 peer ID string. */
export async function newPeerId (): Promise<string> {
  return peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString()
}

/** One recorded call of the fake. */
export interface Call { method: string, args: unknown[] }

/** An in-memory ClusterAPI whose methods tests may replace. */
export class FakeCluster implements ClusterAPI {
  pinset = new Map<string, Pin>()
  calls: Call[] = []
  self: string
  constructor (self: string) { this.self = self }

  private record (method: string, ...args: unknown[]): void { this.calls.push({ method, args }) }
  lastCall (method: string): Call | undefined { return this.calls.filter((c) => c.method === method).at(-1) }

  idObj (id = this.self): ID {
    return {
      id, addresses: [`/ip4/127.0.0.1/tcp/9096/p2p/${id}`], clusterPeers: [this.self], clusterPeersAddresses: [],
      version: '1.1.6', commit: '', rpcProtocolVersion: '/ipfscluster/1.0/rpc', error: '',
      ipfs: { id: '', addresses: null as unknown as undefined, error: '' }, peerName: 'peer-a'
    }
  }

  pinInfo (pin: Pin): PinInfo {
    return {
      cid: pin.cid, name: pin.name, peer: this.self, allocations: pin.allocations, origins: pin.origins ?? [],
      created: pin.timestamp, metadata: pin.metadata, peerName: 'peer-a', ipfsPeerId: '', ipfsPeerAddresses: [],
      status: 'pinned', timestamp: new Date(Date.UTC(2024, 4, 1)), error: '', attemptCount: 0, priorityPin: false
    }
  }

  gpi (pin: Pin): GlobalPinInfo {
    const p = this.pinInfo(pin)
    return {
      cid: p.cid, name: p.name, allocations: p.allocations, origins: p.origins, created: p.created, metadata: p.metadata,
      peerMap: new Map([[this.self, p]])
    }
  }

  async id (): Promise<ID> { return this.idObj() }
  version (): string { return '1.1.6' }
  async * peers (): AsyncGenerator<ID> { yield this.idObj() }
  async peerAdd (peer: string): Promise<ID> { this.record('peerAdd', peer); return this.idObj(peer) }
  async peerRemove (peer: string): Promise<void> { this.record('peerRemove', peer) }
  async * pins (): AsyncGenerator<Pin> { yield * this.pinset.values() }
  async * pinsJson (options: AbortOptions = {}): AsyncGenerator<{ type: Pin['type'], json: string }> {
    this.record('pinsJson', options)
    for (const p of this.pinset.values()) yield { type: p.type, json: goJson(pinToJson(p, { stored: true })) }
  }

  async pinGet (cid: CID): Promise<Pin> {
    const p = this.pinset.get(cid.toString())
    if (p == null) throw new PinNotFoundError()
    return p
  }

  async pin (cid: CID, opts: PinOptions): Promise<Pin> { return await this.pinObject(pinWithOpts(cid, opts)) }
  async pinObject (pin: Pin): Promise<Pin> {
    this.record('pinObject', pin)
    this.pinset.set(pin.cid.toString(), pin)
    return pin
  }

  async pinPath (path: string, opts: PinOptions): Promise<Pin> {
    this.record('pinPath', path, opts)
    const cid = CID.parse(path.split('/')[2])
    return await this.pinObject(pinWithOpts(cid, opts))
  }

  async unpin (cid: CID): Promise<Pin> {
    this.record('unpin', cid)
    const p = await this.pinGet(cid)
    this.pinset.delete(cid.toString())
    return p
  }

  async unpinPath (path: string): Promise<Pin> {
    this.record('unpinPath', path)
    return await this.unpin(CID.parse(path.split('/')[2]))
  }

  async * statusAll (filter: number): AsyncGenerator<GlobalPinInfo> {
    this.record('statusAll', filter)
    for (const p of this.pinset.values()) yield this.gpi(p)
  }

  async * statusAllLocal (filter: number): AsyncGenerator<PinInfo> {
    this.record('statusAllLocal', filter)
    for (const p of this.pinset.values()) yield this.pinInfo(p)
  }

  async status (cid: CID): Promise<GlobalPinInfo> { this.record('status', cid); return this.gpi(await this.pinGet(cid)) }
  async statusLocal (cid: CID): Promise<PinInfo> { this.record('statusLocal', cid); return this.pinInfo(await this.pinGet(cid)) }
  async * recoverAll (): AsyncGenerator<GlobalPinInfo> { this.record('recoverAll'); for (const p of this.pinset.values()) yield this.gpi(p) }
  async * recoverAllLocal (): AsyncGenerator<PinInfo> { this.record('recoverAllLocal'); for (const p of this.pinset.values()) yield this.pinInfo(p) }
  async recover (cid: CID): Promise<GlobalPinInfo> { this.record('recover', cid); return this.gpi(await this.pinGet(cid)) }
  async recoverLocal (cid: CID): Promise<PinInfo> { this.record('recoverLocal', cid); return this.pinInfo(await this.pinGet(cid)) }
  async repoGC (): Promise<{ peerMap: Map<string, any> }> {
    this.record('repoGC')
    return { peerMap: new Map([[this.self, { peer: this.self, peerName: 'peer-a', keys: [], error: '' }]]) }
  }

  async repoGCLocal (): Promise<any> {
    this.record('repoGCLocal')
    return { peer: this.self, peerName: 'peer-a', keys: [{ key: undefined, error: 'x' }], error: '' }
  }

  async connectGraph (): Promise<any> {
    return {
      clusterId: this.self, idToPeerName: new Map([[this.self, 'peer-a']]), ipfsLinks: new Map(), clusterLinks: new Map([[this.self, []]]),
      clusterTrustLinks: new Map([[this.self, true]]), clusterToIpfs: new Map()
    }
  }

  async alerts (): Promise<any[]> { return [] }
  async bandwidthByProtocol (): Promise<any> { return new Map([['/p', { totalIn: 1n, totalOut: 2n, rateIn: 0.5, rateOut: 1 }]]) }
  async latestMetrics (name: string): Promise<any[]> {
    return [{ name, peer: this.self, value: '1', expire: 1714550430123456789n, valid: true, weight: 1n, partitionable: false, receivedAt: 1714550400123456789n }]
  }

  async metricNames (): Promise<string[]> { return ['freespace', 'ping'] }
}

/** A complete HTTP exchange as seen by a client that reads trailers. */
export interface Exchange {
  status: number
  headers: IncomingHttpHeaders
  rawHeaders: string[]
  body: string
  trailers: NodeJS.Dict<string>
  rawTrailers: string[]
}

/** Options of `call`. */
export interface CallOptions {
  headers?: Record<string, string | string[]>
  body?: string
  https?: boolean
  ca?: Buffer
  socketPath?: string
}

/** Splits a `/ip4/<host>/tcp/<port>` multiaddr. */
export function hostPort (ma: string): { host: string, port: number } {
  const parts = ma.split('/')
  return { host: parts[2], port: Number(parts[4]) }
}

/** One request against `ma` (the server's multiaddr). */
export async function call (ma: string, method: string, path: string, opts: CallOptions = {}): Promise<Exchange> {
  const request = opts.https === true ? httpsRequest : httpRequest
  const target = opts.socketPath != null ? { socketPath: opts.socketPath } : hostPort(ma)
  return await new Promise((resolve, reject) => {
    const req = request({ ...target, method, path, headers: opts.headers, ca: opts.ca, agent: false }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (d: string) => { body += d })
      res.on('end', () => {
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          rawHeaders: res.rawHeaders,
          body,
          trailers: res.trailers,
          rawTrailers: res.rawTrailers
        })
      })
      res.on('error', reject)
    })
    req.on('error', reject)
    if (opts.body != null) req.write(opts.body)
    req.end()
  })
}

/** All values of a raw header/trailer list with that (case-insensitive) name. */
export function values (rawList: string[], name: string): string[] {
  const out: string[] = []
  for (let i = 0; i < rawList.length; i += 2) if (rawList[i].toLowerCase() === name.toLowerCase()) out.push(rawList[i + 1])
  return out
}

/** The JSON lines of an NDJSON body. */
export function ndjson (body: string): any[] {
  return body.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l))
}

/** A started REST API on 127.0.0.1 with a fake cluster. */
export interface Harness {
  api: import('../../../src/api/rest/index.js').RestApiService
  cluster: FakeCluster
  ma: string
}

/** Starts the API on a random port with `init` over the test defaults. */
export async function startApi (init: import('../../../src/api/rest/index.js').RestApiInit = {}, cluster?: FakeCluster, extra: { configDir?: string, add?: import('../../../src/api/rest/index.js').RestAddHandler } = {}): Promise<Harness> {
  const { restApi } = await import('../../../src/api/rest/index.js')
  const { silentLogger } = await import('../../../src/util/logger.js')
  const c = cluster ?? new FakeCluster(await newPeerId())
  const api = restApi({ httpListenMultiaddress: ['/ip4/127.0.0.1/tcp/0'], ...init })({ cluster: c, logger: silentLogger(), ...extra })
  await api.start()
  return { api, cluster: c, ma: api.addresses()[0] }
}
