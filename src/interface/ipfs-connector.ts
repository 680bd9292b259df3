import type { AbortOptions, Startable } from './startable.js'
import type { IPFSID, IPFSPinInfo, IPFSPinStatus, IPFSRepoGC, IPFSRepoStat, Pin } from './types.js'
import type { CID } from 'multiformats/cid'

/** A block to store through `blockStream` (adder). */
export interface BlockWithFormat {
  cid: CID
  data: Uint8Array
}

/** Options of `blockStream`. */
export interface BlockStreamOptions extends AbortOptions {
  /**
   * Every block's CID was computed from its bytes by the caller, in this process (the
   * adder's UnixFS importer hashes each node it builds): the connector need not hash the
   * blocks again. Never set it for bytes that came from elsewhere (a CAR upload, a client,
   * another peer): those are verified against their CIDs.
   * @default false
   */
  hashedInProcess?: boolean
}

/**
 * The IPFS connector (Go `IPFSConnector`, spec pinning-internals §12).
 * Implementations: `embedded` (Helia in-process, default) and later `ipfshttp` (Kubo RPC).
 */
export interface IPFSConnector extends Startable {
  /** The IPFS node's peer ID and addresses. Throws IPFSError when unreachable. */
  id: (options?: AbortOptions) => Promise<IPFSID>
  /**
   * Pins `pin.cid` with the depth given by `pin.maxDepth` (-1 recursive, 0 direct).
   * Fetches missing blocks; aborts when no block arrives for `pin_timeout`.
   * If `pin.pinUpdate` is set and pinned recursively, pins by update. Idempotent.
   */
  pin: (pin: Pin, options?: AbortOptions) => Promise<void>
  /** Unpins. A CID that is not pinned is success. */
  unpin: (cid: CID, options?: AbortOptions) => Promise<void>
  /** Pin status of one CID for the pin's depth: 'recursive' | 'direct' | 'indirect' | 'unpinned'. */
  pinLsCid: (pin: Pin, options?: AbortOptions) => Promise<IPFSPinStatus>
  /**
   * The root pin type of each of `cids`, in order: 'recursive', 'direct' or 'unpinned'
   * (indirect pins are 'unpinned'), as Kubo's `pin ls --type=recursive,direct <cid>…`.
   * The tracker's statusAll asks page by page instead of holding a set of every IPFS pin,
   * so its memory does not grow with the pinset.
   */
  pinLsCids: (cids: CID[], options?: AbortOptions) => Promise<IPFSPinStatus[]>
  /** Streams every pin whose type is in `typeFilters` ('recursive', 'direct', 'indirect', 'all'). */
  pinLs: (typeFilters: string[], options?: AbortOptions) => AsyncGenerator<IPFSPinInfo>
  /** Connects the IPFS node to the given multiaddrs (best effort). */
  connectSwarms: (addrs: string[], options?: AbortOptions) => Promise<void>
  /** Peer IDs the IPFS node is connected to. */
  swarmPeers: (options?: AbortOptions) => Promise<string[]>
  /** A value of the IPFS configuration (`A/B`), e.g. `Datastore/StorageMax`. */
  configKey: (key: string, options?: AbortOptions) => Promise<unknown>
  repoStat: (options?: AbortOptions) => Promise<IPFSRepoStat>
  /** Garbage-collects unpinned blocks, streaming each removed key. */
  repoGC: (options?: AbortOptions) => AsyncGenerator<IPFSRepoGC>
  /** Resolves an `/ipfs/…`, `/ipns/…` or `/ipld/…` path to the CID it points to. */
  resolve: (path: string, options?: AbortOptions) => Promise<CID>
  /** Stores blocks (verifying each against its CID unless `options.hashedInProcess`). */
  blockStream: (blocks: AsyncIterable<BlockWithFormat>, options?: BlockStreamOptions) => Promise<void>
  /**
   * A block's bytes. With `offline: true` only the local blockstore is read and a missing
   * block throws BlockNotFoundError; otherwise the network may be asked.
   */
  blockGet: (cid: CID, options?: BlockGetOptions) => Promise<Uint8Array>
}

/** Options of `blockGet`. */
export interface BlockGetOptions extends AbortOptions {
  /** Read the local blockstore only. @default false */
  offline?: boolean
}
