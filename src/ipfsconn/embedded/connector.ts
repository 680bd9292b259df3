/**
 * The embedded IPFS connector: an in-process Helia node doing what the Go connector asks
 * Kubo to do (spec pinning-internals §12).
 */
import path from 'node:path'
import { multiaddr } from '@multiformats/multiaddr'
import { walkPath } from 'ipfs-unixfs-exporter'
import { parseCid } from '../../api/common/cid.js'
import { BlockNotFoundError, IPFSError } from '../../interface/errors.js'
import { configLookup, configView } from './config-view.js'
import { DATASTORE_FOLDER, MAX_ORIGINS } from './constants.js'
import { multihashKey, walkDag } from './dag-walk.js'
import { NotStartedError, PinTimeoutError, UnpinDisabledError } from './errors.js'
import { concat, drain, heliaDepth, isPinnedAt, timeoutSignal, verifyBlock, withTimeout } from './helpers.js'
import { localLinks } from './local-links.js'
import { localWalker } from './local-walker.js'
import { startNode } from './node.js'
import { pinRootPages } from './pin-listing.js'
import { isInlineLeaf } from './pin-records.js'
import { createRWLock } from './rw-lock.js'
import { folderSize } from './sized-blockstore.js'
import type { EmbeddedHelia, EmbeddedNode } from './node.js'
import type { LocalLinks } from './local-links.js'
import type { PinRecord } from './pin-records.js'
import type { BlockGetOptions, BlockStreamOptions, BlockWithFormat, IPFSConnector } from '../../interface/ipfs-connector.js'
import type { AbortOptions } from '../../interface/startable.js'
import type { IPFSID, IPFSPinInfo, IPFSPinStatus, IPFSRepoGC, IPFSRepoStat, Pin } from '../../interface/types.js'
import type { EmbeddedRouting } from './routing.js'
import type { ComponentLogger, Logger, PrivateKey } from '@libp2p/interface'
import type { DNS } from '@multiformats/dns'
import type { CID } from 'multiformats/cid'

/** Resolved settings (every default applied). */
export interface EmbeddedSettings {
  repoPath: string
  swarmListen: string[]
  announce: string[]
  privateKey?: PrivateKey
  ipfsRequestTimeout: number
  pinTimeout: number
  unpinTimeout: number
  repoGCTimeout: number
  storageMax: number
  fetchConcurrency: number
  unpinDisable: boolean
  informerTriggerInterval: number
  routing: EmbeddedRouting
  dns?: DNS
}

export interface EmbeddedComponents {
  logger: ComponentLogger
  /** Called every `informerTriggerInterval`-th pin start/end, block stream end or GC end. */
  triggerInformers?: () => void | Promise<void>
}

/** How long the datastore folder's measured size is reused by `repoStat`. */
const DATASTORE_SIZE_TTL = 5_000
const PIN_TYPES = new Set(['recursive', 'direct', 'indirect'])
/** The identity multihash: the "hash" is the block itself. */
const IDENTITY_CODE = 0x00

export class EmbeddedConnector implements IPFSConnector {
  private readonly log: Logger
  private readonly settings: EmbeddedSettings
  private readonly components: EmbeddedComponents
  private node: EmbeddedNode | undefined
  private starting: Promise<void> | undefined
  private stopping: Promise<void> | undefined
  private readonly lock = createRWLock()
  private datastoreSize = { bytes: 0, at: -Infinity }
  private triggerCount = 0

  constructor (components: EmbeddedComponents, settings: EmbeddedSettings) {
    this.components = components
    this.settings = settings
    this.log = components.logger.forComponent('cluster:ipfsembedded')
  }

  /** The running Helia node (undefined when stopped). For tests and the IPFS proxy. */
  get helia (): EmbeddedHelia | undefined {
    return this.node?.helia
  }

