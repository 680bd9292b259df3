/** The cluster host: owns one js-libp2p node between `start` and `stop`. */
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { createLibp2p } from 'libp2p'
import { BandwidthCounter } from './bandwidth.js'
import { HostNotStartedError } from './errors.js'
import { libp2pOptions } from './options.js'
import type { ClusterHostComponents, ClusterHostInit } from './index.js'
import type { ClusterHost, ClusterHostServices } from './types.js'
import type { BandwidthByProtocol } from '../interface/types.js'
import type { GossipSub } from '@libp2p/gossipsub'
import type { Logger, PeerId } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'
import type { Libp2p } from 'libp2p'

export class Libp2pClusterHost implements ClusterHost {
  readonly peerId: PeerId
  private readonly log: Logger
  private node?: Libp2p<ClusterHostServices>
  private starting?: Promise<void>
  private readonly counter = new BandwidthCounter()

  constructor (private readonly components: ClusterHostComponents, private readonly init: ClusterHostInit) {
    this.peerId = peerIdFromPrivateKey(init.privateKey)
    this.log = components.logger.forComponent('cluster:cluster')
  }

  get libp2p (): Libp2p<ClusterHostServices> {
    if (this.node == null) throw new HostNotStartedError()
    return this.node
  }

  get pubsub (): GossipSub {
    return this.libp2p.services.pubsub
  }

  bandwidth (): BandwidthByProtocol {
    return this.counter.byProtocol()
  }

  addresses (): Multiaddr[] {
    return this.node?.getMultiaddrs() ?? []
  }

  async start (): Promise<void> {
    if (this.node != null) return
    this.starting ??= this.open().finally(() => { this.starting = undefined })
    await this.starting
  }

  private async open (): Promise<void> {
    const node = await createLibp2p(libp2pOptions(this.init, this.components.logger, this.counter))
    this.counter.start()
    try {
      await node.start()
    } catch (err) {
      try { await node.stop() } catch {}
      throw err
    }
    this.node = node
    if (this.init.mdns === true) this.dialDiscovered(node)
    const secret = this.init.secret ?? new Uint8Array(0)
    this.log('cluster host %p started (%s network), listening on %s', this.peerId,
      secret.byteLength > 0 ? 'private' : 'unprotected', node.getMultiaddrs().map(String).join(' '))
  }

  /**
   * Go's mDNS notifee: a discovered peer is dialed (once not connected). A peer of another
   * cluster fails the private network's handshake; those failures are routine (debug).
   */
  private dialDiscovered (node: Libp2p<ClusterHostServices>): void {
    const dialing = new Set<string>()
    node.addEventListener('peer:discovery', (evt) => {
      const id = evt.detail.id
      const key = id.toString()
      if (id.equals(this.peerId) || dialing.has(key) || node.getConnections(id).length > 0) return
      dialing.add(key)
      node.dial(id, { signal: AbortSignal.timeout(this.init.dialTimeout ?? 3_000) })
        .then(() => { this.log('connected to %p, discovered on the LAN', id) })
        .catch((err) => { this.log('dialing %p, discovered on the LAN: %e', id, err) })
        .finally(() => { dialing.delete(key) })
    })
  }

  async stop (): Promise<void> {
    await this.starting?.catch(() => {})
    const node = this.node
    this.node = undefined
    this.counter.stop()
    await node?.stop()
  }
}
