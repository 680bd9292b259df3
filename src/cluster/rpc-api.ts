/**
 * The server side of the cluster's peer-to-peer RPC API (Go `rpc_api.go`, spec
 * consensus §6): a handler for each of the 55 endpoints of the policy table, each
 * decoding its argument, delegating to the local component and encoding the reply
 * with `rpc/codec.ts` and `rpc-codec.ts`. `rpc-client.ts` holds the matching callers.
 */
import {
  cidFromWire, cidToWire, globalPinInfoToWire, idToWire, metricToWire, peerFromWire, pinFromWire,
  pinInfoToWire, pinToWire
} from '../rpc/codec.js'
import { DEFAULT_POLICY } from '../rpc/policy.js'
import { InvalidArgumentError, InvalidConfigError } from '../interface/errors.js'
import { NotSupportedError } from './errors-rpc.js'
import {
  alertToWire, bandwidthToWire, blockFromWire, connectGraphToWire, globalRepoGCToWire, intFromWire,
  ipfsIdToWire, ipfsPinInfoToWire, pinPathFromWire, repoGCToWire, repoStatToWire, stringFromWire,
  stringsFromWire, versionToWire
} from './rpc-codec.js'
import type { ClusterAPI } from '../interface/cluster.js'
import type { Consensus } from '../interface/consensus.js'
import type { BlockWithFormat, IPFSConnector } from '../interface/ipfs-connector.js'
import type { PeerMonitor } from '../interface/peer-monitor.js'
import type { PinTracker } from '../interface/pin-tracker.js'
import type { AbortOptions } from '../interface/startable.js'
import type { ID, IPFSID, Metric, PeerIdString, PinInfo, PinOptions } from '../interface/types.js'
import type { Rpc, RpcContext } from '../rpc/types.js'
import type { ComponentLogger, Logger } from '@libp2p/interface'

/**
 * The cluster as the RPC API needs it: the public API plus the operations only RPC
 * reaches. The optional ones are answered with NotSupportedError when absent.
 */
export interface RpcApiCluster extends ClusterAPI {
  /** `Cluster.BlockAllocate`: the peers an add sends its blocks to. */
  blockAllocate?: (opts: PinOptions, options?: AbortOptions) => Promise<PeerIdString[]>
  /** `Cluster.SendInformerMetrics` / `SendInformersMetrics`: publish every informer's metrics now. */
  sendInformersMetrics?: (options?: AbortOptions) => Promise<void>
  /** The cached IPFS identity of this peer (`Cluster.IPFSID` for self). */
  localIPFS?: () => { id: string, addresses: string[] }
  /** `Cluster.Join`: joins the cluster through the peer at a multiaddress (with /p2p/). */
  join?: (addr: string, options?: AbortOptions) => Promise<void>
  /** `Cluster.PeersWithFilter`: the ID documents of the given peers (asking each). */
  peersWithFilter?: (peers: PeerIdString[], options?: AbortOptions) => AsyncGenerator<ID>
}

/** What the RPC API delegates to: the local components. */
export interface RpcApiComponents {
  cluster: RpcApiCluster
  tracker: PinTracker
  ipfs: IPFSConnector
  consensus: Consensus
  monitor: PeerMonitor
  /** This peer's ID, for `Cluster.IPFSID`. @default the caller's ID of in-process calls */
  peerId?: PeerIdString
  logger: ComponentLogger
}

/** A failure of `PinTracker.Recover` in process: Go returns the status along with the error. */
export interface RecoverFailure extends Error {
  /** The item's status after the failed recover, when it could be read. */
  pinInfo?: PinInfo
}

type Unary = (arg: unknown, ctx: RpcContext) => Promise<unknown>
type Streaming = (args: AsyncIterable<unknown>, ctx: RpcContext) => AsyncIterable<unknown>

/** The handlers of one service, by method name. */
interface Service {
  name: string
  unary: Record<string, Unary>
  streaming: Record<string, Streaming>
}

const opts = (ctx: RpcContext): AbortOptions => ({ signal: ctx.signal })

/** The first argument of a streaming call, undefined when the caller sent none. */
async function first (args: AsyncIterable<unknown>): Promise<{ value: unknown } | undefined> {
  for await (const value of args) return { value }
  return undefined
}

/** A status filter: the first argument; none is 0 (all), as Go's read from a closed channel. */
async function filterOf (args: AsyncIterable<unknown>): Promise<number> {
  const f = await first(args)
  return f == null || f.value == null ? 0 : intFromWire(f.value, 'status filter')
}

