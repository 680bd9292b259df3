/** Harness of the stateless tracker tests. */
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { pinWithOpts } from '../../../src/api/common/pin.js'
import { statelessPinTracker } from '../../../src/pintracker/stateless/index.js'
import { memoryState } from '../../../src/state/memory/index.js'
import { silentLogger } from '../../../src/util/logger.js'
import { FakeIPFS } from '../fake-ipfs.js'
import type { StatelessInit } from '../../../src/pintracker/stateless/index.js'
import type { PinTracker } from '../../../src/interface/pin-tracker.js'
import type { ReadOnlyState } from '../../../src/interface/state.js'
import type { Pin, PinOptions } from '../../../src/interface/types.js'
import type { PinsetStore } from '../../../src/state/types.js'

export const PEER = '12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA'
export const OTHER_PEER = '12D3KooWSQHqvZ8U6cn8zuuZZ3oX3VNKxJTByR6xpRWHFQpNDgJH'
export const IPFS_ID = '12D3KooWHf4tTXw8KyJBXLBAuSzMdNcEE4FtYkKXCUVhz1zUBoHn'
export const IPFS_ADDRS = ['/ip4/127.0.0.1/tcp/4001']

/** A CID derived from `i` (v0 for even `i`, v1 raw for odd). */
export async function cidOf (i: number): Promise<CID> {
  const digest = await sha256.digest(new TextEncoder().encode(`tracker-${i}`))
  return i % 2 === 0 ? CID.createV0(digest) : CID.createV1(raw.code, digest)
}

/** A pin allocated everywhere (so local to every peer). */
export async function localPin (i: number, opts: Partial<PinOptions> = {}): Promise<Pin> {
  return pinWithOpts(await cidOf(i), { replicationFactorMin: -1, replicationFactorMax: -1, name: `pin-${i}`, ...opts })
}

/** A pin allocated only to another peer. */
export async function remotePin (i: number): Promise<Pin> {
  const pin = pinWithOpts(await cidOf(i), { replicationFactorMin: 1, replicationFactorMax: 1 })
  pin.allocations = [OTHER_PEER]
  return pin
}

export interface Harness {
  ipfs: FakeIPFS
  state: PinsetStore
  tracker: PinTracker
}

const running: PinTracker[] = []

/** Stops every tracker the tests created. */
export async function stopAll (): Promise<void> {
  for (const t of running.splice(0)) await t.stop?.()
}

/**
 * A started tracker over an in-memory state holding `pins`. With `keyless` the
 * state hides the stores' `key` extension of `listJson` (a foreign ReadOnlyState).
 */
export async function setup (init: StatelessInit = {}, pins: Pin[] = [], opts: { keyless?: boolean, ipfs?: FakeIPFS } = {}): Promise<Harness> {
  const ipfs = opts.ipfs ?? new FakeIPFS()
  const state = memoryState()()
  for (const p of pins) await state.add(p)
  const view: ReadOnlyState = opts.keyless === true
    ? {
        list: (o) => state.list(o),
        has: async (c, o) => await state.has(c, o),
        get: async (c, o) => await state.get(c, o),
        listJson: async function * (o) {
          for await (const e of state.listJson(o)) yield { type: e.type, json: e.json }
        }
      }
    : state
  const tracker = statelessPinTracker({ concurrentPins: 2, ...init })({
    ipfs,
    state: async () => view,
    peerId: PEER,
    peerName: 'peer-one',
    localIPFS: () => ({ id: IPFS_ID, addresses: IPFS_ADDRS }),
    logger: silentLogger()
  })
  await tracker.start?.()
  running.push(tracker)
  return { ipfs, state, tracker }
}

export async function collect<T> (it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = []
  for await (const x of it) out.push(x)
  return out
}
