/** In-process calls (to '' or to this peer): no stream, no policy check, as gorpc's local path. */
import { RpcClientError, RpcTimeoutError } from './errors.js'
import type { RpcCallOptions } from './types.js'

/** The signal and deadline of one in-process call. */
export class LocalCall {
  readonly signal: AbortSignal
  private readonly controller = new AbortController()
  private readonly name: string
  private readonly options: RpcCallOptions
  private why: 'timeout' | 'caller' | undefined
  private timer: NodeJS.Timeout | undefined

  constructor (name: string, options: RpcCallOptions) {
    this.name = name
    this.options = options
    this.signal = this.controller.signal
    if (options.timeout != null && options.timeout > 0) {
      this.timer = setTimeout(() => { this.abort('timeout') }, options.timeout)
    }
    options.signal?.addEventListener('abort', this.onCallerAbort, { once: true })
    if (options.signal?.aborted === true) this.abort('caller')
  }

  /** Settles as `work`, or rejects as soon as the call is cancelled or times out (handlers that ignore their signal cannot hold the caller). */
  async race<T> (work: Promise<T>): Promise<T> {
    this.throwIfAborted()
    let onAbort: (() => void) | undefined
    try {
      return await Promise.race([
        work,
        new Promise<never>((resolve, reject) => {
          onAbort = () => { reject(this.error()) }
          this.signal.addEventListener('abort', onAbort, { once: true })
        })
      ])
    } finally {
      if (onAbort != null) this.signal.removeEventListener('abort', onAbort)
    }
  }

  throwIfAborted (): void {
    if (this.signal.aborted) throw this.error()
  }

  /** Ends the call; `cancel` aborts the handler's signal (the caller stopped early or failed). */
  done (cancel: boolean): void {
    if (this.timer != null) clearTimeout(this.timer)
    this.options.signal?.removeEventListener('abort', this.onCallerAbort)
    if (cancel && !this.signal.aborted) this.controller.abort(new RpcClientError(`${this.name}: call cancelled`))
  }

  private error (): Error {
    if (this.why === 'timeout') return new RpcTimeoutError(`${this.name}: timed out after ${this.options.timeout} ms`)
    const reason = this.options.signal?.reason
    return reason instanceof Error ? reason : new RpcClientError(`${this.name}: call cancelled`, { cause: reason })
  }

  private abort (why: 'timeout' | 'caller'): void {
    if (this.signal.aborted) return
    this.why = why
    this.controller.abort(this.error())
  }

  private readonly onCallerAbort = (): void => { this.abort('caller') }
}
