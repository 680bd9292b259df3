/**
 * Translates the host's init into js-libp2p options (Go `NewClusterHost` and
 * `newPubSub`). What js-libp2p cannot express is listed in docs/configuration.md.
 */
import { gossipsub } from '@libp2p/gossipsub'
import { identify } from '@libp2p/identify'
import { mdns } from '@libp2p/mdns'
import { noise } from '@libp2p/noise'
import { ping } from '@libp2p/ping'
import { tcp } from '@libp2p/tcp'
import { yamux } from '@libp2p/yamux'
import { noAnnounceFilter } from './announce.js'
import { preSharedKey } from './pnet/index.js'
import type { ClusterHostInit } from './index.js'
import type { ClusterHostServices } from './types.js'
import type { GossipsubOpts } from '@libp2p/gossipsub'
import type { ComponentLogger, Metrics } from '@libp2p/interface'
import type { Libp2pOptions } from 'libp2p'

/** Go's mDNS service tag (`_ipfs-cluster-discovery._udp`), in the `.local` domain. */
export const MDNS_SERVICE_TAG = '_ipfs-cluster-discovery._udp.local'

/** go-libp2p-pubsub's default mesh degrees, which the cluster multiplies by `d_factor`. */
const GO_DEGREES = { D: 6, Dlo: 5, Dhi: 12, Dscore: 4, Dout: 2, Dlazy: 6 }

/** The cluster's message ID (Go `newPubSub`): the first 16 bytes of the author's peer ID, then the seqno. */
function clusterMsgId (msg: Parameters<GossipsubOpts['msgIdFn']>[0]): Uint8Array {
  if (msg.type !== 'signed') throw new Error('unsigned pubsub message')
  const from = msg.from.toMultihash().bytes.subarray(0, 16)
  const id = new Uint8Array(from.byteLength + 8)
  id.set(from)
  new DataView(id.buffer).setBigUint64(from.byteLength, BigInt.asUintN(64, msg.sequenceNumber))
  return id
}

/** Gossipsub settings from `cluster.pubsub`. */
export function gossipsubOptions (init: ClusterHostInit): Partial<GossipsubOpts> {
  const ps = init.pubsub ?? {}
  const f = ps.dFactor ?? 4
  return {
    // signed messages only, verified strictly: receivers know the author
    globalSignaturePolicy: 'StrictSign',
    msgIdFn: clusterMsgId,
    D: GO_DEGREES.D * f,
    Dlo: GO_DEGREES.Dlo * f,
    Dhi: GO_DEGREES.Dhi * f,
    Dscore: GO_DEGREES.Dscore * f,
    Dout: GO_DEGREES.Dout * f,
    Dlazy: GO_DEGREES.Dlazy * f,
    heartbeatInterval: ps.heartbeatInterval ?? 10_000,
    mcacheGossip: ps.historyGossip ?? 2,
    mcacheLength: ps.historyLength ?? 6,
    floodPublish: ps.floodPublish ?? false,
    seenTTL: ps.seenMessagesTtl ?? 30 * 60_000,
    doPX: init.peerExchange ?? true,
    // Go publishes with no subscribed peer without failing (a lone peer's metrics)
    allowPublishToZeroTopicPeers: true
  }
}

/**
 * The libp2p options of the cluster host: TCP, PSK, noise, yamux, identify, ping, mDNS,
 * gossipsub; `metrics` counts the bytes of each protocol.
 */
export function libp2pOptions (init: ClusterHostInit, logger: ComponentLogger, metrics?: Metrics): Libp2pOptions<ClusterHostServices> {
  const cm = init.connectionManager
  const secret = init.secret ?? new Uint8Array(0)
  return {
    privateKey: init.privateKey,
    logger,
    ...(metrics != null ? { metrics: () => metrics } : {}),
    start: false,
    addresses: {
      listen: [...init.listen],
      announce: [...(init.announce ?? [])],
      announceFilter: noAnnounceFilter(init.noAnnounce ?? [])
    },
    transports: [tcp()],
    peerDiscovery: init.mdns === true ? [mdns({ serviceTag: MDNS_SERVICE_TAG })] : [],
    connectionProtector: secret.byteLength > 0 ? preSharedKey({ psk: secret }) : undefined,
    connectionEncrypters: [noise()],
    // yamux aborts a connection that gets more than maxEarlyStreams (10) streams before
    // the first one is set up: a burst of RPC calls or DAG fetches right after a dial
    streamMuxers: [yamux({ maxEarlyStreams: 1024 })],
    connectionManager: {
      // peers of a cluster on one host (tests, several peers per machine) connect at once;
      // the default allows 5 inbound connections per second from one IP
      inboundConnectionThreshold: 100,
      // js-libp2p prunes above maxConnections; Go's high water mark is that threshold
      ...(cm != null ? { maxConnections: cm.highWater } : {}),
      dialTimeout: init.dialTimeout ?? 3_000
    },
    services: {
      identify: identify(),
      ping: ping(),
      pubsub: gossipsub(gossipsubOptions(init))
    }
  }
}
