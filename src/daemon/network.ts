/**
 * The daemon's glue between the cluster libp2p host and the components that talk to
 * other peers: the CRDT's pubsub broadcaster and DAG fetches, the monitor's metrics topic,
 * and the orchestrator's `ClusterNetwork` (addresses, connecting, RPC).
 */
import { peerIdFromString } from '@libp2p/peer-id'
import { encodeValue } from '../rpc/wire.js'
import { FrameWriter, readValues } from '../rpc/stream-io.js'
import type { ClusterNetwork } from '../cluster/index.js'
import type { PeerManager } from '../cluster/peer-manager.js'
import type { CrdtBroadcaster, DagSyncTransport } from '../consensus/crdt/index.js'
import type { ClusterHost } from '../host/index.js'
import type { AbortOptions } from '../interface/startable.js'
import type { Rpc } from '../rpc/types.js'
import { TopicValidatorResult } from '@libp2p/gossipsub'
import type { Message } from '@libp2p/gossipsub'
import type { Logger, Stream } from '@libp2p/interface'

/** The pubsub topic of monitor metrics (spec pinning-internals §7.1). */
export const METRICS_TOPIC = 'monitor.metrics'
/** DAG blocks of the CRDT, fetched from the peer that announced them. */
export const CRDT_DAG_PROTOCOL = '/ipfs-cluster-ts/crdt-dag/1.0.0'

/** Calls `handler` with the author and payload of every message on `topic` (subscribing to it). */
export function onTopic (host: ClusterHost, topic: string, handler: (from: string, data: Uint8Array) => void): () => void {
  const pubsub = host.pubsub
  const listener = (evt: CustomEvent<Message>): void => {
    const msg = evt.detail
    if (msg.topic !== topic || msg.type !== 'signed') return
    handler(msg.from.toString(), msg.data)
  }
  pubsub.subscribe(topic)
  pubsub.addEventListener('message', listener)
  return () => {
    pubsub.removeEventListener('message', listener)
    pubsub.unsubscribe(topic)
  }
}

/**
 * The CRDT broadcaster on its topic (signed messages: the author is known). Messages of
 * untrusted authors are rejected by the topic validator: neither delivered nor forwarded
 * (spec consensus §3.4).
 */
export function crdtBroadcaster (host: ClusterHost, topic: string, isTrusted: (peer: string) => boolean): CrdtBroadcaster {
  host.pubsub.topicValidators.set(topic, (_peer, msg) =>
    msg.type === 'signed' && isTrusted(msg.from.toString()) ? TopicValidatorResult.Accept : TopicValidatorResult.Reject)
  return {
    publish: async (data) => { await host.pubsub.publish(topic, data) },
    subscribe: (handler) => onTopic(host, topic, (from, data) => { handler({ from, data }) })
  }
}

/** Client side of CRDT DAG fetches: one stream per request, the reply is a run of blocks. */
export function dagSyncTransport (host: ClusterHost): DagSyncTransport {
  return {
    async * request (peer, request, options: AbortOptions = {}) {
      const stream = await host.libp2p.dialProtocol(peerIdFromString(peer), CRDT_DAG_PROTOCOL, { signal: options.signal })
      let done = false
      try {
        const writer = new FrameWriter(stream)
        await writer.write([encodeValue(request)], options)
        await writer.close(options)
        const values = readValues(stream)
        for (;;) {
          const r = await values.next()
          if (r.done === true) break
          if (!(r.value instanceof Uint8Array)) throw new Error('crdt dag fetch: a reply item is not bytes')
          yield r.value
        }
        done = true
      } finally {
        if (!done) stream.abort(new Error('crdt dag fetch ended early'))
      }
    }
  }
}

/**
 * Server side: answers each fetch with `serve(request)`'s blocks, to any peer of the
 * cluster (one that knows the secret), as Go's IPFS-lite node serves the DAG over bitswap.
 */
export async function handleDagSync (host: ClusterHost, serve: (request: Uint8Array, options: AbortOptions) => AsyncIterable<Uint8Array>, log: Logger): Promise<void> {
  await host.libp2p.handle(CRDT_DAG_PROTOCOL, async (stream: Stream, connection) => {
    const controller = new AbortController()
    const onClose = (): void => { controller.abort() }
    stream.addEventListener('close', onClose)
    try {
      const first = await readValues(stream).next()
      if (first.done === true || !(first.value instanceof Uint8Array)) throw new Error('crdt dag fetch: no request')
      const writer = new FrameWriter(stream)
      for await (const block of serve(first.value, { signal: controller.signal })) {
        await writer.write([encodeValue(block)], { signal: controller.signal })
      }
      await writer.close()
    } catch (err: any) {
      log('crdt dag fetch from %p failed: %s', connection.remotePeer, err.message)
      stream.abort(err instanceof Error ? err : new Error(String(err)))
    } finally {
      stream.removeEventListener('close', onClose)
    }
  }, { maxInboundStreams: 256, maxOutboundStreams: 256, runOnLimitedConnection: false })
}

/** The orchestrator's view of the network. */
export function clusterNetwork (host: ClusterHost, rpc: Rpc, peers: PeerManager): ClusterNetwork {
  const self = host.peerId.toString()
  return {
    rpc,
    addresses: () => host.addresses().map((a) => a.toString()).map((a) => a.endsWith(`/p2p/${self}`) ? a : `${a}/p2p/${self}`),
    peerAddresses: (ids) => {
      const out: string[] = []
      for (const conn of host.libp2p.getConnections()) {
        const id = conn.remotePeer.toString()
        if (ids.includes(id)) out.push(`${conn.remoteAddr.toString().replace(/\/p2p\/[^/]+$/, '')}/p2p/${id}`)
      }
      return [...new Set(out)].sort()
    },
    learn: async (addrs) => {
      for (const a of addrs) await peers.add(a).catch(() => {})
    },
    bandwidth: () => host.bandwidth(),
    connect: async (addr, options = {}) => {
      const id = await peers.add(addr, 0)
      await host.libp2p.dial(id, options)
      return id.toString()
    }
  }
}
