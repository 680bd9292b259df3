/**
 * Multi-peer integration harness: N `ipfs-cluster-service` daemons as separate processes on
 * 127.0.0.1 (temp folders, `init --randomports`), sharing one `cluster.secret`, peers 2..N
 * started with `--bootstrap` to peer 1, with shorter timers than the defaults.
 */
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { rmSync } from 'node:fs'
import { CID } from 'multiformats/cid'
import { identity } from 'multiformats/hashes/identity'
import { sha256 } from 'multiformats/hashes/sha2'
import { clusterSecret, editServiceJson, localClusterConfig } from '../tools/cluster-config.js'
import { Peer, SERVICE } from './harness.js'
import { jsonDocs } from './content.js'
import type { ClusterTimers, ServiceJson } from '../tools/cluster-config.js'

/** Timers for tests (Go's test harness uses even shorter ones). */
export const PING_INTERVAL = '2s'
export const REBROADCAST_INTERVAL = '2s'
export const INFORMER_TTL = '10s'
const TIMERS: ClusterTimers = { monitorPingInterval: PING_INTERVAL, heartbeatInterval: '1s', rebroadcastInterval: REBROADCAST_INTERVAL, checkInterval: '2s' }

/** Every peer created and not destroyed yet: its daemon is killed and folder removed when the test process exits. */
const spawned = new Set<ClusterPeer>()
/** Last resort (test process exiting or interrupted): SIGKILL the daemons, remove their folders. */
function killSpawned (): void {
  for (const p of spawned) {
    if (p.proc != null && p.proc.exitCode == null && p.proc.signalCode == null) {
      try { p.proc.kill('SIGKILL') } catch {}
    }
    try { rmSync(p.dir, { recursive: true, force: true, maxRetries: 3 }) } catch {}
  }
}
process.on('exit', killSpawned)
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(sig, () => {
    killSpawned()
    process.exit(130)
  })
}

export type { ServiceJson }

export class ClusterPeer extends Peer {
  /** Peer ID (identity.json). */
  peerId = ''
  /** The cluster host's TCP port (cluster.listen_multiaddress). */
  clusterPort = 0
  /** Name in messages and `peername` (peer1, peer2, …). */
  name = ''

  /** `init --randomports`, then the cluster host on 127.0.0.1 only (TCP) and test timers. */
  static async create (name: string, edit?: (cfg: ServiceJson) => void): Promise<ClusterPeer> {
    const base = await Peer.init()
    const p = new ClusterPeer(base.dir)
    spawned.add(p)
    p.name = name
    p.peerId = await p.id()
    await p.editConfig((cfg) => {
      p.clusterPort = localClusterConfig(cfg, name, TIMERS)
      // informers publish every TTL/2: a joining peer gets the others' metrics sooner
      for (const inf of Object.values(cfg.informer ?? {}) as Array<Record<string, unknown>>) inf.metric_ttl = INFORMER_TTL
      edit?.(cfg)
    })
    return p
  }

  async editConfig (edit: (cfg: ServiceJson) => void): Promise<void> {
    await editServiceJson(this.dir, edit)
  }

  async secret (): Promise<string> {
    return await clusterSecret(this.dir)
  }

  /** `/ip4/127.0.0.1/tcp/<port>/p2p/<id>`: what others bootstrap to. */
  get multiaddr (): string {
    return `/ip4/127.0.0.1/tcp/${this.clusterPort}/p2p/${this.peerId}`
  }

