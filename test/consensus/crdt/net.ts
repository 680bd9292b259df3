/**
 * An in-memory network for CRDT consensus tests: a broadcaster delivering to every
 * other member, and a DAG-sync transport calling the other member's `serveFetch`.
 * Real LevelDB stores in temp folders.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { pinWithOpts } from '../../../src/api/common/pin.js'
import { crdtConsensus } from '../../../src/consensus/crdt/index.js'
import { levelState } from '../../../src/state/leveldb/index.js'
import { createLogger, silentLogger } from '../../../src/util/logger.js'
import type { CrdtConsensusInit, CrdtConsensus, BroadcastMessage } from '../../../src/consensus/crdt/index.js'
import type { PinTracker } from '../../../src/interface/pin-tracker.js'
import type { Pin } from '../../../src/interface/types.js'
import type { PinsetStore } from '../../../src/state/types.js'

const dirs: string[] = []

/** A temp folder removed by `cleanupDirs`. */
export async function tempDir (): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'crdt-test-'))
  dirs.push(d)
  return d
}

const live = new Set<TestPeer>()

/** Stops the peers a failed test left running, then removes the temp folders. */
export async function cleanupDirs (): Promise<void> {
  for (const p of [...live]) await p.stop().catch(() => {})
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true })
}

export async function newPeerId (): Promise<string> {
  return peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString()
}

/** A CID derived from `i`. */
export async function cidOf (i: number | string): Promise<CID> {
  return CID.createV1(raw.code, await sha256.digest(new TextEncoder().encode(`crdt-pin-${i}`)))
}

/** A pin of `cidOf(i)` named `name`. */
export async function pinOf (i: number | string, name = `pin-${i}`): Promise<Pin> {
  const pin = pinWithOpts(await cidOf(i), { name, replicationFactorMin: -1, replicationFactorMax: -1 })
  pin.timestamp = new Date('2026-01-01T00:00:00Z')
  return pin
}

/** A tracker that records calls. */
export class RecordingTracker implements Partial<PinTracker> {
  readonly calls: Array<{ op: 'track' | 'untrack', cid: string, name?: string }> = []
  fail = false

  async track (pin: Pin): Promise<void> {
    this.calls.push({ op: 'track', cid: pin.cid.toString(), name: pin.name })
    if (this.fail) throw new Error('tracker broken')
  }

  async untrack (cid: CID): Promise<void> {
    this.calls.push({ op: 'untrack', cid: cid.toString() })
    if (this.fail) throw new Error('tracker broken')
  }

  of (cid: CID): string[] {
    return this.calls.filter((c) => c.cid === cid.toString()).map((c) => c.op)
  }
}

export interface TestPeer {
  id: string
  consensus: CrdtConsensus
  state: PinsetStore
  tracker: RecordingTracker
  crdtPath: string
  statePath: string
  /** Stops consensus then state. */
  stop: () => Promise<void>
}

export interface PeerOptions extends Partial<Omit<CrdtConsensusInit, 'path'>> {
  id?: string
  /** Reuse folders (restart). */
  crdtPath?: string
  statePath?: string
  offline?: boolean
  /** Log to stderr with this prefix. */
  logPrefix?: string
  /** Skip afterStart. */
  noLoops?: boolean
}

/** Transport hook: may replace the block stream served to `to` by `from`. */
export type Interceptor = (from: string, to: string, blocks: AsyncIterable<Uint8Array>) => AsyncIterable<Uint8Array>

export class FakeNetwork {
  readonly members = new Map<string, { peer?: TestPeer, handlers: Set<(m: BroadcastMessage) => void> }>()
  /** Peers cut off from broadcasts and fetches. */
  readonly down = new Set<string>()
  intercept: Interceptor | undefined
  broadcasts = 0
  /** Every published message, in order. */
  readonly published: BroadcastMessage[] = []

  private member (id: string): { peer?: TestPeer, handlers: Set<(m: BroadcastMessage) => void> } {
    let m = this.members.get(id)
    if (m == null) {
      m = { handlers: new Set() }
      this.members.set(id, m)
    }
    return m
  }

