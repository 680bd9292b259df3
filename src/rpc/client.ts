/**
 * The calling side: one outbound stream per call, so calls to one peer never
 * wait for each other (yamux multiplexes them). Concurrent streams per peer are
 * capped below the muxer's limits; extra calls wait for a slot.
 */
import { peerIdFromString } from '@libp2p/peer-id'
import { Semaphore } from './channel.js'
import { RpcClientError, RpcTimeoutError } from './errors.js'
import { FrameWriter, MAX_READ_BUFFER, readValues } from './stream-io.js'
import { PROTOCOL, concat, encodeValue, isResponse, responseError } from './wire.js'
import type { RpcCallOptions } from './types.js'
import type { ServiceId } from './wire.js'
import type { Libp2p, Stream } from '@libp2p/interface'

/**
 * Streams per peer until one has been negotiated. Streams that reach a peer before
 * its side of a new connection is set up count as "early" and yamux aborts the
 * whole connection past 10 of them (`maxEarlyStreams`), so a burst of calls
 * right after connecting starts small.
 */
const WARMUP_CALLS = 4

/** What the client needs of a libp2p node. */
export type RpcDialer = Pick<Libp2p, 'dialProtocol'>

export interface ClientDeps {
  libp2p: RpcDialer
  /** Aborts when RPC stops. */
  lifetime: () => AbortSignal
  maxCallsPerPeer: number
  maxOutboundStreams: number
}

/** One outbound call: its slot, its stream, and why it was aborted. */
class OutboundCall {
  readonly name: string
  readonly peer: string
  readonly signal: AbortSignal
  stream: Stream | undefined
  private readonly controller = new AbortController()
  private readonly options: RpcCallOptions
  private readonly lifetime: AbortSignal
  private why: 'timeout' | 'caller' | 'stopped' | undefined
  private timer: NodeJS.Timeout | undefined
  private slot: Semaphore | undefined

  constructor (peer: string, name: string, options: RpcCallOptions, lifetime: AbortSignal) {
    this.peer = peer
    this.name = name
    this.options = options
    this.lifetime = lifetime
    this.signal = this.controller.signal
    if (options.timeout != null && options.timeout > 0) {
      this.timer = setTimeout(() => { this.abort('timeout') }, options.timeout)
    }
    options.signal?.addEventListener('abort', this.onCallerAbort, { once: true })
    lifetime.addEventListener('abort', this.onStop, { once: true })
    if (options.signal?.aborted === true) this.abort('caller')
    if (lifetime.aborted) this.abort('stopped')
  }

  /** Waits for a slot, dials and negotiates the protocol. */
  async open (deps: ClientDeps, slots: (peer: string) => Semaphore): Promise<Stream> {
    const slot = slots(this.peer)
    await slot.acquire({ signal: this.signal })
    this.slot = slot
    const stream = await deps.libp2p.dialProtocol(peerIdFromString(this.peer), PROTOCOL, {
      signal: this.signal,
      maxOutboundStreams: deps.maxOutboundStreams
    })
    this.stream = stream
    stream.maxReadBufferLength = MAX_READ_BUFFER
    if (this.signal.aborted) stream.abort(this.reason())
    return stream
  }

  /** The error to throw for `err`, given why the call was aborted, if it was. */
  fail (err: unknown): Error {
    if (this.why === 'timeout') return new RpcTimeoutError(`${this.name} to ${this.peer}: timed out after ${this.options.timeout} ms`, { cause: err })
    if (this.why === 'caller') {
      const reason = this.options.signal?.reason
      return reason instanceof Error ? reason : new RpcClientError(`${this.name} to ${this.peer}: aborted`, { cause: reason })
    }
    if (this.why === 'stopped') return new RpcClientError(`${this.name} to ${this.peer}: rpc stopped`, { cause: err })
    if (err instanceof Error && err.name.startsWith('Rpc')) return err
    const message = err instanceof Error ? err.message : String(err)
    return new RpcClientError(`${this.name} to ${this.peer}: ${message}`, { cause: err })
  }

  /** Releases the slot and listeners; resets the stream unless the call completed. */
  finish (completed: boolean): void {
    if (this.timer != null) clearTimeout(this.timer)
    this.options.signal?.removeEventListener('abort', this.onCallerAbort)
    this.lifetime.removeEventListener('abort', this.onStop)
    if (!completed && this.stream != null) this.stream.abort(this.reason())
    if (this.slot != null) {
      this.slot.release()
      this.slot = undefined
    }
  }

  private abort (why: 'timeout' | 'caller' | 'stopped'): void {
    if (this.signal.aborted) return
    this.why = why
    this.controller.abort(this.reason(why))
    this.stream?.abort(this.reason())
  }

  private reason (why = this.why): Error {
    return new RpcClientError(`${this.name}: call ${why === 'timeout' ? 'timed out' : why === 'stopped' ? 'stopped' : 'cancelled'}`)
  }

  private readonly onCallerAbort = (): void => { this.abort('caller') }
  private readonly onStop = (): void => { this.abort('stopped') }
}

interface PeerSlots {
  semaphore: Semaphore
  warm: boolean
}

