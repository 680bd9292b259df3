/**
 * Errors of the cluster's RPC API (Go `rpc_api.go`), and the rebuilding of a remote
 * handler's error on the calling side so that callers branch on the same `name` for
 * local and remote failures.
 */
import {
  AllocationError, BlockNotFoundError, FollowerModeError, InvalidArgumentError, IPFSError,
  PinNotFoundError, PinRefusedError, QueueFullError
} from '../interface/errors.js'

/** This peer has no local operation behind an RPC endpoint (e.g. `Cluster.Join` without a join function). */
export class NotSupportedError extends Error {
  static name = 'NotSupportedError'
  constructor (message = 'operation not supported by this peer', options?: ErrorOptions) {
    super(message, options)
    this.name = 'NotSupportedError'
  }
}

type ErrorClass = new (message: string, options?: ErrorOptions) => Error

// errors a caller is known to branch on, rebuilt as their own class (instanceof works too)
const KNOWN: ReadonlyMap<string, ErrorClass> = new Map<string, ErrorClass>([
  ['PinNotFoundError', PinNotFoundError],
  ['InvalidArgumentError', InvalidArgumentError],
  ['PinRefusedError', PinRefusedError],
  ['IPFSError', IPFSError],
  ['QueueFullError', QueueFullError],
  ['FollowerModeError', FollowerModeError],
  ['AllocationError', AllocationError],
  ['BlockNotFoundError', BlockNotFoundError],
  ['NotSupportedError', NotSupportedError]
])

/**
 * The error a caller should see for `err`, thrown by an RPC call: an
 * RpcApplicationError that carries the remote error's name becomes an error of that
 * name (same message, the RpcApplicationError as `cause`); anything else is returned as is.
 */
export function remoteError (err: unknown): unknown {
  if (!(err instanceof Error) || err.name !== 'RpcApplicationError') return err
  const remoteName = (err as Error & { remoteName?: unknown }).remoteName
  if (typeof remoteName !== 'string' || remoteName === '' || remoteName === 'Error') return err
  const Known = KNOWN.get(remoteName)
  if (Known != null) return new Known(err.message, { cause: err })
  const e = new Error(err.message, { cause: err })
  e.name = remoteName
  return e
}
