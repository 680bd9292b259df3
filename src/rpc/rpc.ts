/** The RPC component: handler registry, in-process dispatch, and the libp2p server and client. */
import { InvalidConfigError } from '../interface/errors.js'
import { RpcClient } from './client.js'
import { RpcClientError, RpcServerError, RpcUnknownMethodError } from './errors.js'
import { LocalCall } from './local.js'
import { multiCall, multiStream } from './multi.js'
import { DEFAULT_POLICY, FOLLOWER_POLICY, endpointName } from './policy.js'
import { RpcServer } from './server.js'
import { PROTOCOL, roundTrip } from './wire.js'
import type { RpcComponents, RpcInit } from './index.js'
import type { RpcEndpoint } from './policy.js'
import type {
  MultiCallResult, MultiStreamItem, Rpc, RpcCallOptions, RpcContext, RpcHandler, StreamingHandler, UnaryHandler
} from './types.js'
import type { Logger } from '@libp2p/interface'

/** Default `maxInboundStreams` / `maxOutboundStreams`. */
export const DEFAULT_MAX_STREAMS = 1024
/** Default `maxCallsPerPeer`: under yamux's 1000 streams per connection. */
export const DEFAULT_MAX_CALLS_PER_PEER = 512

export class Libp2pRpc implements Rpc {
  private readonly components: RpcComponents
  private readonly init: RpcInit
  private readonly log: Logger
  private readonly table: Readonly<Record<string, RpcEndpoint>>
  private readonly handlers = new Map<string, UnaryHandler | StreamingHandler>()
  private readonly server: RpcServer
  private readonly client: RpcClient
  private lifetime = new AbortController()
  private started = false
  private self: string | undefined

  constructor (components: RpcComponents, init: RpcInit) {
    this.components = components
    this.init = init
    this.log = components.logger.forComponent('cluster:rpc')
    this.table = init.follower === true ? FOLLOWER_POLICY : DEFAULT_POLICY
    this.server = new RpcServer({ table: this.table, handlers: this.handlers, isTrusted: components.isTrusted, log: this.log })
    this.client = new RpcClient({
      libp2p: components.libp2p,
      lifetime: () => this.lifetime.signal,
      maxCallsPerPeer: init.maxCallsPerPeer ?? DEFAULT_MAX_CALLS_PER_PEER,
      maxOutboundStreams: init.maxOutboundStreams ?? DEFAULT_MAX_STREAMS
    })
  }

  async start (): Promise<void> {
    if (this.started) return
    this.lifetime = new AbortController()
    await this.components.libp2p.handle(PROTOCOL, this.server.handle, {
      maxInboundStreams: this.init.maxInboundStreams ?? DEFAULT_MAX_STREAMS,
      maxOutboundStreams: this.init.maxOutboundStreams ?? DEFAULT_MAX_STREAMS
    })
    this.started = true
  }

  async stop (): Promise<void> {
    if (!this.started) return
    this.started = false
    this.lifetime.abort(new RpcClientError('rpc stopped'))
    this.server.abortAll(new RpcServerError('rpc server stopped'))
    await this.components.libp2p.unhandle(PROTOCOL)
  }

  register<A = unknown, R = unknown> (service: string, method: string, handler: RpcHandler<A, R>): void {
    const name = endpointName(service, method)
    if (!Object.hasOwn(this.table, name)) throw new InvalidConfigError(`rpc: ${name} is not in the policy table`)
    this.handlers.set(name, handler as UnaryHandler | StreamingHandler)
  }

  async call<R = unknown> (peer: string, service: string, method: string, arg: unknown, options: RpcCallOptions = {}): Promise<R> {
    const name = this.endpoint(service, method, false)
    if (this.isLocal(peer)) return await this.callLocal(name, arg, options) as R
    if (!this.started) throw new RpcClientError(`${name} to ${peer}: rpc is not started`)
    return await this.client.call(peer, { Name: service, Method: method }, arg, options) as R
  }

  async * stream<R = unknown> (peer: string, service: string, method: string, args: AsyncIterable<unknown> | undefined, options: RpcCallOptions = {}): AsyncGenerator<R> {
    const name = this.endpoint(service, method, true)
    if (this.isLocal(peer)) {
      yield * this.streamLocal(name, args, options) as AsyncGenerator<R>
      return
    }
    if (!this.started) throw new RpcClientError(`${name} to ${peer}: rpc is not started`)
    yield * this.client.stream(peer, { Name: service, Method: method }, args, options) as AsyncGenerator<R>
  }

  async multiCall<R = unknown> (peers: string[], service: string, method: string, arg: unknown, options: RpcCallOptions = {}): Promise<Array<MultiCallResult<R>>> {
    return await multiCall<R>(peers, async (peer, opts) => await this.call(peer, service, method, arg, opts), options)
  }

  multiStream<R = unknown> (peers: string[], service: string, method: string, args: AsyncIterable<unknown> | undefined, options: RpcCallOptions = {}): AsyncGenerator<MultiStreamItem<R>> {
    return multiStream<R>(peers, (peer, a, opts) => this.stream(peer, service, method, a, opts), args, options)
  }

  /** Checks the endpoint exists and is of the kind asked for; returns its name. */
  private endpoint (service: string, method: string, streaming: boolean): string {
    const name = endpointName(service, method)
    const entry = Object.hasOwn(this.table, name) ? this.table[name] : undefined
    if (entry == null) throw new RpcUnknownMethodError(`rpc: can't find method ${name}`)
    if (entry.streaming !== streaming) {
      throw new RpcClientError(`rpc: ${name} is a ${entry.streaming ? 'streaming' : 'unary'} method: use ${entry.streaming ? 'stream' : 'call'}()`)
    }
    return name
  }

  private isLocal (peer: string): boolean {
    this.self ??= this.components.libp2p.peerId.toString()
    return peer === '' || peer === this.self
  }

  private handler (name: string): UnaryHandler | StreamingHandler {
    const handler = this.handlers.get(name)
    if (handler == null) throw new RpcUnknownMethodError(`rpc: can't find method ${name}`)
    return handler
  }

  private async callLocal (name: string, arg: unknown, options: RpcCallOptions): Promise<unknown> {
    const handler = this.handler(name) as UnaryHandler
    const call = new LocalCall(name, options)
    let ok = false
    try {
      const ctx: RpcContext = { peer: this.self ?? '', local: true, signal: call.signal }
      const reply = await call.race(handler(this.copy(arg), ctx))
      ok = true
      return this.copy(reply)
    } finally {
      call.done(!ok)
    }
  }

  private async * streamLocal (name: string, args: AsyncIterable<unknown> | undefined, options: RpcCallOptions): AsyncGenerator<unknown> {
    const handler = this.handler(name) as StreamingHandler
    const call = new LocalCall(name, options)
    let ok = false
    let replies: AsyncIterator<unknown> | undefined
    try {
      const ctx: RpcContext = { peer: this.self ?? '', local: true, signal: call.signal }
      replies = handler(this.copyAll(args), ctx)[Symbol.asyncIterator]()
      while (true) {
        const item = await call.race(replies.next())
        if (item.done === true) break
        yield this.copy(item.value)
      }
      ok = true
    } finally {
      call.done(!ok)
      if (!ok) replies?.return?.().catch(() => {})
    }
  }

  private copy<T> (value: T): T {
    return this.init.encodeLocal === true ? roundTrip(value) : value
  }

  private async * copyAll (args: AsyncIterable<unknown> | undefined): AsyncGenerator<unknown> {
    if (args == null) return
    for await (const a of args) yield this.copy(a)
  }
}