function unsupported (endpoint: string, what: string): NotSupportedError {
  return new NotSupportedError(`${endpoint}: this peer has no ${what} operation`)
}

/** Go `pingValueFromMetric`: the IPFS identity a peer announces in its ping metric. */
function ipfsIdFromPing (m: Metric | undefined, log: Logger): IPFSID {
  const id: IPFSID = { id: '', addresses: undefined, error: '' }
  if (m == null || m.value === '') return id
  try {
    const v = JSON.parse(m.value)
    if (typeof v?.ipfs_id === 'string') id.id = v.ipfs_id
    if (Array.isArray(v?.ipfs_addresses)) id.addresses = v.ipfs_addresses.map(String)
  } catch (err: any) {
    log('bad ping value from %s: %s', m.peer, err.message)
  }
  return id
}

function clusterService (c: RpcApiComponents, log: Logger): Service {
  return {
    name: 'Cluster',
    unary: {
      ID: async (_, ctx) => idToWire(await c.cluster.id(opts(ctx))),
      // the internal pin: any type, preset allocations (the adder sends meta and shard pins)
      Pin: async (arg, ctx) => pinToWire(await c.cluster.pinObject(pinFromWire(arg), opts(ctx))),
      Unpin: async (arg, ctx) => pinToWire(await c.cluster.unpin(pinFromWire(arg).cid, opts(ctx))),
      PinPath: async (arg, ctx) => {
        const { path, opts: pinOpts } = pinPathFromWire(arg)
        return pinToWire(await c.cluster.pinPath(path, pinOpts, opts(ctx)))
      },
      UnpinPath: async (arg, ctx) => pinToWire(await c.cluster.unpinPath(pinPathFromWire(arg).path, opts(ctx))),
      PinGet: async (arg, ctx) => pinToWire(await c.cluster.pinGet(cidFromWire(arg), opts(ctx))),
      Version: async () => versionToWire(c.cluster.version()),
      PeerAdd: async (arg, ctx) => idToWire(await c.cluster.peerAdd(peerFromWire(arg), opts(ctx))),
      ConnectGraph: async (_, ctx) => connectGraphToWire(await c.cluster.connectGraph(opts(ctx))),
      PeerRemove: async (arg, ctx) => {
        await c.cluster.peerRemove(peerFromWire(arg), opts(ctx))
        return null
      },
      Join: async (arg, ctx) => {
        const { cluster } = c
        if (cluster.join == null) throw unsupported('Cluster.Join', 'join')
        await cluster.join(stringFromWire(arg, 'multiaddress'), opts(ctx))
        return null
      },
      Status: async (arg, ctx) => globalPinInfoToWire(await c.cluster.status(cidFromWire(arg), opts(ctx))),
      StatusLocal: async (arg, ctx) => pinInfoToWire(await c.cluster.statusLocal(cidFromWire(arg), opts(ctx))),
      Recover: async (arg, ctx) => globalPinInfoToWire(await c.cluster.recover(cidFromWire(arg), opts(ctx))),
      RecoverLocal: async (arg, ctx) => pinInfoToWire(await c.cluster.recoverLocal(cidFromWire(arg), opts(ctx))),
      BlockAllocate: async (arg, ctx) => {
        const { cluster } = c
        if (cluster.blockAllocate == null) throw unsupported('Cluster.BlockAllocate', 'block allocation')
        return await cluster.blockAllocate(pinFromWire(arg), opts(ctx))
      },
      RepoGC: async (_, ctx) => globalRepoGCToWire(await c.cluster.repoGC(opts(ctx))),
      RepoGCLocal: async (_, ctx) => repoGCToWire(await c.cluster.repoGCLocal(opts(ctx))),
      // Go serves both names with the same function
      SendInformerMetrics: async (_, ctx) => await sendMetrics(c, 'Cluster.SendInformerMetrics', ctx),
      SendInformersMetrics: async (_, ctx) => await sendMetrics(c, 'Cluster.SendInformersMetrics', ctx),
      Alerts: async (_, ctx) => (await c.cluster.alerts(opts(ctx))).map(alertToWire),
      BandwidthByProtocol: async (_, ctx) => bandwidthToWire(await c.cluster.bandwidthByProtocol(opts(ctx))),
      IPFSID: async (arg, ctx) => {
        const peer = arg == null ? '' : peerFromWire(arg)
        const self = c.peerId ?? (ctx.local ? ctx.peer : '')
        const { cluster } = c
        if ((peer === '' || peer === self) && cluster.localIPFS != null) {
          const local = cluster.localIPFS()
          if (local.id !== '') return ipfsIdToWire({ id: local.id, addresses: local.addresses, error: '' })
        }
        return ipfsIdToWire(ipfsIdFromPing(c.monitor.latestForPeer('ping', peer === '' ? self : peer), log))
      }
    },
    streaming: {
      IDStream: async function * (_, ctx) { yield idToWire(await c.cluster.id(opts(ctx))) },
      Pins: async function * (_, ctx) {
        for await (const pin of c.cluster.pins(opts(ctx))) yield pinToWire(pin)
      },
      Peers: async function * (_, ctx) {
        for await (const id of c.cluster.peers(opts(ctx))) yield idToWire(id)
      },
      PeersWithFilter: async function * (args, ctx) {
        const { cluster } = c
        if (cluster.peersWithFilter == null) throw unsupported('Cluster.PeersWithFilter', 'peers-with-filter')
        const f = await first(args)
        // no argument: no peers, as Go's read from a closed channel
        const peers = f == null || f.value == null ? [] : stringsFromWire(f.value, 'peers')
        for await (const id of cluster.peersWithFilter(peers, opts(ctx))) yield idToWire(id)
      },
      StatusAll: async function * (args, ctx) {
        const filter = await filterOf(args)
        for await (const g of c.cluster.statusAll(filter, opts(ctx))) yield globalPinInfoToWire(g)
      },
      StatusAllLocal: async function * (args, ctx) {
        const filter = await filterOf(args)
        for await (const p of c.cluster.statusAllLocal(filter, opts(ctx))) yield pinInfoToWire(p)
      },
      RecoverAll: async function * (_, ctx) {
        for await (const g of c.cluster.recoverAll(opts(ctx))) yield globalPinInfoToWire(g)
      },
      RecoverAllLocal: async function * (_, ctx) {
        for await (const p of c.cluster.recoverAllLocal(opts(ctx))) yield pinInfoToWire(p)
      }
    }
  }
}