  async start (): Promise<void> {
    if (this.stopping != null) await this.stopping
    if (this.node != null) return
    if (this.starting == null) {
      this.starting = (async () => {
        this.node = await startNode({
          repoPath: this.settings.repoPath,
          swarmListen: this.settings.swarmListen,
          announce: this.settings.announce,
          privateKey: this.settings.privateKey,
          logger: this.components.logger,
          routing: this.settings.routing,
          dns: this.settings.dns
        })
        this.log('embedded IPFS node %p started, listening on %s', this.node.helia.libp2p.peerId,
          this.node.helia.libp2p.getMultiaddrs().map(String).join(', '))
      })().finally(() => { this.starting = undefined })
    }
    await this.starting
  }

  async stop (): Promise<void> {
    if (this.starting != null) await this.starting.catch(() => {})
    if (this.stopping != null) return this.stopping
    const node = this.node
    if (node == null) return
    this.stopping = (async () => {
      this.node = undefined
      // collect every failure, never stop early (STYLE §5)
      const errors: unknown[] = []
      await node.records.idle()
      await node.helia.stop().catch((err) => { errors.push(err) })
      await node.blockstore.close().catch((err) => { errors.push(err) })
      await node.datastore.close().catch((err) => { errors.push(err) })
      if (errors.length > 0) {
        throw new IPFSError(`stopping the embedded IPFS node: ${errors.map((e: any) => e?.message ?? String(e)).join('; ')}`, { cause: errors[0] })
      }
    })().finally(() => { this.stopping = undefined })
    return this.stopping
  }

  private running (): EmbeddedNode {
    if (this.node == null) throw new NotStartedError()
    return this.node
  }

  /** Rethrows the caller's abort reason as is; wraps anything else as IPFSError. */
  private failure (op: string, err: any, callerSignal?: AbortSignal): Error {
    if (callerSignal?.aborted === true) {
      return callerSignal.reason instanceof Error ? callerSignal.reason : new IPFSError(`${op}: aborted`, { cause: err })
    }
    if (err instanceof IPFSError) return err
    const msg = err?.name === 'TimeoutError' ? 'timed out' : (err?.message ?? String(err))
    return new IPFSError(`${op}: ${msg}`, { cause: err })
  }

  private trigger (): void {
    const n = this.settings.informerTriggerInterval
    if (n <= 0 || this.components.triggerInformers == null) return
    this.triggerCount++
    if (this.triggerCount % n !== 0) return
    Promise.resolve(this.components.triggerInformers()).catch((err) => {
      this.log.error('triggering informer metrics: %e', err)
    })
  }

  async id (_options: AbortOptions = {}): Promise<IPFSID> {
    const { helia } = this.running()
    const id = helia.libp2p.peerId.toString()
    const addresses = helia.libp2p.getMultiaddrs().map((ma) => {
      const s = ma.toString()
      return s.includes('/p2p/') ? s : `${s}/p2p/${id}`
    })
    return { id, addresses, error: '' }
  }

