/**
 * Builds a cluster peer from a loaded configuration (Go `cmd/ipfs-cluster-service/daemon.go`
 * `createCluster`): state, embedded IPFS, tracker, consensus, informers, monitor,
 * allocator, orchestrator and APIs, started in dependency order and stopped in reverse.
 */
import { balancedAllocator } from '../allocator/balanced/index.js'
import { add } from '../adder/adder.js'
import { DestinationUnavailableError } from '../adder/errors.js'
import { restAddHandler } from '../api/rest/add.js'
import { restApi } from '../api/rest/index.js'
import { cluster as createCluster } from '../cluster/index.js'
import { registerRpcApi } from '../cluster/rpc-api.js'
import { remoteBlockStream } from '../cluster/rpc-client.js'
import { peerIdOfAddr } from '../config/peerstore.js'
import { crdtConsensus, crdtTopic } from '../consensus/crdt/index.js'
import { singlePeerConsensus } from '../consensus/single/index.js'
import { clusterNetwork, crdtBroadcaster, dagSyncTransport, handleDagSync, METRICS_TOPIC, onTopic } from './network.js'
import { startNetwork } from './start-network.js'
import { withBufferHeavyWork } from './heap-tuning.js'
import { diskInformer } from '../informer/disk/index.js'
import { pinQueueInformer } from '../informer/pinqueue/index.js'
import { tagsInformer } from '../informer/tags/index.js'
import { embeddedConnector } from '../ipfsconn/embedded/index.js'
import { pubsubMonitor } from '../monitor/pubsubmon/index.js'
import { statelessPinTracker } from '../pintracker/stateless/index.js'
import { levelState } from '../state/leveldb/index.js'
import type { AdderComponents } from '../adder/adder.js'
import type { Cluster } from '../cluster/cluster.js'
import type { ClusterConfig } from '../config/index.js'
import type { Consensus } from '../interface/consensus.js'
import type { Informer } from '../interface/informer.js'
import type { PinTracker } from '../interface/pin-tracker.js'
import type { Startable } from '../interface/startable.js'
import type { ComponentLogger } from '@libp2p/interface'

/** The ipfshttp (Kubo) connector is a later issue: a Go-written config selecting it is refused clearly. */
export class ConnectorUnavailableError extends Error {
  static name = 'ConnectorUnavailableError'
  constructor () {
    super('the ipfs_connector.ipfshttp (Kubo) connector is not available yet: add "ipfs_connector": {"embedded": {}} ' +
      'to service.json to run the embedded IPFS node (see docs/configuration.md)')
    this.name = 'ConnectorUnavailableError'
  }
}

export interface RunningPeer {
  cluster: Cluster
  /** REST API listen addresses (empty when the section is absent). */
  restAddresses: () => string[]
  stop: () => Promise<void>
}

/** Creates and starts every component of a peer. On failure, whatever started is stopped. */
/** The CRDT consensus store: a LevelDB beside the pinset's (whose folder holds only its own files). */
export function crdtPath (datastorePath: string): string {
  return `${datastorePath}-crdt`
}

/** What the daemon's command line adds to the configuration. */
export interface PeerOptions {
  /** `--bootstrap`: peers to join once ready. */
  bootstrap?: string[]
  /** `--no-trust`: do not trust the bootstrap peers. */
  noTrust?: boolean
  /** `--leave`: leave the cluster on shutdown (overrides `leave_on_shutdown`). */
  leave?: boolean
}

