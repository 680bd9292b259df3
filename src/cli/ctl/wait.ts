/**
 * `--wait`: poll a CID's status until it reaches a target (Go client `WaitFor`
 * and `statusReached`).
 */
import { DeadlineExceededError } from './errors.js'
import { normGlobalPinInfo } from './normalize.js'
import type { RestClient } from './client.js'

type Json = Record<string, any>

/** Wait parameters. */
export interface WaitOptions {
  cid: string
  target: 'pinned' | 'unpinned'
  /** Peers that must reach the target; 0 = all. */
  limit: number
  /** Overall limit in ms; values ≤ 1 s mean no limit (as the Go ctl). */
  timeout: number
  /** Poll period in ms. @default 1000 */
  checkFreq?: number
  /** Called with every polled status (progress display). */
  onStatus?: (status: Json) => void
}

const ERROR_STATES = new Set(['undefined', 'cluster_error', 'pin_error', 'unpin_error'])

/**
 * Go `statusReached`: throws when a peer is in an error state; with a limit,
 * counts peers at the target; else every peer must be at the target (`remote`
 * counts as done when waiting for `pinned`).
 */
export function statusReached (target: string, gpi: Json, limit: number): boolean {
  const peers = Object.values((gpi.peer_map ?? {}) as Record<string, Json>)
  for (const p of peers) {
    if (ERROR_STATES.has(p.status)) throw new Error(`error has occurred while attempting to reach status: ${target}`)
  }
  const l = Math.min(limit, peers.length)
  if (l > 0) return peers.filter((p) => p.status === target).length >= l
  return peers.every((p) => p.status === target || (p.status === 'remote' && target === 'pinned'))
}

function sleep (ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) { reject(signal.reason); return }
    const t = setTimeout(() => { signal.removeEventListener('abort', onAbort); resolve() }, ms)
    const onAbort = (): void => { clearTimeout(t); reject(signal.reason) }
    signal.addEventListener('abort', onAbort, { once: true })
  })
}

/**
 * Polls `GET /pins/<cid>?local=false` every `checkFreq` (first poll after one
 * period) and returns the last status once the target is reached. Throws
 * DeadlineExceededError on timeout, ApiError for failed polls, Error for
 * peers in error.
 */
export async function waitFor (client: RestClient, opts: WaitOptions): Promise<Json> {
  const freq = opts.checkFreq ?? 1000
  const ac = new AbortController()
  const timer = opts.timeout > 1000 ? setTimeout(() => { ac.abort(new DeadlineExceededError()) }, opts.timeout) : undefined
  try {
    while (true) {
      await sleep(freq, ac.signal)
      const raw = await client.call('GET', `/pins/${opts.cid}?local=false`, JSON.parse, ac.signal)
      const status = normGlobalPinInfo(raw)
      opts.onStatus?.(status)
      if (statusReached(opts.target, status, opts.limit)) return status
    }
  } catch (err) {
    // the deadline wins over the request it interrupted
    if (ac.signal.aborted) throw ac.signal.reason
    throw err
  } finally {
    clearTimeout(timer)
  }
}
