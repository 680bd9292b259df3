/**
 * Known cluster peers and their addresses (Go `pstoremgr`, spec config §18): loads
 * `peer_addresses` and the peerstore file into the host's peer store, connects to a few
 * of them at start and again when connections run low, and writes the peerstore file
 * back on shutdown.
 */
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { peerIdOfAddr, readPeerstore, writePeerstore } from '../config/peerstore.js'
import type { AbortOptions } from '../interface/startable.js'
import type { Libp2p, Logger, PeerId } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

/** Peers dialled at start and per re-bootstrap round (Go: 3). */
const BOOTSTRAP_PEERS = 3
/** Priority given to a peer that failed to connect. */
const FAILED_PRIORITY = 9999

export interface PeerManagerInit {
  /** `cluster.peer_addresses`: priority 0. */
  peerAddresses: string[]
  /** The peerstore file. */
  peerstorePath: string
  /** Re-bootstrap below this many connections (`connection_manager.low_water`). */
  lowWater: number
  /** Re-bootstrap check interval. @default 30_000 */
  interval?: number
  /** Interval of the forced connection to one `peer_addresses` peer. @default 300_000 */
  priorityInterval?: number
  log: Logger
}

interface Known {
  id: PeerId
  addrs: Multiaddr[]
  priority: number
  /** From `peer_addresses`: kept for the forced connections even after failures. */
  permanent: boolean
}

/** A trusted peer: dialled first, and kept for the forced connections. */
function promote (k: Known): void {
  k.priority = 0
  k.permanent = true
}

export class PeerManager {
  private readonly known = new Map<string, Known>()
  /** Trusted peers (see `prioritize`): priority 0 and permanent whenever their addresses come. */
  private readonly trusted = new Set<string>()
  private timer: ReturnType<typeof setInterval> | undefined
  private priorityTimer: ReturnType<typeof setInterval> | undefined

  constructor (private readonly libp2p: Pick<Libp2p, 'peerId' | 'peerStore' | 'dial' | 'getConnections' | 'getPeers'>, private readonly init: PeerManagerInit) {}

  /** Imports `peer_addresses` (priority 0) then the peerstore file (1, 2, …); bad lines are logged. */
  async load (): Promise<void> {
    for (const a of this.init.peerAddresses) await this.tryAdd(a, 0, true)
    let priority = 1
    for (const a of await readPeerstore(this.init.peerstorePath)) await this.tryAdd(a, priority++)
  }

  private async tryAdd (addr: string, priority: number, permanent = false): Promise<void> {
    try {
      await this.add(addr, priority, permanent)
    } catch (err: any) {
      this.init.log.error('peerstore: skipping %s: %s', addr, err.message)
    }
  }

  /**
   * Adds an address (`…/p2p/<id>`) of a peer; returns its peer ID. `permanent`: the peer
   * is one of `peer_addresses` (see `connectPriorityPeer`).
   */
  async add (addr: string, priority = FAILED_PRIORITY - 1, permanent = false): Promise<PeerId> {
    const idText = peerIdOfAddr(addr)
    if (idText == null) throw new Error(`no /p2p/ peer ID in ${addr}`)
    const id = peerIdFromString(idText)
    if (id.equals(this.libp2p.peerId)) return id
    const ma = multiaddr(addr).decapsulateCode(0x01a5) // the transport part: /p2p/<id> removed
    const k = this.known.get(id.toString()) ?? { id, addrs: [], priority, permanent }
    if (!k.addrs.some((a) => a.equals(ma))) k.addrs.push(ma)
    k.priority = Math.min(k.priority, priority)
    k.permanent ||= permanent
    if (this.trusted.has(id.toString())) promote(k)
    this.known.set(id.toString(), k)
    await this.libp2p.peerStore.merge(id, { multiaddrs: [ma] })
    return id
  }

  /**
   * The explicitly trusted CRDT peers (Go): priority 0 and their addresses permanent, so
   * bootstraps and the forced connections go to them first.
   */
  prioritize (peers: string[]): void {
    for (const p of peers) {
      this.trusted.add(p)
      const k = this.known.get(p)
      if (k != null) promote(k)
    }
  }

  /** Connects to up to `BOOTSTRAP_PEERS` known peers, best priority first; returns those connected. */
  async bootstrap (options: AbortOptions = {}): Promise<PeerId[]> {
    const connected = new Set(this.libp2p.getPeers().map((p) => p.toString()))
    const candidates = [...this.known.values()]
      .filter((k) => !connected.has(k.id.toString()))
      .sort((a, b) => a.priority - b.priority || Math.random() - 0.5)
    const ok: PeerId[] = []
    for (const k of candidates) {
      if (ok.length >= BOOTSTRAP_PEERS) break
      try {
        await this.libp2p.dial(k.id, options)
        ok.push(k.id)
      } catch (err: any) {
        k.priority = FAILED_PRIORITY
        this.init.log('bootstrap: %p unreachable: %s', k.id, err.message)
      }
    }
    return ok
  }

  /**
   * Every `interval`: bootstrap again when fewer than `lowWater` peers are connected; every
   * `priorityInterval`: connect to one random `peer_addresses` peer (Go forces it, so that
   * a cluster split in parts finds its way back through the configured peers).
   */
  startRebootstrap (): void {
    if (this.timer != null) return
    this.timer = setInterval(() => {
      if (this.libp2p.getConnections().length >= this.init.lowWater) return
      this.bootstrap().catch((err) => { this.init.log.error('re-bootstrap: %s', err.message) })
    }, this.init.interval ?? 30_000)
    this.timer.unref()
    this.priorityTimer = setInterval(() => { void this.connectPriorityPeer() }, this.init.priorityInterval ?? 300_000)
    this.priorityTimer.unref()
  }

  /** Dials one random peer of `peer_addresses`, if any; false when none or it failed. */
  async connectPriorityPeer (options: AbortOptions = {}): Promise<boolean> {
    const priority = [...this.known.values()].filter((k) => k.permanent)
    if (priority.length === 0) return false
    const k = priority[Math.floor(Math.random() * priority.length)]
    try {
      await this.libp2p.dial(k.id, options)
      return true
    } catch (err: any) {
      this.init.log('connecting to priority peer %p: %s', k.id, err.message)
      return false
    }
  }

  stop (): void {
    clearInterval(this.timer)
    clearInterval(this.priorityTimer)
    this.timer = undefined
    this.priorityTimer = undefined
  }

  /**
   * Writes the peerstore file: every peer with addresses in the host's peer store (self
   * excluded), by priority; DNS addresses only when a peer has some.
   */
  async save (): Promise<void> {
    const lines: Array<{ priority: number, addrs: string[] }> = []
    for (const peer of await this.libp2p.peerStore.all()) {
      if (peer.id.equals(this.libp2p.peerId) || peer.addresses.length === 0) continue
      let addrs = peer.addresses.map((a) => a.multiaddr.toString())
      const dns = addrs.filter((a) => /^\/dns(4|6|addr)?\//.test(a))
      addrs = (dns.length > 0 ? dns : addrs).sort()
      const priority = this.known.get(peer.id.toString())?.priority ?? FAILED_PRIORITY - 1
      lines.push({ priority, addrs: addrs.map((a) => `${a}/p2p/${peer.id.toString()}`) })
    }
    lines.sort((a, b) => a.priority - b.priority)
    await writePeerstore(this.init.peerstorePath, lines.flatMap((l) => l.addrs))
  }
}
