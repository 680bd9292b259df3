/**
 * The receiving side: one inbound stream per call. The policy is enforced here,
 * as gorpc's server does with the cluster's authorization function.
 */
import { endpointName } from './policy.js'
import { FrameWriter, MAX_READ_BUFFER, readValues } from './stream-io.js'
import { RpcAuthorizationError, RpcServerError, RpcUnknownMethodError } from './errors.js'
import { ERR_NON_RPC, encodeValue, errorResponse, isServiceId } from './wire.js'
import type { RpcEndpoint, RpcPolicy } from './policy.js'
import type { RpcContext, StreamingHandler, UnaryHandler } from './types.js'
import type { ServiceId } from './wire.js'
import type { Connection, Logger, Stream, StreamCloseEvent } from '@libp2p/interface'

const NIL = encodeValue(null)

/** Wraps what a handler (or its reply iterable) threw: sent as ErrType 0 with the error's name. */
class HandlerFailure extends Error {
  readonly error: unknown
  constructor (error: unknown) {
    super('handler failed', { cause: error })
    this.name = 'HandlerFailure'
    this.error = error
  }
}

export interface ServerDeps {
  table: Readonly<Record<string, RpcEndpoint>>
  handlers: ReadonlyMap<string, UnaryHandler | StreamingHandler>
  isTrusted: (peer: string) => boolean
  log: Logger
}

export class RpcServer {
  private readonly deps: ServerDeps
  private readonly inflight = new Set<AbortController>()

  constructor (deps: ServerDeps) {
    this.deps = deps
  }

  /** The libp2p stream handler. */
  readonly handle = async (stream: Stream, connection: Connection): Promise<void> => {
    await this.serve(stream, connection.remotePeer.toString())
  }

  /** Aborts every running handler and resets its stream. */
  abortAll (reason: Error): void {
    for (const controller of this.inflight) controller.abort(reason)
  }

  private allowed (policy: RpcPolicy, peer: string): boolean {
    if (policy === 'open') return true
    if (policy === 'closed') return false
    try {
      return this.deps.isTrusted(peer)
    } catch {
      return false
    }
  }

  private async serve (stream: Stream, remote: string): Promise<void> {
    const { log } = this.deps
    const controller = new AbortController()
    const signal = controller.signal
    this.inflight.add(controller)
    // a reset from the caller (cancel, timeout, lost connection) aborts the handler
    const onClose = (evt: StreamCloseEvent): void => {
      if (evt.error != null) controller.abort(evt.error)
    }
    stream.addEventListener('close', onClose)
    // our stop aborts the controller: reset the stream so the caller learns at once
    const onAbort = (): void => { stream.abort(signal.reason instanceof Error ? signal.reason : new RpcServerError('rpc call aborted')) }
    signal.addEventListener('abort', onAbort, { once: true })
    stream.maxReadBufferLength = MAX_READ_BUFFER
    const values = readValues(stream)
    const writer = new FrameWriter(stream)
    let sid: ServiceId = { Name: '', Method: '' }
    let started = false
    // set while a handler's reply iterator is unfinished: it must be told to clean up
    let replies: AsyncIterator<unknown> | undefined
    try {
      const first = await values.next()
      if (first.done === true) return // the caller went away before asking anything
      if (!isServiceId(first.value)) throw new RpcServerError('rpc: malformed request header')
      sid = { Name: first.value.Name, Method: first.value.Method }
      const name = endpointName(sid.Name, sid.Method)
      const endpoint = Object.hasOwn(this.deps.table, name) ? this.deps.table[name] : undefined
      if (endpoint == null) throw new RpcUnknownMethodError(`rpc: can't find method ${name}`)
      if (!this.allowed(endpoint.policy, remote)) {
        log('refused %s from %s', name, remote)
        throw new RpcAuthorizationError(`client does not have permissions to call ${name}`)
      }
      const handler = this.deps.handlers.get(name)
      if (handler == null) throw new RpcUnknownMethodError(`rpc: can't find method ${name}`)
      const ctx: RpcContext = { peer: remote, local: false, signal }
      const ok = encodeValue({ Service: sid })
      started = true
      if (!endpoint.streaming) {
        const arg = await values.next()
        if (arg.done === true) throw new RpcServerError(`rpc: missing argument for ${name}`)
        let reply: unknown
        try {
          reply = await (handler as UnaryHandler)(arg.value, ctx)
        } catch (err) {
          throw new HandlerFailure(err)
        }
        await writer.write([ok, encodeReply(reply)], { signal })
      } else {
        // the handler sees the rest of the request; it may stop early, we drain below
        const args: AsyncIterable<unknown> = {
          [Symbol.asyncIterator]: () => ({
            next: async () => await values.next(),
            return: async () => ({ done: true, value: undefined })
          })
        }
        try {
          replies = (handler as StreamingHandler)(args, ctx)[Symbol.asyncIterator]()
        } catch (err) {
          throw new HandlerFailure(err)
        }
        while (true) {
          signal.throwIfAborted()
          let item: IteratorResult<unknown>
          try {
            item = await replies.next()
          } catch (err) {
            replies = undefined
            throw new HandlerFailure(err)
          }
          if (item.done === true) {
            replies = undefined
            break
          }
          await writer.write([ok, encodeReply(item.value)], { signal })
        }
      }
      await writer.close({ signal })
      // the caller may still be sending arguments nobody reads: discard them until it closes
      if (stream.remoteWriteStatus !== 'closed') {
        while ((await values.next()).done !== true) { /* discard */ }
      }
    } catch (e) {
      const failure = e instanceof HandlerFailure
      const err = failure ? e.error : e
      if (signal.aborted || stream.status !== 'open' || stream.writeStatus !== 'writable') {
        log('%s.%s from %s ended: %s', sid.Name, sid.Method, remote, err instanceof Error ? err.message : String(err))
        return
      }
      if (!started) log('rejected %s.%s from %s: %s', sid.Name, sid.Method, remote, err instanceof Error ? err.message : String(err))
      try {
        const response = errorResponse(sid, err, failure ? ERR_NON_RPC : undefined)
        await writer.write([encodeValue(response), NIL], { signal })
        await writer.close({ signal })
      } catch (sendErr) {
        writer.discard()
        stream.abort(sendErr instanceof Error ? sendErr : new Error(String(sendErr)))
      }
    } finally {
      if (replies?.return != null) replies.return().catch(() => {})
      signal.removeEventListener('abort', onAbort)
      stream.removeEventListener('close', onClose)
      this.inflight.delete(controller)
      void values.return?.()
    }
  }
}

function encodeReply (value: unknown): Uint8Array {
  try {
    return encodeValue(value)
  } catch (err: any) {
    throw new RpcServerError(`rpc: cannot encode the reply: ${String(err?.message ?? err)}`, { cause: err })
  }
}
