/** The host's init from the loaded `cluster` section and identity. */
import { decodeClusterSecret } from '../config/secret.js'
import type { ClusterHostInit } from './index.js'
import type { ClusterSectionConfig } from '../config/sections/cluster.js'
import type { PrivateKey } from '@libp2p/interface'

/**
 * Maps `cluster` onto ClusterHostInit. Throws InvalidSecretError for a secret that
 * is not empty or 64 hex characters (the config loader already refuses those).
 */
export function fromClusterConfig (cluster: ClusterSectionConfig, privateKey: PrivateKey): ClusterHostInit {
  return {
    privateKey,
    listen: [...cluster.listenMultiaddress],
    announce: [...cluster.announceMultiaddress],
    noAnnounce: [...cluster.noAnnounceMultiaddress],
    secret: decodeClusterSecret(cluster.secret),
    connectionManager: { ...cluster.connectionManager },
    dialTimeout: cluster.dialPeerTimeout,
    pubsub: { ...cluster.pubsub },
    // as Go: followers do not hand out peers when pruning
    peerExchange: !cluster.followerMode,
    // as Go, only on/off matters
    mdns: cluster.mdnsInterval > 0
  }
}
