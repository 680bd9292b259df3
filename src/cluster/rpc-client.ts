/**
 * Typed callers of the cluster's RPC API (the client side of `rpc-api.ts`): each
 * encodes its arguments and decodes the reply with the same codecs as the server.
 * A remote handler's error is rethrown under its own name (see `remoteError`), so
 * `err.name === 'PinNotFoundError'` holds whether the peer is this one or another;
 * transport and policy failures keep their Rpc* names.
 */
import {
  cidFromWire, cidToWire, globalPinInfoFromWire, idFromWire, metricFromWire, pinFromWire, pinInfoFromWire,
  pinToWire
} from '../rpc/codec.js'
import { InvalidArgumentError } from '../interface/errors.js'
import { remoteError } from './errors-rpc.js'
import {
  blockToWire, bytesFromWire, connectGraphFromWire, intFromWire, ipfsIdFromWire, ipfsPinInfoFromWire,
  pinPathToWire, repoGCFromWire, repoStatFromWire, stringsFromWire, versionFromWire
} from './rpc-codec.js'
import type { BlockWithFormat } from '../interface/ipfs-connector.js'
import type {
  ConnectGraph, GlobalPinInfo, ID, IPFSID, IPFSPinInfo, IPFSRepoStat, Metric, PeerIdString, Pin, PinInfo,
  PinOptions, RepoGC
} from '../interface/types.js'
import type { Rpc, RpcCallOptions } from '../rpc/types.js'
import type { CID } from 'multiformats/cid'

type Caller = Pick<Rpc, 'call'>
type Streamer = Pick<Rpc, 'stream'>

async function call<T> (rpc: Caller, peer: string, endpoint: [string, string], arg: unknown,
  options: RpcCallOptions, decode: (v: unknown) => T): Promise<T> {
  try {
    return decode(await rpc.call(peer, endpoint[0], endpoint[1], arg, options))
  } catch (err) {
    throw remoteError(err)
  }
}

async function * stream<T> (rpc: Streamer, peer: string, endpoint: [string, string], args: AsyncIterable<unknown> | undefined,
  options: RpcCallOptions, decode: (v: unknown) => T): AsyncGenerator<T> {
  try {
    for await (const v of rpc.stream(peer, endpoint[0], endpoint[1], args, options)) yield decode(v)
  } catch (err) {
    throw remoteError(err)
  }
}

async function * once (value: unknown): AsyncGenerator<unknown> {
  yield value
}

const nothing = (): void => {}
const peerList = (v: unknown): PeerIdString[] => stringsFromWire(v, 'peers')

// ---- Cluster ----

/** `Cluster.ID` (open): the peer's ID document. */
export async function remoteId (rpc: Caller, peer: string, options: RpcCallOptions = {}): Promise<ID> {
  return await call(rpc, peer, ['Cluster', 'ID'], null, options, idFromWire)
}

/** `Cluster.IDStream` (open): the peer's ID document, as the `Peers()` broadcast asks it. */
export function remoteIdStream (rpc: Streamer, peer: string, options: RpcCallOptions = {}): AsyncGenerator<ID> {
  return stream(rpc, peer, ['Cluster', 'IDStream'], undefined, options, idFromWire)
}

/** `Cluster.Version` (open). */
export async function remoteVersion (rpc: Caller, peer: string, options: RpcCallOptions = {}): Promise<string> {
  return await call(rpc, peer, ['Cluster', 'Version'], null, options, versionFromWire)
}

/** `Cluster.Peers` (trusted): the ID of every peer the remote knows (ConnectGraph). */
export function remotePeers (rpc: Streamer, peer: string, options: RpcCallOptions = {}): AsyncGenerator<ID> {
  return stream(rpc, peer, ['Cluster', 'Peers'], undefined, options, idFromWire)
}

/** `Cluster.PeerAdd` (open): asks `peer` to add `newPeer`; returns the new peer's ID as `peer` sees it. */
export async function remotePeerAdd (rpc: Caller, peer: string, newPeer: PeerIdString, options: RpcCallOptions = {}): Promise<ID> {
  return await call(rpc, peer, ['Cluster', 'PeerAdd'], newPeer, options, idFromWire)
}

/** `Cluster.PeerRemove` (trusted). */
export async function remotePeerRemove (rpc: Caller, peer: string, removed: PeerIdString, options: RpcCallOptions = {}): Promise<void> {
  await call(rpc, peer, ['Cluster', 'PeerRemove'], removed, options, nothing)
}

/** `Cluster.Pin` (closed): the internal pin of a full Pin object; returns it as committed. */
export async function remotePin (rpc: Caller, peer: string, pin: Pin, options: RpcCallOptions = {}): Promise<Pin> {
  return await call(rpc, peer, ['Cluster', 'Pin'], pinToWire(pin), options, pinFromWire)
}

