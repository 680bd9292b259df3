/** Plain libp2p nodes (TCP on 127.0.0.1, noise, yamux) and RPC components for the RPC tests. */
import { createLibp2p } from 'libp2p'
import { tcp } from '@libp2p/tcp'
import { noise } from '@libp2p/noise'
import { yamux } from '@libp2p/yamux'
import { rpc } from '../../src/rpc/index.js'
import { createLogger } from '../../src/util/logger.js'
import type { RpcInit } from '../../src/rpc/index.js'
import type { Rpc } from '../../src/rpc/types.js'
import type { Libp2p } from '@libp2p/interface'

export interface TestPeer {
  node: Libp2p
  rpc: Rpc
  id: string
  trusted: Set<string>
  stop: () => Promise<void>
}

/** Starts a node and its RPC; `trusted` may be filled in later. */
export async function startPeer (name: string, init: RpcInit = {}): Promise<TestPeer> {
  const node = await createLibp2p({
    addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()]
  })
  const trusted = new Set<string>()
  const logger = createLogger({ level: 'error', prefix: name })
  const r = rpc(init)({ libp2p: node, isTrusted: (p) => trusted.has(p), logger })
  await r.start?.()
  return {
    node,
    rpc: r,
    id: node.peerId.toString(),
    trusted,
    stop: async () => {
      await r.stop?.()
      await node.stop()
    }
  }
}

/** Connects `a` to `b` (so calls by peer ID find an address). */
export async function connect (a: TestPeer, b: TestPeer): Promise<void> {
  await a.node.dial(b.node.getMultiaddrs()[0])
}

export const sleep = async (ms: number): Promise<void> => { await new Promise((resolve) => setTimeout(resolve, ms)) }

/** Resolves when `signal` aborts. */
export async function aborted (signal: AbortSignal): Promise<void> {
  if (signal.aborted) return
  await new Promise<void>((resolve) => { signal.addEventListener('abort', () => { resolve() }, { once: true }) })
}

/** Fails when `p` does not settle within `ms`. */
export async function within<T> (ms: number, p: Promise<T>, what = 'operation'): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  try {
    return await Promise.race([
      p,
      new Promise<never>((resolve, reject) => { timer = setTimeout(() => { reject(new Error(`${what} did not finish within ${ms} ms`)) }, ms) })
    ])
  } finally {
    clearTimeout(timer)
  }
}
