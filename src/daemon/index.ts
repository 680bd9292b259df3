/**
 * What `ipfs-cluster-service daemon` and `state export|import|cleanup` run
 * (spec config.md §20). The CLI holds the folder lock around every call.
 */
import { loadConfig } from '../config/index.js'
import { createLogger } from '../util/logger.js'
import { startMemoryReducer } from './memory-reducer.js'
import { startPeer } from './peer.js'
import type { DaemonFlags } from '../cli/service/delegate.js'

export { stateExport, stateImport, stateCleanup } from './state.js'

/** Runs the peer until SIGINT/SIGTERM/SIGHUP; logs `READY` once it serves. */
export async function runDaemon (cfgDir: string, flags: DaemonFlags): Promise<void> {
  const cfg = await loadConfig(cfgDir)
  const logger = createLogger(flags.log)
  const log = logger.forComponent('cluster:cluster')
  if (flags.bootstrap.length > 0 && cfg.consensus !== 'crdt') log.warn('--bootstrap ignored: only the CRDT consensus joins other peers (Raft is not implemented)')

  const t0 = Date.now()
  const peer = await startPeer(cfg, logger, { bootstrap: flags.bootstrap, noTrust: flags.noTrust, leave: flags.leave })
  await peer.cluster.whenReady
  for (const a of peer.restAddresses()) log.info('REST API (HTTP) listening on %s', a)
  const self = cfg.identity.id.toString()
  const others = (await peer.cluster.id()).clusterPeers.filter((p) => p !== self)
  log.info('Cluster Peers (without including ourselves): %s', others.length === 0 ? 'none' : others.join(', '))
  // the handlers are in place before READY is out: whoever waits for READY may signal at once
  const stopRequested = new Promise<void>((resolve) => {
    let signals = 0
    const onSignal = (sig: string): void => {
      signals++
      if (signals === 1) {
        log.info('%s received: shutting down', sig)
        resolve()
      } else if (signals === 2) {
        log.warn('shutdown is taking long: one more signal exits immediately')
      } else {
        process.exit(1)
      }
    }
    for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, onSignal)
  })
  log.info('** IPFS Cluster is READY ** (%d ms)', Date.now() - t0)
  // bursts of pinning or listing leave V8's heap large: give it back once idle
  const reducer = startMemoryReducer({}, logger.forComponent('cluster:memory'))
  await stopRequested
  reducer.stop()
  await peer.stop()
  log.info('shutdown complete')
}