  async pin (pin: Pin, options: AbortOptions = {}): Promise<void> {
    const node = this.running()
    const { helia } = node
    let status: IPFSPinStatus
    try {
      options.signal?.throwIfAborted()
      // only the root's own record matters here: "indirect" is not pinned (spec §12.2)
      status = rootStatus(node.records.get(pin.cid), pin.maxDepth)
    } catch (err) {
      throw this.failure(`pin ls ${pin.cid}`, err, options.signal)
    }
    if (isPinnedAt(status, pin.maxDepth)) {
      this.log('%c already pinned (%s)', pin.cid, status)
      return
    }
    this.trigger()
    if (isInlineLeaf(pin.cid)) {
      // the content is the CID itself: no block to fetch, no origin worth dialling
      try {
        await this.recordInline(node, pin.cid, heliaDepth(pin.maxDepth))
      } catch (err) {
        throw this.failure(`pin ${pin.cid}`, err, options.signal)
      } finally {
        this.trigger()
      }
      this.log('pinned %c', pin.cid)
      return
    }
    const origins = new AbortController()
    this.connectOrigins(pin.origins ?? [], origins.signal)
    const release = await this.lock.readLock()
    // as the Go connector: no absolute timeout, only "no new block for pinTimeout"
    const watchdog = new AbortController()
    const timeoutMs = this.settings.pinTimeout
    const timer = timeoutMs > 0
      ? setTimeout(() => {
        watchdog.abort(new PinTimeoutError(`pin ${pin.cid} timed out waiting for blocks: no new block received in ${timeoutMs}ms`))
      }, timeoutMs)
      : undefined
    const signal = options.signal != null ? AbortSignal.any([options.signal, watchdog.signal]) : watchdog.signal
    try {
      this.log('pinning %c (max depth %d)', pin.cid, pin.maxDepth)
      await walkDag(pin.cid, {
        maxDepth: pin.maxDepth,
        concurrency: this.settings.fetchConcurrency,
        getBlock: async (cid, opts) => this.fetchBlock(cid, opts.signal),
        localLinks: this.localLinks(),
        getCodec: helia.getCodec,
        onBlock: () => { timer?.refresh() },
        signal
      })
      clearTimeout(timer)
      signal.throwIfAborted()
      await this.recordPin(helia, pin.cid, heliaDepth(pin.maxDepth))
      this.log('pinned %c', pin.cid)
    } catch (err: any) {
      if (watchdog.signal.aborted && options.signal?.aborted !== true) throw watchdog.signal.reason
      throw this.failure(`pin ${pin.cid}`, err, options.signal)
    } finally {
      clearTimeout(timer)
      origins.abort()
      release()
      this.trigger()
    }
  }

  /**
   * A block from the blockstore or bitswap, or from a local put that lands while we wait
   * (bitswap does not answer its own pending wants from local puts).
   */
  private async fetchBlock (cid: CID, signal: AbortSignal): Promise<Uint8Array> {
    const { helia, blockstore } = this.running()
    const done = new AbortController()
    const both = AbortSignal.any([signal, done.signal])
    try {
      const local = blockstore.waitFor(cid, both).then(async () => concat(blockstore.get(cid, { signal })))
      return await Promise.race([local, concat(helia.blockstore.get(cid, { signal: both }))])
    } finally {
      done.abort()
    }
  }

  /** Links of local blocks, reading as little of each as possible (local-links.ts). */
  private localLinks (): LocalLinks {
    const { helia, blockstore } = this.running()
    return localLinks(blockstore, helia.getCodec)
  }

  /** Records the pin in Helia once its blocks are local; replaces a pin of another depth. */
  private async recordPin (helia: EmbeddedHelia, cid: CID, depth: number): Promise<void> {
    const existing = this.running().records.get(cid)
    if (existing != null) {
      if (existing.depth === depth) return
      await drain(helia.pins.rm(cid, { walker: localWalker(this.localLinks()) }))
    }
    // no signal: the walk is local, and an abort half-way would leave Helia's block counts wrong
    await drain(helia.pins.add(cid, { depth, walker: localWalker(this.localLinks()), metadata: { cid: cid.toString() } }))
  }

  /**
   * Records the pin of an inline leaf (identity raw CID). Helia's `pins.add` would also
   * write a pinned-block count for it, which protects nothing (the block is never
   * stored); only the pin record is written, in Helia's format. A leaf that Helia
   * already counts under its own root (recorded by `pins.add`) stays with Helia's way.
   */
  private async recordInline (node: EmbeddedNode, cid: CID, depth: number): Promise<void> {
    const existing = node.records.get(cid)
    if (existing?.depth === depth) return
    if (existing != null && node.records.blockPinnedBy(cid, cid)) {
      await this.recordPin(node.helia, cid, depth)
      return
    }
    await node.records.put(cid, { depth, metadata: { cid: cid.toString() } })
  }