async function sendMetrics (c: RpcApiComponents, endpoint: string, ctx: RpcContext): Promise<null> {
  const { cluster } = c
  if (cluster.sendInformersMetrics == null) throw unsupported(endpoint, 'send-informers-metrics')
  await cluster.sendInformersMetrics(opts(ctx))
  return null
}

function trackerService (c: RpcApiComponents): Service {
  return {
    name: 'PinTracker',
    unary: {
      Track: async (arg, ctx) => {
        await c.tracker.track(pinFromWire(arg), opts(ctx))
        return null
      },
      Untrack: async (arg, ctx) => {
        await c.tracker.untrack(pinFromWire(arg).cid, opts(ctx))
        return null
      },
      Status: async (arg, ctx) => pinInfoToWire(await c.tracker.status(cidFromWire(arg), opts(ctx))),
      Recover: async (arg, ctx) => {
        const cid = cidFromWire(arg)
        try {
          return pinInfoToWire(await c.tracker.recover(cid, opts(ctx)))
        } catch (err) {
          // Go returns the status together with the error. Only the error crosses the
          // wire (gorpc sends no reply with a failure); in-process callers also get the status.
          if (err instanceof Error && Object.isExtensible(err)) {
            const pinInfo = await c.tracker.status(cid, opts(ctx)).catch(() => undefined)
            if (pinInfo != null) Object.defineProperty(err, 'pinInfo', { value: pinInfo, configurable: true })
          }
          throw err
        }
      },
      PinQueueSize: async (_, ctx) => await c.tracker.pinQueueSize(opts(ctx))
    },
    streaming: {
      StatusAll: async function * (args, ctx) {
        const filter = await filterOf(args)
        for await (const p of c.tracker.statusAll(filter, opts(ctx))) yield pinInfoToWire(p)
      },
      RecoverAll: async function * (_, ctx) {
        for await (const p of c.tracker.recoverAll(opts(ctx))) yield pinInfoToWire(p)
      }
    }
  }
}

async function * blocksFromWire (args: AsyncIterable<unknown>): AsyncGenerator<BlockWithFormat> {
  for await (const b of args) yield blockFromWire(b)
}

