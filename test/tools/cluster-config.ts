/**
 * The `service.json` edits that put a peer made by `init --randomports` into a cluster on
 * 127.0.0.1 with timers shorter than the defaults: shared by the multi-peer integration
 * tests and the cluster benchmarks.
 */

import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

export type ServiceJson = Record<string, any>

/** Reads `<dir>/service.json`, applies `edit`, writes it back. */
export async function editServiceJson (dir: string, edit: (cfg: ServiceJson) => void): Promise<void> {
  const file = join(dir, 'service.json')
  const cfg = JSON.parse(await readFile(file, 'utf8'))
  edit(cfg)
  await writeFile(file, JSON.stringify(cfg, null, 2))
}

/** The `cluster.secret` of `<dir>/service.json`. */
export async function clusterSecret (dir: string): Promise<string> {
  return JSON.parse(await readFile(join(dir, 'service.json'), 'utf8')).cluster.secret
}

/** Timers of a test or bench cluster (Go durations). */
export interface ClusterTimers {
  /** `cluster.monitor_ping_interval`: how soon peers see each other. */
  monitorPingInterval: string
  /** `cluster.pubsub.heartbeat_interval`. */
  heartbeatInterval: string
  /** `consensus.crdt.rebroadcast_interval`: how soon a (re)joining peer gets the heads. */
  rebroadcastInterval: string
  /** `monitor.pubsubmon.check_interval`. */
  checkInterval: string
}

/**
 * Names the peer, binds its cluster host to 127.0.0.1 (TCP only, on the port `init`
 * chose), turns mDNS off and sets the timers; returns that port.
 */
export function localClusterConfig (cfg: ServiceJson, name: string, timers: ClusterTimers): number {
  const tcp = [cfg.cluster.listen_multiaddress].flat().map((a: string) => /\/tcp\/(\d+)/.exec(a)?.[1]).find((x) => x != null)
  if (tcp == null) throw new Error(`${name}: no TCP cluster listen address after init`)
  const port = Number(tcp)
  cfg.cluster.peername = name
  cfg.cluster.listen_multiaddress = [`/ip4/127.0.0.1/tcp/${port}`]
  cfg.cluster.monitor_ping_interval = timers.monitorPingInterval
  cfg.cluster.pubsub.heartbeat_interval = timers.heartbeatInterval
  cfg.consensus.crdt.rebroadcast_interval = timers.rebroadcastInterval
  cfg.monitor.pubsubmon.check_interval = timers.checkInterval
  // peers join by --bootstrap; with mDNS, clusters of concurrent runs would dial each other
  cfg.cluster.mdns_interval = '0s'
  return port
}