  /** Dials up to 10 origins in the background; failures only logged (as the Go connector). */
  private connectOrigins (origins: string[], signal: AbortSignal): void {
    const { helia } = this.running()
    for (const o of origins.slice(0, MAX_ORIGINS)) {
      let ma
      try {
        ma = multiaddr(o)
      } catch {
        continue
      }
      if (ma.getComponents().find((c) => c.name === 'p2p')?.value === helia.libp2p.peerId.toString()) continue
      helia.libp2p.dial(ma, { signal }).catch((err) => { this.log('could not connect to origin %s: %e', o, err) })
    }
  }

  async unpin (cid: CID, options: AbortOptions = {}): Promise<void> {
    if (this.settings.unpinDisable) throw new UnpinDisabledError()
    const node = this.running()
    const { helia, records } = node
    try {
      options.signal?.throwIfAborted()
      // an inline leaf pinned by recordInline has only its pin record (see there)
      if (isInlineLeaf(cid) && !records.blockPinnedBy(cid, cid)) {
        if (records.get(cid) == null) return
        await records.delete(cid)
        this.log('unpinned %c', cid)
        return
      }
    } catch (err) {
      throw this.failure(`unpin ${cid}`, err, options.signal)
    }
    // a timer cleared when done: AbortSignal.timeout would keep every unpin's signal
    // and timer alive for the whole unpin timeout (hours)
    const { signal, clear } = timeoutSignal(options.signal, this.settings.unpinTimeout)
    const release = await this.lock.readLock()
    try {
      signal?.throwIfAborted()
      if (records.get(cid) == null) return // as Kubo's "not pinned or pinned indirectly": success
      await drain(helia.pins.rm(cid, { walker: localWalker(this.localLinks()) }))
      this.log('unpinned %c', cid)
    } catch (err) {
      throw this.failure(`unpin ${cid}`, err, options.signal)
    } finally {
      clear()
      release()
    }
  }

  async pinLsCid (pin: Pin, options: AbortOptions = {}): Promise<IPFSPinStatus> {
    const { records } = this.running()
    try {
      options.signal?.throwIfAborted()
      // synchronous point reads of Helia's records (see pin-records.ts): no timeout needed
      const stored = records.get(pin.cid)
      if (stored != null) return rootStatus(stored, pin.maxDepth)
      return records.isPinnedBlock(pin.cid) ? 'indirect' : 'unpinned'
    } catch (err) {
      throw this.failure(`pin ls ${pin.cid}`, err, options.signal)
    }
  }

  async pinLsCids (cids: CID[], options: AbortOptions = {}): Promise<IPFSPinStatus[]> {
    const { records } = this.running()
    try {
      options.signal?.throwIfAborted()
      return records.rootTypes(cids)
    } catch (err) {
      throw this.failure(`pin ls of ${cids.length} CIDs`, err, options.signal)
    }
  }

  async * pinLs (typeFilters: string[], options: AbortOptions = {}): AsyncGenerator<IPFSPinInfo> {
    const { helia, blockstore, datastore } = this.running()
    const types = new Set<string>()
    for (const f of typeFilters) {
      if (f === 'all' || f === '') {
        for (const t of PIN_TYPES) types.add(t)
      } else if (PIN_TYPES.has(f)) {
        types.add(f)
      } else {
        throw new IPFSError(`invalid type '${f}', must be one of {direct, indirect, recursive, all}`)
      }
    }
    if (types.size === 0) for (const t of PIN_TYPES) types.add(t)
    const signal = withTimeout(options.signal, this.settings.ipfsRequestTimeout)
    const wantIndirect = types.has('indirect')
    const roots = new Set<string>()
    const recursive: Array<{ cid: CID, depth: number }> = []
    try {
      for await (const page of pinRootPages(datastore.db, signal)) {
        for (const { cid, depth } of page) {
          const type = depth === 0 ? 'direct' : 'recursive'
          if (wantIndirect) {
            roots.add(multihashKey(cid))
            if (type === 'recursive') recursive.push({ cid, depth })
          }
          if (types.has(type)) yield { cid, type }
        }
      }
      if (!wantIndirect) return
      // indirect pins: every block below a recursive pin that is not itself a pin root
      const visited = new Map<string, number>()
      for (const root of recursive) {
        const found: CID[] = []
        await walkDag(root.cid, {
          maxDepth: root.depth === Infinity ? -1 : root.depth,
          concurrency: this.settings.fetchConcurrency,
          getBlock: async (cid, opts) => concat(blockstore.get(cid, opts)),
          localLinks: this.localLinks(),
          getCodec: helia.getCodec,
          visited,
          onBlock: (cid) => { if (!roots.has(multihashKey(cid))) found.push(cid) },
          signal
        })
        for (const cid of found) yield { cid, type: 'indirect' }
      }
    } catch (err) {
      throw this.failure('pin ls', err, options.signal)
    }
  }