function ipfsService (c: RpcApiComponents): Service {
  return {
    name: 'IPFSConnector',
    unary: {
      Pin: async (arg, ctx) => {
        await c.ipfs.pin(pinFromWire(arg), opts(ctx))
        return null
      },
      Unpin: async (arg, ctx) => {
        await c.ipfs.unpin(pinFromWire(arg).cid, opts(ctx))
        return null
      },
      PinLsCid: async (arg, ctx) => await c.ipfs.pinLsCid(pinFromWire(arg), opts(ctx)),
      ConfigKey: async (arg, ctx) => (await c.ipfs.configKey(stringFromWire(arg, 'config key'), opts(ctx))) ?? null,
      RepoStat: async (_, ctx) => repoStatToWire(await c.ipfs.repoStat(opts(ctx))),
      SwarmPeers: async (_, ctx) => await c.ipfs.swarmPeers(opts(ctx)),
      BlockGet: async (arg, ctx) => await c.ipfs.blockGet(cidFromWire(arg), opts(ctx)),
      Resolve: async (arg, ctx) => cidToWire(await c.ipfs.resolve(stringFromWire(arg, 'path'), opts(ctx)))
    },
    streaming: {
      PinLs: async function * (args, ctx) {
        const f = await first(args)
        if (f == null) throw new InvalidArgumentError('no pinType provided for pin/ls')
        const types = typeof f.value === 'string' ? [f.value] : stringsFromWire(f.value, 'pin types')
        for await (const p of c.ipfs.pinLs(types, opts(ctx))) yield ipfsPinInfoToWire(p)
      },
      // blocks from another peer: verified against their CIDs (never hashedInProcess)
      BlockStream: async function * (args, ctx) {
        await c.ipfs.blockStream(blocksFromWire(args), opts(ctx))
      }
    }
  }
}

function consensusService (c: RpcApiComponents): Service {
  return {
    name: 'Consensus',
    unary: {
      LogPin: async (arg, ctx) => {
        await c.consensus.logPin(pinFromWire(arg), opts(ctx))
        return null
      },
      LogUnpin: async (arg, ctx) => {
        await c.consensus.logUnpin(pinFromWire(arg), opts(ctx))
        return null
      },
      AddPeer: async (arg, ctx) => {
        await c.consensus.addPeer(peerFromWire(arg), opts(ctx))
        return null
      },
      RmPeer: async (arg, ctx) => {
        await c.consensus.rmPeer(peerFromWire(arg), opts(ctx))
        return null
      },
      Peers: async (_, ctx) => await c.consensus.peers(opts(ctx))
    },
    streaming: {}
  }
}

function monitorService (c: RpcApiComponents): Service {
  return {
    name: 'PeerMonitor',
    unary: {
      LatestMetrics: async (arg, ctx) => (await c.monitor.latestMetrics(stringFromWire(arg, 'metric name'), opts(ctx))).map(metricToWire),
      MetricNames: async (_, ctx) => await c.monitor.metricNames(opts(ctx))
    },
    streaming: {}
  }
}

/**
 * Registers a handler for every endpoint of the policy table on `rpc`. Handlers read
 * `components` at each call, so a component's methods may be replaced later. Throws
 * InvalidConfigError when a policy endpoint has no handler or one of the wrong kind
 * (a programming error), before registering anything.
 */
export function registerRpcApi (rpc: Pick<Rpc, 'register'>, components: RpcApiComponents): void {
  const log = components.logger.forComponent('cluster:rpcapi')
  const services = [clusterService(components, log), trackerService(components), ipfsService(components),
    consensusService(components), monitorService(components)]
  const kinds = new Map<string, boolean>()
  for (const s of services) {
    for (const m of Object.keys(s.unary)) kinds.set(`${s.name}.${m}`, false)
    for (const m of Object.keys(s.streaming)) kinds.set(`${s.name}.${m}`, true)
  }
  const problems: string[] = []
  for (const [name, endpoint] of Object.entries(DEFAULT_POLICY)) {
    const streaming = kinds.get(name)
    if (streaming == null) problems.push(`rpc api: no handler for ${name}`)
    else if (streaming !== endpoint.streaming) problems.push(`rpc api: ${name} must be ${endpoint.streaming ? 'streaming' : 'unary'}`)
  }
  for (const name of kinds.keys()) {
    if (!Object.hasOwn(DEFAULT_POLICY, name)) problems.push(`rpc api: ${name} is not in the policy table`)
  }
  if (problems.length > 0) throw new InvalidConfigError(problems)
  for (const s of services) {
    for (const [m, h] of Object.entries(s.unary)) rpc.register(s.name, m, h)
    for (const [m, h] of Object.entries(s.streaming)) rpc.register(s.name, m, h)
  }
}