/** `Cluster.Unpin` (closed): returns the pin as it was. */
export async function remoteUnpin (rpc: Caller, peer: string, pin: Pin, options: RpcCallOptions = {}): Promise<Pin> {
  return await call(rpc, peer, ['Cluster', 'Unpin'], pinToWire(pin), options, pinFromWire)
}

/** `Cluster.PinPath` (closed). */
export async function remotePinPath (rpc: Caller, peer: string, path: string, opts: PinOptions, options: RpcCallOptions = {}): Promise<Pin> {
  return await call(rpc, peer, ['Cluster', 'PinPath'], pinPathToWire(path, opts), options, pinFromWire)
}

/** `Cluster.PinGet` (closed). */
export async function remotePinGet (rpc: Caller, peer: string, cid: CID, options: RpcCallOptions = {}): Promise<Pin> {
  return await call(rpc, peer, ['Cluster', 'PinGet'], cidToWire(cid), options, pinFromWire)
}

/** `Cluster.Pins` (closed): the shared pinset. */
export function remotePins (rpc: Streamer, peer: string, options: RpcCallOptions = {}): AsyncGenerator<Pin> {
  return stream(rpc, peer, ['Cluster', 'Pins'], undefined, options, pinFromWire)
}

/** `Cluster.Status` (closed): the cluster-wide status as `peer` computes it. */
export async function remoteClusterStatus (rpc: Caller, peer: string, cid: CID, options: RpcCallOptions = {}): Promise<GlobalPinInfo> {
  return await call(rpc, peer, ['Cluster', 'Status'], cidToWire(cid), options, globalPinInfoFromWire)
}

/** `Cluster.RecoverLocal` (trusted): recovers `cid` on `peer` only. */
export async function remoteRecoverLocal (rpc: Caller, peer: string, cid: CID, options: RpcCallOptions = {}): Promise<PinInfo> {
  return await call(rpc, peer, ['Cluster', 'RecoverLocal'], cidToWire(cid), options, pinInfoFromWire)
}

/** `Cluster.RecoverAllLocal` (trusted): the `RecoverAll` broadcast's call. */
export function remoteRecoverAllLocal (rpc: Streamer, peer: string, options: RpcCallOptions = {}): AsyncGenerator<PinInfo> {
  return stream(rpc, peer, ['Cluster', 'RecoverAllLocal'], undefined, options, pinInfoFromWire)
}

/** `Cluster.RepoGCLocal` (trusted; closed on followers): the `RepoGC` broadcast's call. */
export async function remoteRepoGCLocal (rpc: Caller, peer: string, options: RpcCallOptions = {}): Promise<RepoGC> {
  return await call(rpc, peer, ['Cluster', 'RepoGCLocal'], null, options, repoGCFromWire)
}

/** `Cluster.ConnectGraph` (closed). */
export async function remoteConnectGraph (rpc: Caller, peer: string, options: RpcCallOptions = {}): Promise<ConnectGraph> {
  return await call(rpc, peer, ['Cluster', 'ConnectGraph'], null, options, connectGraphFromWire)
}

/** `Cluster.BlockAllocate` (closed): the peers an add with `opts` sends its blocks to. */
export async function remoteBlockAllocate (rpc: Caller, peer: string, pin: Pin, options: RpcCallOptions = {}): Promise<PeerIdString[]> {
  return await call(rpc, peer, ['Cluster', 'BlockAllocate'], pinToWire(pin), options, peerList)
}

/**
 * `Cluster.IPFSID` (closed): the IPFS identity of `of` as `peer` knows it (its last
 * ping metric; `''` = `peer` itself). Unknown peers give an empty `id`.
 */
export async function remoteIpfsId (rpc: Caller, peer: string, of: PeerIdString = '', options: RpcCallOptions = {}): Promise<IPFSID> {
  return await call(rpc, peer, ['Cluster', 'IPFSID'], of, options, ipfsIdFromWire)
}

// ---- PinTracker ----

/** `PinTracker.Status` (trusted): `peer`'s status of `cid` (the `Status` broadcast's call). */
export async function remoteStatus (rpc: Caller, peer: string, cid: CID, options: RpcCallOptions = {}): Promise<PinInfo> {
  return await call(rpc, peer, ['PinTracker', 'Status'], cidToWire(cid), options, pinInfoFromWire)
}

/** `PinTracker.StatusAll` (trusted): `peer`'s items whose status matches `filter` (bit set, 0 = all). */
export function remoteStatusAll (rpc: Streamer, peer: string, filter: number, options: RpcCallOptions = {}): AsyncGenerator<PinInfo> {
  return stream(rpc, peer, ['PinTracker', 'StatusAll'], once(filter), options, pinInfoFromWire)
}