  async connectSwarms (addrs: string[], options: AbortOptions = {}): Promise<void> {
    const { helia } = this.running()
    const signal = withTimeout(options.signal, this.settings.ipfsRequestTimeout)
    const self = helia.libp2p.peerId.toString()
    await Promise.all(addrs.map(async (a) => {
      try {
        const ma = multiaddr(a)
        if (ma.getComponents().find((c) => c.name === 'p2p')?.value === self) return
        await helia.libp2p.dial(ma, { signal })
        this.log('connected to %s', a)
      } catch (err) {
        // best effort, as the Go connector
        this.log('could not connect to %s: %e', a, err)
      }
    }))
  }

  async swarmPeers (_options: AbortOptions = {}): Promise<string[]> {
    const { helia } = this.running()
    return helia.libp2p.getPeers().map((p) => p.toString())
  }

  async configKey (key: string, _options: AbortOptions = {}): Promise<unknown> {
    const { helia } = this.running()
    return configLookup(configView({
      peerId: helia.libp2p.peerId.toString(),
      swarmListen: this.settings.swarmListen,
      announce: this.settings.announce,
      storageMax: this.settings.storageMax,
      routing: this.settings.routing
    }), key)
  }

  async repoStat (_options: AbortOptions = {}): Promise<IPFSRepoStat> {
    const { blockstore } = this.running()
    const now = Date.now()
    if (now - this.datastoreSize.at > DATASTORE_SIZE_TTL) {
      this.datastoreSize = { bytes: await folderSize(path.join(this.settings.repoPath, DATASTORE_FOLDER)), at: now }
    }
    return { repoSize: blockstore.size() + this.datastoreSize.bytes, storageMax: this.settings.storageMax }
  }

  async * repoGC (options: AbortOptions = {}): AsyncGenerator<IPFSRepoGC> {
    const { helia, blockstore } = this.running()
    const signal = withTimeout(options.signal, this.settings.repoGCTimeout)
    // exclusive: no pin may fetch or record while we decide what is garbage (Kubo's GC lock)
    const release = await this.lock.writeLock()
    try {
      const marked = new Map<string, number>()
      for await (const p of helia.pins.ls({ signal })) {
        try {
          await walkDag(p.cid, {
            maxDepth: p.depth === Infinity ? -1 : p.depth,
            concurrency: this.settings.fetchConcurrency,
            getBlock: async (cid, opts) => concat(blockstore.get(cid, opts)),
            localLinks: this.localLinks(),
            getCodec: helia.getCodec,
            visited: marked,
            signal
          })
        } catch (err: any) {
          if (signal?.aborted === true) throw err
          // as Kubo: a pinned DAG that cannot be walked aborts GC before anything is deleted
          yield { key: undefined, error: `could not retrieve links for ${p.cid}: ${err.message}` }
          return
        }
      }
      let removed = 0
      for await (const { cid } of blockstore.getAll({ signal })) {
        if (marked.has(multihashKey(cid))) continue
        try {
          await blockstore.delete(cid, { signal })
          removed++
          yield { key: cid, error: '' }
        } catch (err: any) {
          if (signal?.aborted === true) throw err
          yield { key: cid, error: err.message }
        }
      }
      this.log('repo gc removed %d blocks', removed)
    } catch (err) {
      throw this.failure('repo gc', err, options.signal)
    } finally {
      release()
      this.trigger()
    }
  }

