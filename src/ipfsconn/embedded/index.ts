/**
 * @packageDocumentation
 * The embedded IPFS connector (config section `ipfs_connector.embedded`): runs a Helia node
 * in the peer process, with its repo (blocks, datastore, key) in one folder, its own libp2p
 * host on the IPFS swarm port, bitswap with the other peers' nodes, and (by default) a DHT
 * over the connected peers to resolve `/ipns/` names. It implements the IPFSConnector
 * contract the Go connector implements against Kubo (spec pinning-internals §12).
 */
import {
  DEFAULT_FETCH_CONCURRENCY, DEFAULT_IPFS_REQUEST_TIMEOUT, DEFAULT_PIN_TIMEOUT, DEFAULT_REPOGC_TIMEOUT,
  DEFAULT_ROUTING, DEFAULT_STORAGE_MAX, DEFAULT_SWARM_LISTEN, DEFAULT_UNPIN_TIMEOUT
} from './constants.js'
import { EmbeddedConnector } from './connector.js'
import type { EmbeddedHelia } from './node.js'
import type { EmbeddedRouting } from './routing.js'
import type { IPFSConnector } from '../../interface/ipfs-connector.js'
import type { ComponentLogger, PrivateKey } from '@libp2p/interface'
import type { DNS } from '@multiformats/dns'

export type { EmbeddedRouting } from './routing.js'

/** Settings of the embedded node (camelCase, durations in ms). */
export interface EmbeddedConnectorInit {
  /** Repo folder: blocks in `<repoPath>/blocks`, datastore in `<repoPath>/datastore`, key in `<repoPath>/peer.key`. */
  repoPath: string
  /** libp2p listen multiaddrs. @default ['/ip4/0.0.0.0/tcp/4001'] */
  swarmListen?: string[]
  /** Multiaddrs announced instead of the listen addresses. @default [] */
  announce?: string[]
  /** The node's libp2p key. @default loaded from (or generated into) `<repoPath>/peer.key` */
  privateKey?: PrivateKey
  /** Timeout of ordinary requests (id, pin ls, resolve, block get, swarm connect…). 0 = none. @default 300_000 */
  ipfsRequestTimeout?: number
  /** A pin fails when no new block arrived for this long (not an absolute timeout). 0 = none. @default 120_000 */
  pinTimeout?: number
  /** Timeout of an unpin. 0 = none. @default 10_800_000 */
  unpinTimeout?: number
  /** Timeout of a repo GC. 0 = none. @default 86_400_000 */
  repoGCTimeout?: number
  /** `StorageMax` reported by repoStat, in bytes. @default 10_000_000_000 */
  storageMax?: number
  /** Blocks fetched at the same time while pinning. @default 32 */
  fetchConcurrency?: number
  /** Refuse every unpin. @default false */
  unpinDisable?: boolean
  /** Every N-th pin start/end, block stream end or GC end calls `triggerInformers`. 0 = never. @default 0 */
  informerTriggerInterval?: number
  /**
   * How `/ipns/` names are looked up: `dht` (a DHT server over the connected peers, no
   * bootstrap), `dhtclient` (the same, answering no queries) or `none` (records in the
   * local store only). DNSLink works in every mode. @default 'dht'
   */
  routing?: EmbeddedRouting
  /** DNS resolver for DNSLink names (tests inject answers here). @default the system resolver */
  dns?: DNS
}

/** What the connector needs from the peer. */
export interface EmbeddedConnectorComponents {
  /** Shared with Helia and libp2p. */
  logger: ComponentLogger
  /** Publishes informer metrics now (Go `Cluster.SendInformersMetrics`); optional. */
  triggerInformers?: () => void | Promise<void>
}

/** The connector, plus access to the running Helia node (undefined when stopped). */
export type EmbeddedIPFSConnector = IPFSConnector & {
  readonly helia: EmbeddedHelia | undefined
  start: () => Promise<void>
  stop: () => Promise<void>
}

/** Creates the embedded connector. Nothing is opened until `start()`. */
export function embeddedConnector (init: EmbeddedConnectorInit): (components: EmbeddedConnectorComponents) => EmbeddedIPFSConnector {
  return (components) => new EmbeddedConnector(components, {
    repoPath: init.repoPath,
    swarmListen: init.swarmListen ?? DEFAULT_SWARM_LISTEN,
    announce: init.announce ?? [],
    privateKey: init.privateKey,
    ipfsRequestTimeout: init.ipfsRequestTimeout ?? DEFAULT_IPFS_REQUEST_TIMEOUT,
    pinTimeout: init.pinTimeout ?? DEFAULT_PIN_TIMEOUT,
    unpinTimeout: init.unpinTimeout ?? DEFAULT_UNPIN_TIMEOUT,
    repoGCTimeout: init.repoGCTimeout ?? DEFAULT_REPOGC_TIMEOUT,
    storageMax: init.storageMax ?? DEFAULT_STORAGE_MAX,
    fetchConcurrency: init.fetchConcurrency ?? DEFAULT_FETCH_CONCURRENCY,
    unpinDisable: init.unpinDisable ?? false,
    informerTriggerInterval: init.informerTriggerInterval ?? 0,
    routing: init.routing ?? DEFAULT_ROUTING,
    dns: init.dns
  })
}