/** `PinTracker.Recover` (trusted): the `Recover` broadcast's call. */
export async function remoteRecover (rpc: Caller, peer: string, cid: CID, options: RpcCallOptions = {}): Promise<PinInfo> {
  return await call(rpc, peer, ['PinTracker', 'Recover'], cidToWire(cid), options, pinInfoFromWire)
}

/** `PinTracker.PinQueueSize` (closed). */
export async function remotePinQueueSize (rpc: Caller, peer: string, options: RpcCallOptions = {}): Promise<number> {
  return await call(rpc, peer, ['PinTracker', 'PinQueueSize'], null, options, (v) => intFromWire(v, 'queue size'))
}

// ---- IPFSConnector ----

/** `IPFSConnector.PinLs` (closed): `peer`'s IPFS pins of the given types. */
export function remotePinLs (rpc: Streamer, peer: string, types: string[], options: RpcCallOptions = {}): AsyncGenerator<IPFSPinInfo> {
  return stream(rpc, peer, ['IPFSConnector', 'PinLs'], once(types), options, ipfsPinInfoFromWire)
}

/** `IPFSConnector.RepoStat` (trusted). */
export async function remoteRepoStat (rpc: Caller, peer: string, options: RpcCallOptions = {}): Promise<IPFSRepoStat> {
  return await call(rpc, peer, ['IPFSConnector', 'RepoStat'], null, options, repoStatFromWire)
}

/** `IPFSConnector.SwarmPeers` (trusted): the peers `peer`'s IPFS node is connected to. */
export async function remoteSwarmPeers (rpc: Caller, peer: string, options: RpcCallOptions = {}): Promise<PeerIdString[]> {
  return await call(rpc, peer, ['IPFSConnector', 'SwarmPeers'], null, options, peerList)
}

/** `IPFSConnector.BlockGet` (closed). */
export async function remoteBlockGet (rpc: Caller, peer: string, cid: CID, options: RpcCallOptions = {}): Promise<Uint8Array> {
  return await call(rpc, peer, ['IPFSConnector', 'BlockGet'], cidToWire(cid), options, (v) => bytesFromWire(v, 'block'))
}

/** `IPFSConnector.Resolve` (closed). */
export async function remoteResolve (rpc: Caller, peer: string, path: string, options: RpcCallOptions = {}): Promise<CID> {
  return await call(rpc, peer, ['IPFSConnector', 'Resolve'], path, options, cidFromWire)
}

/**
 * `IPFSConnector.BlockStream` (trusted): stores `blocks` on `peer`, in order; resolves
 * once the peer has stored them all. The remote verifies each block against its CID.
 */
export async function remoteBlockStream (rpc: Streamer, peer: string, blocks: AsyncIterable<BlockWithFormat>, options: RpcCallOptions = {}): Promise<void> {
  async function * wire (): AsyncGenerator<unknown> {
    for await (const b of blocks) yield blockToWire(b)
  }
  for await (const _ of stream(rpc, peer, ['IPFSConnector', 'BlockStream'], wire(), options, nothing)) { /* no replies */ }
}

// ---- Consensus (Raft leader redirects) ----

/** `Consensus.LogPin` (trusted). */
export async function remoteLogPin (rpc: Caller, peer: string, pin: Pin, options: RpcCallOptions = {}): Promise<void> {
  await call(rpc, peer, ['Consensus', 'LogPin'], pinToWire(pin), options, nothing)
}

/** `Consensus.LogUnpin` (trusted). */
export async function remoteLogUnpin (rpc: Caller, peer: string, pin: Pin, options: RpcCallOptions = {}): Promise<void> {
  await call(rpc, peer, ['Consensus', 'LogUnpin'], pinToWire(pin), options, nothing)
}

/** `Consensus.AddPeer` (trusted). */
export async function remoteAddPeer (rpc: Caller, peer: string, added: PeerIdString, options: RpcCallOptions = {}): Promise<void> {
  await call(rpc, peer, ['Consensus', 'AddPeer'], added, options, nothing)
}

/** `Consensus.RmPeer` (trusted). */
export async function remoteRmPeer (rpc: Caller, peer: string, removed: PeerIdString, options: RpcCallOptions = {}): Promise<void> {
  await call(rpc, peer, ['Consensus', 'RmPeer'], removed, options, nothing)
}

// ---- PeerMonitor ----

/** `PeerMonitor.LatestMetrics` (closed): the latest valid metric of every peer for `name`. */
export async function remoteLatestMetrics (rpc: Caller, peer: string, name: string, options: RpcCallOptions = {}): Promise<Metric[]> {
  return await call(rpc, peer, ['PeerMonitor', 'LatestMetrics'], name, options, (v) => {
    if (!Array.isArray(v)) throw new InvalidArgumentError('rpc: metrics must be a list')
    return v.map(metricFromWire)
  })
}
