/**
 * The RPC endpoints and their authorization policy (spec consensus §6), as the
 * reference's `rpcutil` policy table. Fixed: not configurable from JSON.
 * `streaming` marks the endpoints that gorpc serves with `Stream` (a stream of
 * arguments in, a stream of replies out) instead of `Call`.
 */
import { InvalidConfigError } from '../interface/errors.js'

/** Who may call an endpoint remotely: `closed` = only in-process, `trusted` = trusted peers, `open` = any connected peer. */
export type RpcPolicy = 'open' | 'trusted' | 'closed'

export interface RpcEndpoint {
  policy: RpcPolicy
  streaming: boolean
}

const o = (policy: RpcPolicy): RpcEndpoint => Object.freeze({ policy, streaming: false })
const s = (policy: RpcPolicy): RpcEndpoint => Object.freeze({ policy, streaming: true })

/** The 55 endpoints, keyed `Service.Method`, of a normal peer. */
export const DEFAULT_POLICY: Readonly<Record<string, RpcEndpoint>> = Object.freeze({
  // Cluster
  'Cluster.ID': o('open'),
  'Cluster.IDStream': s('open'),
  'Cluster.Pin': o('closed'),
  'Cluster.Unpin': o('closed'),
  'Cluster.PinPath': o('closed'),
  'Cluster.UnpinPath': o('closed'),
  'Cluster.Pins': s('closed'),
  'Cluster.PinGet': o('closed'),
  'Cluster.Version': o('open'),
  'Cluster.Peers': s('trusted'),
  'Cluster.PeersWithFilter': s('closed'),
  'Cluster.PeerAdd': o('open'),
  'Cluster.ConnectGraph': o('closed'),
  'Cluster.PeerRemove': o('trusted'),
  'Cluster.Join': o('closed'),
  'Cluster.StatusAll': s('closed'),
  'Cluster.StatusAllLocal': s('closed'),
  'Cluster.Status': o('closed'),
  'Cluster.StatusLocal': o('closed'),
  'Cluster.RecoverAll': s('closed'),
  'Cluster.RecoverAllLocal': s('trusted'),
  'Cluster.Recover': o('closed'),
  'Cluster.RecoverLocal': o('trusted'),
  'Cluster.BlockAllocate': o('closed'),
  'Cluster.RepoGC': o('closed'),
  'Cluster.RepoGCLocal': o('trusted'),
  'Cluster.SendInformerMetrics': o('closed'),
  'Cluster.SendInformersMetrics': o('closed'),
  'Cluster.Alerts': o('closed'),
  'Cluster.BandwidthByProtocol': o('closed'),
  'Cluster.IPFSID': o('closed'),
  // PinTracker
  'PinTracker.Track': o('closed'),
  'PinTracker.Untrack': o('closed'),
  'PinTracker.StatusAll': s('trusted'),
  'PinTracker.Status': o('trusted'),
  'PinTracker.RecoverAll': s('closed'),
  'PinTracker.Recover': o('trusted'),
  'PinTracker.PinQueueSize': o('closed'),
  // IPFSConnector
  'IPFSConnector.Pin': o('closed'),
  'IPFSConnector.Unpin': o('closed'),
  'IPFSConnector.PinLsCid': o('closed'),
  'IPFSConnector.PinLs': s('closed'),
  'IPFSConnector.ConfigKey': o('closed'),
  'IPFSConnector.RepoStat': o('trusted'),
  'IPFSConnector.SwarmPeers': o('trusted'),
  'IPFSConnector.BlockStream': s('trusted'),
  'IPFSConnector.BlockGet': o('closed'),
  'IPFSConnector.Resolve': o('closed'),
  // Consensus
  'Consensus.LogPin': o('trusted'),
  'Consensus.LogUnpin': o('trusted'),
  'Consensus.AddPeer': o('trusted'),
  'Consensus.RmPeer': o('trusted'),
  'Consensus.Peers': o('closed'),
  // PeerMonitor
  'PeerMonitor.LatestMetrics': o('closed'),
  'PeerMonitor.MetricNames': o('closed')
})

/** The table of `ipfs-cluster-follow` peers: as the default, with `Cluster.RepoGCLocal` closed. */
export const FOLLOWER_POLICY: Readonly<Record<string, RpcEndpoint>> = Object.freeze({
  ...DEFAULT_POLICY,
  'Cluster.RepoGCLocal': o('closed')
})

/** `Service.Method`, the key of the policy table. */
export function endpointName (service: string, method: string): string {
  return `${service}.${method}`
}

/**
 * Checks that `table` holds exactly the endpoints of DEFAULT_POLICY with valid
 * policies. Throws InvalidConfigError listing every problem.
 */
export function validatePolicy (table: Readonly<Record<string, RpcEndpoint>>): void {
  const problems: string[] = []
  for (const name of Object.keys(DEFAULT_POLICY)) {
    if (!Object.hasOwn(table, name)) problems.push(`rpc policy: missing entry for ${name}`)
  }
  for (const [name, entry] of Object.entries(table)) {
    if (!Object.hasOwn(DEFAULT_POLICY, name)) problems.push(`rpc policy: unknown endpoint ${name}`)
    else if (entry == null || !['open', 'trusted', 'closed'].includes(entry.policy)) problems.push(`rpc policy: invalid policy for ${name}`)
  }
  if (problems.length > 0) throw new InvalidConfigError(problems)
}
