/**
 * Errors of peer-to-peer RPC. Callers branch on `err.name`. The first four
 * mirror go-libp2p-gorpc's error types (ErrType 0–3 on the wire).
 */

/** The remote handler failed (ErrType 0). `remoteName` is the remote error's `name`, when sent. */
export class RpcApplicationError extends Error {
  static name = 'RpcApplicationError'
  readonly remoteName: string
  constructor (message: string, remoteName = '', options?: ErrorOptions) {
    super(message, options)
    this.name = 'RpcApplicationError'
    this.remoteName = remoteName
  }
}

/** The remote RPC server failed to process the request (ErrType 1). */
export class RpcServerError extends Error {
  static name = 'RpcServerError'
  constructor (message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'RpcServerError'
  }
}

/**
 * The call failed on this side (ErrType 2): the peer could not be dialled, the
 * connection closed or reset mid-call, the arguments could not be sent, the
 * reply was malformed, or a streaming method was called as unary (or the reverse).
 */
export class RpcClientError extends Error {
  static name = 'RpcClientError'
  constructor (message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'RpcClientError'
  }
}

/** The receiver's policy refused the caller (ErrType 3). */
export class RpcAuthorizationError extends Error {
  static name = 'RpcAuthorizationError'
  constructor (message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'RpcAuthorizationError'
  }
}

/** The call did not finish within its `timeout`. */
export class RpcTimeoutError extends Error {
  static name = 'RpcTimeoutError'
  constructor (message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'RpcTimeoutError'
  }
}

/** The method is not in the policy table, or the receiver has no handler for it. */
export class RpcUnknownMethodError extends Error {
  static name = 'RpcUnknownMethodError'
  constructor (message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'RpcUnknownMethodError'
  }
}