export async function startPeer (cfg: ClusterConfig, logger: ComponentLogger, opts: PeerOptions = {}): Promise<RunningPeer> {
  if (cfg.ipfsConnector !== 'embedded') throw new ConnectorUnavailableError()
  const peerId = cfg.identity.id.toString()
  const peerName = cfg.cluster.peername
  const started: Startable[] = []
  const start = async <T extends Startable>(c: T): Promise<T> => {
    await c.start?.()
    started.push(c)
    return c
  }
  const stop = async (): Promise<void> => {
    const errors: Error[] = []
    for (const c of started.reverse()) {
      try {
        await c.beforeStop?.()
        await c.stop?.()
      } catch (err: any) {
        errors.push(err)
      }
    }
    started.length = 0
    if (errors.length > 0) throw new AggregateError(errors, errors.map((e) => e.message).join('; '))
  }

  try {
    const state = await start(levelState({ path: cfg.datastore.path })({ logger }))
    let theCluster: Cluster | undefined
    const e = cfg.embedded
    const ipfs = await start(embeddedConnector({
      repoPath: e.repoPath,
      swarmListen: e.swarmListenMultiaddress,
      announce: e.announceMultiaddress,
      privateKey: undefined,
      ipfsRequestTimeout: e.ipfsRequestTimeout,
      pinTimeout: e.pinTimeout,
      unpinTimeout: e.unpinTimeout,
      repoGCTimeout: e.repogcTimeout,
      storageMax: e.storageMax,
      fetchConcurrency: e.fetchConcurrency,
      unpinDisable: e.unpinDisable,
      informerTriggerInterval: e.informerTriggerInterval,
      routing: e.routing
    })({ logger, triggerInformers: async () => { await theCluster?.sendInformersMetrics() } }))

    let tracker: PinTracker | undefined
    const log = logger.forComponent('cluster:cluster')
    // the cluster's libp2p host, RPC and pubsub (CRDT configurations; a Raft section keeps the
    // single-peer consensus: Raft is not implemented)
    const net = cfg.consensus === 'crdt' ? await startNetwork(cfg, logger, start) : undefined
    const monitor = await start(pubsubMonitor(cfg.pubsubmon)({
      peerId,
      logger,
      publish: net == null ? undefined : async (data) => { await net.host.pubsub.publish(METRICS_TOPIC, data) },
      // a peer that (re)joins gets our informer metrics now, not at their next tick
      onNewPeer: () => { theCluster?.announceMetrics() }
    }))
    if (net != null) {
      net.unsubscribers.push(onTopic(net.host, METRICS_TOPIC, (from, data) => {
        // a peer's ping carries its cluster addresses: dialable at once by everyone it reaches
        void monitor.handleMessage(data).then(async () => await theCluster?.learnAddresses(from))
      }))
    }
    const crdt = net == null
      ? undefined
      : crdtConsensus({
        path: crdtPath(cfg.datastore.path),
        clusterName: cfg.crdt.clusterName,
        trustAll: cfg.crdt.trustAll,
        trustedPeers: cfg.crdt.trustedPeers,
        batching: cfg.crdt.batching,
        repairInterval: cfg.crdt.repairInterval,
        rebroadcastInterval: cfg.crdt.rebroadcastInterval
      })({
        peerId,
        state,
        tracker: () => tracker,
        peers: async (o) => (await monitor.latestMetrics(cfg.crdt.peersetMetric, o)).map((m) => m.peer),
        broadcaster: crdtBroadcaster(net.host, crdtTopic(cfg.crdt.clusterName), (p) => net.consensus?.isTrustedPeer(p) ?? false),
        dagSync: dagSyncTransport(net.host),
        logger
      })
    if (crdt != null && opts.noTrust !== true) {
      for (const a of opts.bootstrap ?? []) {
        const id = peerIdOfAddr(a)
        if (id != null) crdt.trust(id)
      }
    }
    const consensus: Consensus = crdt != null
      ? await start(crdt)
      : singlePeerConsensus({ trustedPeers: cfg.crdt.trustAll ? undefined : cfg.crdt.trustedPeers })({
        peerId, state, tracker: () => tracker, logger
      })
    if (net != null && crdt != null) {
      await handleDagSync(net.host, (req, o) => crdt.serveFetch(req, o), log)
      net.consensus = consensus
    }
    tracker = await start(statelessPinTracker(cfg.stateless)({
      ipfs,
      state: async () => state,
      peerId,
      peerName,
      localIPFS: () => theCluster?.localIPFS() ?? { id: '', addresses: [] },
      logger
    }))
    const t = tracker

    const informers: Informer[] = []
    if (cfg.loaded.disk) informers.push(await start(diskInformer(cfg.disk)({ ipfs, logger })))
    if (cfg.loaded.tags) informers.push(await start(tagsInformer(cfg.tags)({ logger })))
    if (cfg.loaded.pinqueue) informers.push(await start(pinQueueInformer(cfg.pinqueue)({ pinQueueSize: async () => await t.pinQueueSize(), logger })))
    // a config without allocator.balanced gets the legacy ["freespace"] (spec config §2.2)
    const allocateBy = cfg.loaded.balanced ? cfg.balanced.allocateBy : ['freespace']
    const allocator = await start(balancedAllocator({ allocateBy })({ logger }))

    theCluster = createCluster({
      peerName,
      replicationFactorMin: cfg.cluster.replicationFactorMin,
      replicationFactorMax: cfg.cluster.replicationFactorMax,
      stateSyncInterval: cfg.cluster.stateSyncInterval,
      pinRecoverInterval: cfg.cluster.pinRecoverInterval,
      monitorPingInterval: cfg.cluster.monitorPingInterval,
      followerMode: cfg.cluster.followerMode,
      leaveOnShutdown: cfg.cluster.leaveOnShutdown || opts.leave === true,
      pinOnlyOnTrustedPeers: cfg.cluster.pinOnlyOnTrustedPeers,
      pinOnlyOnUntrustedPeers: cfg.cluster.pinOnlyOnUntrustedPeers,
      listenAddresses: []
    })({ peerId, consensus, tracker: t, ipfs, monitor, allocator, informers, logger, network: net == null ? undefined : clusterNetwork(net.host, net.rpc, net.peers) })
    const c = await start(theCluster)
    if (net != null) {
      registerRpcApi(net.rpc, { cluster: c, tracker: t, ipfs, consensus, monitor, peerId, logger })
      await crdt?.afterStart?.()
      // known peers first (peerstore file, peer_addresses), then the --bootstrap ones
      void net.peers.bootstrap().then(async (connected) => {
        for (const id of connected) await c.peerAdd(id.toString()).catch(() => {})
      }).catch((err) => { log.error('bootstrap: %s', err.message) })
      net.peers.startRebootstrap()
      void (async () => {
        await c.whenReady
        for (const a of opts.bootstrap ?? []) {
          try {
            await c.join(a)
            log('joined %s', a)
          } catch (err: any) {
            // with another secret the connection opens, then the private network's
            // handshake yields garbage: reset, closed or timed out; say what to check
            const hint = /ECONNREFUSED|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN/.test(String(err.message))
              ? ''
              : ' (if that peer is up, check that `cluster.secret` is the same on both peers: with another secret the connection fails this way)'
            log.error('joining %s: %s%s', a, err.message, hint)
          }
        }
      })()
      net.ready = true
    }

    const adderComponents: AdderComponents = {
      peerId,
      cluster: c,
      blockStreamTo: (peer) => {
        if (peer === peerId) return async (blocks, options) => { await ipfs.blockStream(blocks, options) }
        // Go: RPC IPFSConnector.BlockStream to the allocated peer (it verifies every block)
        if (net == null) throw new DestinationUnavailableError(`cannot stream blocks to peer ${peer}: this peer has no cluster network`)
        return async (blocks, options) => { await remoteBlockStream(net.rpc, peer, blocks, { signal: options.signal }) }
      },
      getLocalBlock: async (cid, options) => {
        try {
          return await ipfs.blockGet(cid, { ...options, offline: true })
        } catch (err: any) {
          if (err?.name === 'BlockNotFoundError') return undefined
          throw err
        }
      },
      logger
    }

    let rest: ReturnType<ReturnType<typeof restApi>> | undefined
    if (cfg.loaded.restapi) {
      const r = cfg.restapi
      rest = await start(restApi({
        httpListenMultiaddress: r.httpListenMultiaddress,
        sslCertFile: r.sslCertPath !== '' ? r.sslCertPath : undefined,
        sslKeyFile: r.sslKeyPath !== '' ? r.sslKeyPath : undefined,
        readTimeout: r.readTimeout,
        readHeaderTimeout: r.readHeaderTimeout,
        writeTimeout: r.writeTimeout,
        idleTimeout: r.idleTimeout,
        maxHeaderBytes: r.maxHeaderBytes,
        basicAuthCredentials: r.basicAuthCredentials,
        httpLogFile: r.httpLogPath,
        headers: r.headers,
        corsAllowedOrigins: r.corsAllowedOrigins,
        corsAllowedMethods: r.corsAllowedMethods,
        corsAllowedHeaders: r.corsAllowedHeaders,
        corsExposedHeaders: r.corsExposedHeaders,
        corsAllowCredentials: r.corsAllowCredentials,
        corsMaxAge: r.corsMaxAge
      })({
        cluster: c,
        logger,
        configDir: cfg.configDir,
        add: restAddHandler({
          // an add streams its upload through buffers: V8's own heap growth while it runs (heap-tuning.ts)
          add: async (upload, params, options) => await withBufferHeavyWork(async () => await add(upload, params, adderComponents, options)),
          log: logger.forComponent('cluster:restapi')
        })
      }))
    }
    const api = rest
    return { cluster: c, restAddresses: () => api?.addresses() ?? [], stop }
  } catch (err) {
    await stop().catch(() => {})
    throw err
  }
}
