/**
 * Starts the cluster's network side (Go `daemon.go` `createCluster`: host, RPC, peer
 * store manager) in the daemon's start order, so that it stops in reverse: the RPC server
 * before the host (streams closed by a stopping host would look complete to callers), the
 * peerstore file written while the host still knows its peers.
 */
import { PeerManager } from '../cluster/peer-manager.js'
import { clusterHost } from '../host/index.js'
import { fromClusterConfig } from '../host/config.js'
import { rpc as createRpc } from '../rpc/index.js'
import type { ClusterConfig } from '../config/index.js'
import type { ClusterHost } from '../host/index.js'
import type { Consensus } from '../interface/consensus.js'
import type { Startable } from '../interface/startable.js'
import type { Rpc } from '../rpc/types.js'
import type { ComponentLogger } from '@libp2p/interface'

export interface PeerNetwork {
  host: ClusterHost
  rpc: Rpc
  peers: PeerManager
  /** Pubsub subscriptions to end at stop. */
  unsubscribers: Array<() => void>
  /** Set once created: RPC authorization asks it who is trusted. */
  consensus?: Consensus
  /** Set once the peer is ready: only then is the peerstore file written at stop (as Go). */
  ready: boolean
}

export async function startNetwork (cfg: ClusterConfig, logger: ComponentLogger, start: <T extends Startable>(c: T) => Promise<T>): Promise<PeerNetwork> {
  const log = logger.forComponent('cluster:pstoremgr')
  const host = await start(clusterHost(fromClusterConfig(cfg.cluster, cfg.identity.privateKey))({ logger }))
  const peers = new PeerManager(host.libp2p, {
    peerAddresses: cfg.cluster.peerAddresses,
    peerstorePath: cfg.cluster.peerstorePath,
    lowWater: cfg.cluster.connectionManager.lowWater,
    log
  })
  await peers.load()
  if (cfg.consensus === 'crdt' && !cfg.crdt.trustAll) peers.prioritize(cfg.crdt.trustedPeers)
  const net: PeerNetwork = { host, rpc: undefined as unknown as Rpc, peers, unsubscribers: [], ready: false }
  await start({
    stop: async () => {
      peers.stop()
      if (net.ready) await peers.save().catch((err) => { log.error('saving the peerstore: %s', err.message) })
    }
  })
  await start({ stop: async () => { for (const u of net.unsubscribers.splice(0)) u() } })
  net.rpc = await start(createRpc({ follower: cfg.cluster.followerMode })({
    libp2p: host.libp2p,
    isTrusted: (peer) => net.consensus?.isTrustedPeer(peer) ?? false,
    logger
  }))
  return net
}
