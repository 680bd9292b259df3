/** MultiCall and MultiStream of gorpc: one call fanned out to many peers. */
import { Channel } from './channel.js'
import type { MultiCallResult, MultiStreamItem, RpcCallOptions } from './types.js'

type Caller = (peer: string, options: RpcCallOptions) => Promise<unknown>
type Streamer = (peer: string, args: AsyncIterable<unknown> | undefined, options: RpcCallOptions) => AsyncGenerator<unknown>

/** Runs `call` for every peer concurrently; each outcome is kept, in the order of `peers`. */
export async function multiCall<R> (peers: string[], call: Caller, options: RpcCallOptions): Promise<Array<MultiCallResult<R>>> {
  return await Promise.all(peers.map(async (peer): Promise<MultiCallResult<R>> => {
    try {
      return { peer, result: await call(peer, options) as R }
    } catch (err) {
      return { peer, error: err instanceof Error ? err : new Error(String(err)) }
    }
  }))
}

/**
 * Runs `stream` for every peer concurrently. `args` is read once; each item goes
 * to every peer still listening before the next is read. Replies are merged in
 * arrival order; the caller stopping early cancels every peer's call.
 */
export async function * multiStream<R> (peers: string[], stream: Streamer, args: AsyncIterable<unknown> | undefined, options: RpcCallOptions): AsyncGenerator<MultiStreamItem<R>> {
  const controller = new AbortController()
  const signal = options.signal != null ? AbortSignal.any([options.signal, controller.signal]) : controller.signal
  const perPeer = { ...options, signal }
  const out = new Channel<MultiStreamItem<R>>(Math.max(1, peers.length))
  const inputs = args != null ? peers.map(() => new Channel<unknown>(1)) : undefined

  if (args != null && inputs != null) {
    void (async () => {
      try {
        for await (const item of args) {
          if (signal.aborted) break
          const taken = await Promise.all(inputs.map(async (ch) => await ch.push(item)))
          if (!taken.includes(true)) break // every peer is done
        }
        for (const ch of inputs) ch.end()
      } catch (err) {
        for (const ch of inputs) ch.end(err instanceof Error ? err : new Error(String(err)))
      }
    })()
  }

  let running = peers.length
  if (running === 0) out.end()
  peers.forEach((peer, i) => {
    void (async () => {
      try {
        for await (const value of stream(peer, inputs?.[i], perPeer)) {
          if (!await out.push({ peer, value: value as R })) return
        }
      } catch (err) {
        await out.push({ peer, error: err instanceof Error ? err : new Error(String(err)) })
      } finally {
        // a peer that stopped early no longer holds the others back
        inputs?.[i].cancel()
        if (--running === 0) out.end()
      }
    })()
  })

  try {
    yield * out
  } finally {
    controller.abort()
  }
}