  /** Delivers `data` to `to` as if `from` had published it. */
  deliver (from: string, to: string, data: Uint8Array): void {
    for (const h of this.members.get(to)?.handlers ?? []) h({ from, data })
  }

  ids (): string[] {
    return [...this.members.keys()]
  }

  async addPeer (opts: PeerOptions = {}): Promise<TestPeer> {
    const id = opts.id ?? await newPeerId()
    const crdtPath = opts.crdtPath ?? join(await tempDir(), 'crdt')
    const statePath = opts.statePath ?? join(await tempDir(), 'state')
    const logger = opts.logPrefix != null ? createLogger({ level: 'debug', prefix: opts.logPrefix, facilities: { crdt: 'debug' } }) : silentLogger()
    const state = levelState({ path: statePath })({ logger })
    await state.start?.()
    const tracker = new RecordingTracker()
    const m = this.member(id)
    const online = opts.offline !== true
    const consensus = crdtConsensus({ rebroadcastInterval: 60_000, repairInterval: 0, fetchTimeout: 5_000, ...opts, path: crdtPath })({
      peerId: id,
      state,
      // offline tools (state import/export) run with no tracker
      tracker: online ? () => tracker as unknown as PinTracker : undefined,
      peers: async () => this.ids().filter((p) => !this.down.has(p)),
      broadcaster: online
        ? {
            publish: async (data) => {
              if (this.down.has(id)) return
              this.broadcasts++
              this.published.push({ from: id, data })
              for (const [other, om] of this.members) {
                if (other === id || this.down.has(other)) continue
                for (const h of om.handlers) setImmediate(() => { h({ from: id, data }) })
              }
            },
            subscribe: (handler) => {
              m.handlers.add(handler)
              return () => { m.handlers.delete(handler) }
            }
          }
        : undefined,
      dagSync: online
        ? {
            request: (peer, request, options) => {
              const target = this.members.get(peer)?.peer
              if (target == null || this.down.has(peer) || this.down.has(id)) throw new Error(`peer ${peer} unreachable`)
              const blocks = target.consensus.serveFetch(request, options)
              return this.intercept != null ? this.intercept(peer, id, blocks) : blocks
            }
          }
        : undefined,
      logger
    })
    await consensus.start?.()
    if (opts.noLoops !== true) await consensus.afterStart?.()
    const peer: TestPeer = {
      id,
      consensus,
      state,
      tracker,
      crdtPath,
      statePath,
      stop: async () => {
        live.delete(peer)
        if (this.members.get(id)?.peer === peer) this.members.delete(id)
        await consensus.beforeStop?.()
        await consensus.stop?.()
        await state.stop?.()
      }
    }
    m.peer = peer
    live.add(peer)
    return peer
  }
}

/** Every CID string in a pinset with its name, sorted. */
export async function contents (state: PinsetStore): Promise<string[]> {
  const out: string[] = []
  for await (const p of state.list()) out.push(`${p.cid.toString()}=${p.name}`)
  return out.sort()
}

/** Polls `fn` until it returns true or `ms` pass. */
export async function until (fn: () => boolean | Promise<boolean>, ms = 10_000, step = 10): Promise<void> {
  const end = Date.now() + ms
  while (!(await fn())) {
    if (Date.now() > end) throw new Error('condition not met in time')
    await new Promise((resolve) => setTimeout(resolve, step))
  }
}

/** Waits until every peer's processing is idle and their pinsets are equal. */
export async function converged (peers: TestPeer[], ms = 30_000): Promise<string[]> {
  let last: string[] = []
  await until(async () => {
    for (const p of peers) await p.consensus.idle()
    const all = await Promise.all(peers.map(async (p) => await contents(p.state)))
    last = all[0]
    // equal pinsets may hide a losing write not merged yet: the heads must agree too
    const stats = peers.map((p) => p.consensus.stats())
    return all.every((c) => c.length === last.length && c.every((x, i) => x === last[i])) &&
      stats.every((s) => s.heads === stats[0].heads && s.maxHeight === stats[0].maxHeight)
  }, ms, 50)
  return last
}
