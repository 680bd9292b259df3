/**
 * The peer-to-peer RPC component (ARCHITECTURE firm decision 6). Values are
 * msgpack values (objects, arrays, strings, numbers, bigint, booleans, null,
 * Uint8Array, Date); call sites choose the shapes, helped by `codec.ts`.
 * Received Uint8Arrays are views of a larger receive buffer: copy small ones
 * that are kept long. Calls to '' or to this peer run the handler in process,
 * without policy checks, and pass values by reference (see `encodeLocal`).
 */
import type { AbortOptions, Startable } from '../interface/startable.js'

/** What a handler knows about its call. */
export interface RpcContext {
  /** The caller's peer ID string (this peer's own ID for in-process calls). */
  peer: string
  /** True for in-process calls. */
  local: boolean
  /** Aborts when the caller cancels, times out or its connection goes, or when RPC stops. */
  signal: AbortSignal
}

/** A `Call` endpoint: one argument in, one reply out. Throwing sends the error to the caller. */
export type UnaryHandler<A = unknown, R = unknown> = (arg: A, ctx: RpcContext) => Promise<R>

/**
 * A `Stream` endpoint: the caller's arguments in, replies out. Throwing (or the
 * iterable throwing) ends the reply stream with that error.
 */
export type StreamingHandler<A = unknown, R = unknown> = (args: AsyncIterable<A>, ctx: RpcContext) => AsyncIterable<R>

/**
 * A handler of either kind, as `register` takes it: a unary endpoint's input is
 * its argument, a streaming endpoint's is the AsyncIterable of its arguments.
 */
export type RpcHandler<A = unknown, R = unknown> = (input: A, ctx: RpcContext) => Promise<R> | AsyncIterable<R>

export interface RpcCallOptions extends AbortOptions {
  /** Milliseconds before the call fails with RpcTimeoutError and the remote handler is aborted. No limit when absent. */
  timeout?: number
}

/** One peer's outcome in a multiCall. */
export type MultiCallResult<R> =
  | { peer: string, result: R, error?: undefined }
  | { peer: string, error: Error, result?: undefined }

/** One item of a multiStream: a reply from a peer, or the error that ended that peer's stream. */
export type MultiStreamItem<R> =
  | { peer: string, value: R, error?: undefined }
  | { peer: string, error: Error, value?: undefined }

export interface Rpc extends Startable {
  /**
   * Serves `Service.Method`. Unary endpoints take a UnaryHandler, streaming ones
   * (see `policy.ts`) a StreamingHandler. Throws InvalidConfigError when the
   * endpoint is not in the policy table. A later registration replaces an earlier one.
   */
  register: <A = unknown, R = unknown>(service: string, method: string, handler: RpcHandler<A, R>) => void

  /**
   * Calls a unary endpoint on `peer` and returns its reply. Throws
   * RpcApplicationError (the handler failed), RpcAuthorizationError,
   * RpcUnknownMethodError, RpcServerError, RpcTimeoutError, RpcClientError
   * (dial or connection failure, wrong kind of endpoint), or the signal's reason.
   * In-process calls throw the handler's own error.
   */
  call: <R = unknown>(peer: string, service: string, method: string, arg: unknown, options?: RpcCallOptions) => Promise<R>

  /**
   * Calls a streaming endpoint on `peer`, sending `args` (none when undefined) and
   * yielding the replies as they come; a slow consumer slows the remote producer.
   * Throws as `call`. Stopping early cancels the remote handler. `timeout` bounds the whole call.
   */
  stream: <R = unknown>(peer: string, service: string, method: string, args: AsyncIterable<unknown> | undefined, options?: RpcCallOptions) => AsyncGenerator<R>

  /** The same unary call to every peer at once (`timeout` applies per peer); outcomes in the order of `peers`. Never throws. */
  multiCall: <R = unknown>(peers: string[], service: string, method: string, arg: unknown, options?: RpcCallOptions) => Promise<Array<MultiCallResult<R>>>

  /**
   * The same streaming call to every peer: `args` is read once and fanned out
   * (at the pace of the slowest peer); replies are merged as they come. A peer's
   * failure is one `{ peer, error }` item; the others go on.
   */
  multiStream: <R = unknown>(peers: string[], service: string, method: string, args: AsyncIterable<unknown> | undefined, options?: RpcCallOptions) => AsyncGenerator<MultiStreamItem<R>>
}
