/**
 * Routing of the embedded node (`ipfs_connector.embedded.routing`): a Kademlia DHT that
 * only knows the peers the node is connected to (no bootstrap), used for IPNS records.
 *
 * The DHT is a value store here, not a content router: Helia's routing gets a router that
 * only supports `get`/`put`. Bitswap asks Helia's routing for providers of every block it
 * wants, so a content-routing DHT would run one DHT query per block while pinning, and
 * nothing would announce our blocks anyway (Helia never calls `provide` on put or pin).
 */
import { ipnsSelector, ipnsValidator, IPNSEntry } from '@helia/ipns'
import { NotFoundError, NotStartedError } from '@libp2p/interface'
import { kadDHT, passthroughMapper } from '@libp2p/kad-dht'
import { ping } from '@libp2p/ping'
import type { Keychain, Router } from '@helia/interface'
import type { AbortOptions } from '@libp2p/interface'
import type { KadDHT, KadDHTComponents } from '@libp2p/kad-dht'
import type { Ping, PingComponents } from '@libp2p/ping'

/**
 * `dht`: DHT server (answers the connected peers' queries and stores their records),
 * `dhtclient`: queries only, `none`: no DHT (IPNS from the local record store only).
 * Named as Kubo's `Routing.Type` values.
 */
export type EmbeddedRouting = 'dht' | 'dhtclient' | 'none'

/**
 * Kubo's LAN DHT protocol. Kubo runs its LAN DHT in server mode and keeps peers with
 * private or loopback addresses in it, which is where cluster peers' nodes are; its WAN
 * DHT (`/ipfs/kad/1.0.0`) is the public network, which this node does not join.
 */
export const DHT_PROTOCOL = '/ipfs/lan/kad/1.0.0'

/** The name `@helia/libp2p` gives its router: taking it keeps that content router out. */
const LIBP2P_ROUTER_NAME = 'libp2p-router'

/** libp2p services the routing mode adds (none for `none`). */
export interface RoutingServices extends Record<string, unknown> {
  ping?: Ping
  dht?: KadDHT
}

/** Factories of RoutingServices. */
export interface RoutingServiceFactories {
  ping?: (components: PingComponents) => Ping
  dht?: (components: KadDHTComponents) => KadDHT
}

/**
 * libp2p service factories for `routing`: a DHT speaking Kubo's LAN protocol that
 * accepts peers on any address (cluster nodes are often on private networks or
 * 127.0.0.1), validates IPNS records, and never waits for a first peer before a query.
 */
export function routingServices (routing: EmbeddedRouting, keychain: Keychain): RoutingServiceFactories {
  if (routing === 'none') return {}
  return {
    ping: ping(),
    dht: kadDHT({
      protocol: DHT_PROTOCOL,
      clientMode: routing === 'dhtclient',
      peerInfoMapper: passthroughMapper,
      // an empty routing table means "not found" at once, not "wait for a first peer"
      allowQueryWithZeroPeers: true,
      validators: {
        ipns: async (key, value, options) => { await ipnsValidator(key, value, keychain, options) }
      },
      selectors: {
        ipns: (key, records) => ipnsSelector(key, records.map((r) => IPNSEntry.decode(r)))
      }
    })
  }
}

/**
 * A Helia router storing and fetching values (IPNS records) through the DHT. It has the
 * name of `@helia/libp2p`'s router, which is then not added: that one would also make the
 * DHT answer Helia's provider searches.
 */
export class DHTValueRouter implements Router {
  readonly name = LIBP2P_ROUTER_NAME
  private readonly dht: () => KadDHT | undefined

  /** `dht` returns the running DHT service (undefined before libp2p starts). */
  constructor (dht: () => KadDHT | undefined) {
    this.dht = dht
  }

  private running (): KadDHT {
    const d = this.dht()
    if (d == null) throw new NotStartedError('the DHT is not running')
    return d
  }

  /** The best value the DHT peers (and the local record store) have. Throws NotFoundError. */
  async get (key: Uint8Array, options: AbortOptions = {}): Promise<Uint8Array<ArrayBuffer>> {
    for await (const event of this.running().get(key, options)) {
      if (event.name === 'VALUE') return Uint8Array.from(event.value)
    }
    throw new NotFoundError('no DHT peer has a value for the key')
  }

  /** Stores the value locally and on the closest DHT peers. */
  async put (key: Uint8Array, value: Uint8Array, options: AbortOptions = {}): Promise<void> {
    for await (const _ of this.running().put(key, value, options)) { /* run the query to its end */ }
  }

  toString (): string {
    return 'DHTValueRouter()'
  }
}