  async resolve (p: string, options: AbortOptions = {}): Promise<CID> {
    const { helia, names } = this.running()
    const signal = withTimeout(options.signal, this.settings.ipfsRequestTimeout)
    let rest = p.trim()
    if (rest.startsWith('/ipns/')) {
      // names first (IPNS records, DNSLink), then the rest of the path as for /ipfs/
      try {
        rest = await names.resolve(rest, { signal })
      } catch (err) {
        throw this.failure(`resolve ${p}`, err, options.signal)
      }
      this.log('resolved %s to %s', p, rest)
    }
    if (rest.startsWith('/ipfs/') || rest.startsWith('/ipld/')) {
      rest = rest.slice(6)
    } else if (rest.startsWith('/')) {
      throw new IPFSError(`invalid path "${p}": unknown namespace`)
    }
    const [first, ...segments] = rest.split('/')
    let root: CID
    try {
      root = parseCid(first)
    } catch (err: any) {
      throw new IPFSError(`invalid path "${p}": ${err.message}`, { cause: err })
    }
    try {
      let last: CID = root
      for await (const entry of walkPath([root.toString(), ...segments].join('/'), helia.blockstore, { signal })) {
        last = entry.cid
      }
      return last
    } catch (err) {
      throw this.failure(`resolve ${p}`, err, options.signal)
    }
  }

  async blockStream (blocks: AsyncIterable<BlockWithFormat>, options: BlockStreamOptions = {}): Promise<void> {
    const { helia, blockstore, announce } = this.running()
    // blocks hashed by their producer in this process need no second hashing
    const hashed = options.hashedInProcess === true
    const verified = async function * (): AsyncGenerator<{ cid: CID, bytes: Uint8Array }> {
      for await (const b of blocks) {
        if (!hashed) await verifyBlock(helia, b)
        // as Helia's identity blockstore: an identity CID carries its bytes, nothing to store
        if (b.cid.multihash.code === IDENTITY_CODE) continue
        yield { cid: b.cid, bytes: b.data }
      }
    }
    try {
      // Straight to the on-disk store, which keeps several writes in flight. Helia's storage
      // layer would check each block's existence once more, one block at a time (each check
      // queued behind the writes on libuv's pool), and announce it before it is written;
      // bitswap learns about each block here, once it is stored.
      for await (const cid of blockstore.putMany(verified(), { signal: options.signal })) {
        await announce(cid)
      }
    } catch (err) {
      throw this.failure('block put', err, options.signal)
    } finally {
      this.trigger()
    }
  }

  async blockGet (cid: CID, options: BlockGetOptions = {}): Promise<Uint8Array> {
    const { helia } = this.running()
    if (options.offline === true && !(await helia.blockstore.has(cid, { signal: options.signal }))) {
      throw new BlockNotFoundError(`block ${cid.toString()} not found locally`)
    }
    const signal = withTimeout(options.signal, this.settings.ipfsRequestTimeout)
    try {
      return await concat(helia.blockstore.get(cid, { signal, offline: options.offline } as any))
    } catch (err) {
      throw this.failure(`block get ${cid}`, err, options.signal)
    }
  }
}

/**
 * The status of a pin root from its Helia record, as `pin ls --type=<direct|recursive>`
 * answers for a cluster max depth: a pin of the other type is "not pinned".
 */
function rootStatus (stored: PinRecord | undefined, maxDepth: number): IPFSPinStatus {
  if (stored == null) return 'unpinned'
  if (maxDepth === 0) return stored.depth === 0 ? 'direct' : 'unpinned'
  if (stored.depth === 0) return 'unpinned'
  const covers = maxDepth < 0 ? stored.depth === Infinity : stored.depth >= maxDepth
  return covers ? 'recursive' : 'unpinned'
}