  /** Starts the daemon and waits for READY (60 s); a daemon that dies says how (code or signal). */
  override async start (args: string[] = [], env: Record<string, string> = {}): Promise<void> {
    spawned.add(this)
    const proc = spawn(process.execPath, [SERVICE, '--config', this.dir, 'daemon', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    this.proc = proc
    this.log = ''
    const onData = (d: string): void => { this.log += d }
    proc.stdout?.setEncoding('utf8').on('data', onData)
    proc.stderr?.setEncoding('utf8').on('data', onData)
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => {
        clearInterval(poll)
        reject(new Error(`${this.name}: daemon not ready in 60s:\n${this.log}`))
      }, 60_000)
      const poll = setInterval(() => {
        if (!this.log.includes('READY')) return
        this.restAddr = /REST API \(HTTP\) listening on (\S+)/.exec(this.log)?.[1] ?? ''
        clearTimeout(t)
        clearInterval(poll)
        resolve()
      }, 50)
      proc.once('exit', (code, signal) => {
        clearTimeout(t)
        clearInterval(poll)
        reject(new Error(`${this.name}: daemon exited (code ${code}, signal ${signal}) before READY:\n${this.log}`))
      })
    })
  }

  /** Stops the daemon with `signal` (SIGKILL after 20 s) and waits for it to exit; the exit code, or null after a signal. */
  override async stop (signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    const proc = this.proc
    this.proc = undefined
    if (proc == null) return null
    if (proc.exitCode != null || proc.signalCode != null) return proc.exitCode
    const done = new Promise<number | null>((resolve) => proc.once('exit', (code) => { resolve(code) }))
    proc.kill(signal)
    const t = setTimeout(() => proc.kill('SIGKILL'), 20_000)
    const code = await done
    clearTimeout(t)
    return code
  }

  get running (): boolean {
    return this.proc != null && this.proc.exitCode == null && this.proc.signalCode == null
  }

  /** REST API base URL (http://127.0.0.1:port). */
  get url (): string {
    const m = /^\/ip4\/([^/]+)\/tcp\/(\d+)/.exec(this.restAddr)
    if (m == null) throw new Error(`peer ${this.name}: no REST address (${this.restAddr})`)
    return `http://${m[1]}:${m[2]}`
  }

  /** IDs listed by `peers ls` (ctl, JSON), sorted. */
  async peersLs (): Promise<string[]> {
    const r = await this.ctl(['--enc=json', 'peers', 'ls'])
    if (r.code !== 0) throw new Error(`peer ${this.name}: peers ls exited ${r.code}: ${r.stdout}${r.stderr}`)
    return jsonDocs(r.stdout).map((d) => d.id as string).sort()
  }

  /** CIDs of `pin ls` (ctl, JSON), sorted. */
  async pinLs (): Promise<string[]> {
    const r = await this.ctl(['--enc=json', 'pin', 'ls'])
    if (r.code !== 0) throw new Error(`peer ${this.name}: pin ls exited ${r.code}: ${r.stdout}${r.stderr}`)
    return jsonDocs(r.stdout).map((d) => d.cid as string).sort()
  }

  /** CIDs of GET /allocations (the pinset as REST lists it), sorted: faster than ctl for big sets. */
  async allocations (): Promise<string[]> {
    const res = await fetch(`${this.url}/allocations?filter=all`)
    if (res.status === 204) return []
    if (res.status !== 200) throw new Error(`peer ${this.name}: GET /allocations: ${res.status} ${await res.text()}`)
    const text = await res.text()
    return text.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l).cid as string).sort()
  }

  /** POST /pins/<cid>; throws unless 200. */
  async restPin (cid: string): Promise<void> {
    const res = await fetch(`${this.url}/pins/${cid}`, { method: 'POST' })
    const body = await res.text()
    if (res.status !== 200) throw new Error(`peer ${this.name}: POST /pins/${cid}: ${res.status} ${body}`)
  }

  /** DELETE /pins/<cid>; throws unless 200. */
  async restUnpin (cid: string): Promise<void> {
    const res = await fetch(`${this.url}/pins/${cid}`, { method: 'DELETE' })
    const body = await res.text()
    if (res.status !== 200) throw new Error(`peer ${this.name}: DELETE /pins/${cid}: ${res.status} ${body}`)
  }

  /** SIGKILL, no waiting for a clean shutdown. */
  async kill (): Promise<void> {
    await this.stop('SIGKILL')
  }
}

/**
 * `n` random raw CIDs of random bytes: sha2-256 ones name content that exists nowhere (their
 * pins stay queued/pinning in the trackers); identity ones embed their 32 bytes (pinned at once).
 */
export async function randomCids (n: number, hash: 'sha2-256' | 'identity' = 'sha2-256'): Promise<string[]> {
  const out: string[] = []
  for (let i = 0; i < n; i++) {
    const bytes = randomBytes(32)
    out.push(CID.createV1(0x55, hash === 'identity' ? identity.digest(bytes) : await sha256.digest(bytes)).toString())
  }
  return out
}

/** Polls `check` until it returns true; fails with `describe()` after `timeout` ms. */
export async function waitUntil (check: () => Promise<boolean>, timeout: number, describe: string | (() => Promise<string> | string), every = 500): Promise<void> {
  const end = Date.now() + timeout
  let lastErr: unknown
  for (;;) {
    try {
      if (await check()) return
      lastErr = undefined
    } catch (err) {
      lastErr = err
    }
    if (Date.now() > end) {
      throw new Error(`timed out after ${timeout} ms: ${typeof describe === 'string' ? describe : await describe()}${lastErr != null ? ` (last error: ${String(lastErr)})` : ''}`)
    }
    await new Promise((resolve) => setTimeout(resolve, every))
  }
}