export class RpcClient {
  private readonly deps: ClientDeps
  private readonly slots = new Map<string, PeerSlots>()

  constructor (deps: ClientDeps) {
    this.deps = deps
  }

  /** Sends a unary request to a remote peer; see `Rpc.call`. */
  async call (peer: string, sid: ServiceId, arg: unknown, options: RpcCallOptions): Promise<unknown> {
    const name = `${sid.Name}.${sid.Method}`
    const request = concat([encodeValue(sid), encodeArg(name, arg)])
    const call = new OutboundCall(peer, name, options, this.deps.lifetime())
    let completed = false
    try {
      const stream = await call.open(this.deps, this.slot)
      this.answered(peer)
      stream.send(request)
      // the request is complete: half-close so the server sees the end
      stream.close({ signal: call.signal }).catch(() => {})
      const values = readValues(stream)
      try {
        const reply = await readReply(values, name)
        if (reply.done) throw new RpcClientError(`${name} to ${peer}: the stream ended without a reply`)
        completed = true
        return reply.value
      } finally {
        void values.return?.()
      }
    } catch (err) {
      throw call.fail(err)
    } finally {
      call.finish(completed)
      this.forget(peer)
    }
  }

  /** Runs a streaming request on a remote peer; see `Rpc.stream`. */
  async * stream (peer: string, sid: ServiceId, args: AsyncIterable<unknown> | undefined, options: RpcCallOptions): AsyncGenerator<unknown> {
    const name = `${sid.Name}.${sid.Method}`
    const call = new OutboundCall(peer, name, options, this.deps.lifetime())
    let completed = false
    let pumping = false
    let pumpError: unknown
    let argIterator: AsyncIterator<unknown> | undefined
    try {
      const stream = await call.open(this.deps, this.slot)
      this.answered(peer)
      const writer = new FrameWriter(stream)
      stream.send(encodeValue(sid))
      // arguments go out while replies come in: a server may answer before reading them all
      pumping = true
      const pump = async (): Promise<void> => {
        try {
          if (args != null) {
            argIterator = args[Symbol.asyncIterator]()
            while (pumping) {
              const next = await argIterator.next()
              if (next.done === true || !pumping) break
              await writer.write([encodeArg(name, next.value)], { signal: call.signal })
            }
          }
          if (pumping) await writer.close({ signal: call.signal })
        } catch (err) {
          if (pumping) {
            pumpError = err
            writer.discard()
            stream.abort(err instanceof Error ? err : new Error(String(err)))
          }
        } finally {
          pumping = false
        }
      }
      void pump()
      const values = readValues(stream)
      try {
        while (true) {
          const reply = await readReply(values, name)
          if (reply.done) break
          yield reply.value
        }
      } finally {
        void values.return?.()
      }
      completed = true
      if (pumping) {
        // the server finished without reading every argument: stop sending them
        pumping = false
        stream.abort(new RpcClientError(`${name}: reply complete`))
      }
    } catch (err) {
      if (pumpError != null && !call.signal.aborted) throw new RpcClientError(`${name} to ${peer}: sending arguments failed: ${pumpError instanceof Error ? pumpError.message : String(pumpError)}`, { cause: pumpError })
      throw call.fail(err)
    } finally {
      pumping = false
      if (argIterator?.return != null) argIterator.return().catch(() => {})
      call.finish(completed)
      this.forget(peer)
    }
  }

  private readonly slot = (peer: string): Semaphore => {
    let s = this.slots.get(peer)
    if (s == null) {
      s = { semaphore: new Semaphore(Math.min(WARMUP_CALLS, this.deps.maxCallsPerPeer)), warm: false }
      this.slots.set(peer, s)
    }
    return s.semaphore
  }

  /** The peer negotiated a stream, so its end of the connection is up: lift the warm-up limit. */
  private answered (peer: string): void {
    const s = this.slots.get(peer)
    if (s != null && !s.warm) {
      s.warm = true
      s.semaphore.resize(this.deps.maxCallsPerPeer)
    }
  }

  // an idle peer is forgotten (and warms up again next time: it may have reconnected)
  private forget (peer: string): void {
    if (this.slots.get(peer)?.semaphore.idle === true) this.slots.delete(peer)
  }
}

/** Reads one (Response, value) pair; `done` when the stream ended cleanly before a Response. Throws the error a Response reports. */
async function readReply (values: AsyncIterator<unknown>, name: string): Promise<{ done: true } | { done: false, value: unknown }> {
  const head = await values.next()
  if (head.done === true) return { done: true }
  if (!isResponse(head.value)) throw new RpcClientError(`${name}: malformed response header`)
  const err = responseError(head.value)
  if (err != null) throw err
  const body = await values.next()
  if (body.done === true) throw new RpcClientError(`${name}: the stream ended after a response header`)
  return { done: false, value: body.value }
}

function encodeArg (name: string, value: unknown): Uint8Array {
  try {
    return encodeValue(value)
  } catch (err: any) {
    throw new RpcClientError(`${name}: cannot encode the argument: ${String(err?.message ?? err)}`, { cause: err })
  }
}