/** Runs `fn` over `items` with at most `concurrency` at once. */
export async function parallel<T> (items: T[], concurrency: number, fn: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++
      await fn(items[i], i)
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker))
}

export interface ClusterOptions {
  /** Extra service.json edits for peer `i` (0-based), after the shared secret is set (every peer exists by then). */
  edit?: (cfg: ServiceJson, i: number, peers: ClusterPeer[]) => void
  /** Extra daemon flags for peer `i` (peers > 0 get `--bootstrap <peer 1>` first). */
  args?: (i: number, first: ClusterPeer) => string[]
  /** Waits until every peer's `peers ls` lists all of them. @default true */
  waitFormed?: boolean
}

/**
 * Creates `n` peers sharing peer 1's secret, starts peer 1, then the others bootstrapping
 * to it, and waits until every `peers ls` lists all `n`. On failure, stops what started.
 */
export async function startCluster (n: number, opts: ClusterOptions = {}): Promise<ClusterPeer[]> {
  const peers: ClusterPeer[] = []
  try {
    for (let i = 0; i < n; i++) peers.push(await ClusterPeer.create(`peer${i + 1}`))
    const secret = await peers[0].secret()
    for (let i = 0; i < n; i++) {
      await peers[i].editConfig((cfg) => {
        cfg.cluster.secret = secret
        opts.edit?.(cfg, i, peers)
      })
    }
    await peers[0].start(opts.args?.(0, peers[0]) ?? [])
    await Promise.all(peers.slice(1).map(async (p, j) => {
      await p.start(['--bootstrap', peers[0].multiaddr, ...(opts.args?.(j + 1, peers[0]) ?? [])])
    }))
    if (opts.waitFormed !== false) await waitFormed(peers)
    return peers
  } catch (err) {
    await destroyAll(peers)
    throw err
  }
}

/** Waits until `peers ls` on every peer of `peers` lists exactly their IDs. */
export async function waitFormed (peers: ClusterPeer[], timeout = 60_000): Promise<void> {
  const want = peers.map((p) => p.peerId).sort()
  const last = new Map<string, string[]>()
  await waitUntil(async () => {
    const lists = await Promise.all(peers.map(async (p) => await p.peersLs()))
    lists.forEach((l, i) => last.set(peers[i].name, l))
    return lists.every((l) => JSON.stringify(l) === JSON.stringify(want))
  }, timeout, () => `cluster not formed: want ${JSON.stringify(want)}, got ${JSON.stringify(Object.fromEntries(last))}`)
}

/**
 * Waits until every peer has a valid `name` metric of every peer (Go's test harness waits
 * for freespace the same way): informers publish every TTL/2, so a peer that joined may
 * lack the others' metrics for a while, and allocations would see fewer candidates.
 */
export async function waitMetrics (peers: ClusterPeer[], name = 'freespace', timeout = 60_000): Promise<void> {
  const want = peers.map((p) => p.peerId).sort()
  const last = new Map<string, string[]>()
  await waitUntil(async () => {
    const lists = await Promise.all(peers.map(async (p) => {
      const res = await fetch(`${p.url}/monitor/metrics/${name}`)
      const ms = res.status === 200 ? await res.json() as Array<{ peer: string, valid: boolean }> : []
      return (ms ?? []).filter((m) => m.valid).map((m) => m.peer).sort()
    }))
    lists.forEach((l, i) => last.set(peers[i].name, l))
    return lists.every((l) => JSON.stringify(l) === JSON.stringify(want))
  }, timeout, () => `${name} metrics: want ${JSON.stringify(want)}, got ${JSON.stringify(Object.fromEntries(last))}`)
}

/** Stops every peer (SIGTERM, SIGKILL after 20 s) and removes its folder; never throws. */
export async function destroyAll (peers: ClusterPeer[]): Promise<void> {
  if (process.env.CLUSTER_IT_LOGS != null) for (const p of peers) console.log(`----- ${p.name}\n${p.log.split('\n').filter((l) => /ERROR|WARN/.test(l)).join('\n')}`)
  await Promise.all(peers.map(async (p) => {
    try {
      await p.destroy()
    } catch {
      try { p.proc?.kill('SIGKILL') } catch {}
    }
    spawned.delete(p)
  }))
}
