/**
 * Benchmarks of a real multi-process cluster on 127.0.0.1 (npm run bench; BENCH_ONLY=cluster).
 * Prints one JSON object per line: { bench, value, unit, target, pass, ... }.
 *
 * 1. Ingest (BENCH_CLUSTER_PINS, default 20,000): 3 peers sharing a secret, peers 2–3
 *    bootstrapped to peer 1, CRDT batching on (BATCHING below); 20 keep-alive HTTP clients
 *    `POST /pins/<cid>` random raw CIDs (content that exists nowhere, replication
 *    everywhere) to peer 1. Reports accepted pins/s (target ≥ 5,000) and the time from the
 *    last acknowledgement until every peer's `GET /allocations` lists every pin (≤ 5 s).
 * 2. Status latency: 5 peers, one small `ctl add` pinned on all of them, then 200
 *    sequential `GET /pins/<cid>` (cluster-wide status) on peer 1 after 10 warm-up
 *    requests: median (target ≤ 20 ms) and p95.
 * 3. Join (BENCH_CLUSTER_JOIN_PINS, default 1,000,000): a peer whose state (built with
 *    `state import`) holds the pins runs alone until its tracker has pinned them; a new
 *    peer then bootstraps to it. Reports the time from the new peer's spawn until its
 *    pinset is complete (target ≤ 60 s, i.e. ≥ 16,000 pins/s for 1M). The pins are
 *    identity CIDs (pinned at once, no network) with replication everywhere (the
 *    default): the new peer's tracker pins every one of them while and after it catches
 *    up, so the time until its pin queue is empty and the RSS peak until then are reported
 *    too. BENCH_CLUSTER_JOIN_SEED_ONLY=1 allocates them to peer 1 only instead: then only
 *    the CRDT catch-up (DAG fetch + merge) is measured.
 *
 * Every measurement also reports the peers' RSS peaks (VmRSS and RssAnon, sampled every
 * 200 ms) and CPU seconds. BENCH_CLUSTER_STEPS=ingest,status,join picks steps.
 * BENCH_CLUSTER_JOINER_NODE_FLAGS gives the joining peer its own V8 flags (e.g.
 * `--max-semi-space-size=8 --cpu-prof --cpu-prof-dir=/tmp/prof`); BENCH_CLUSTER_TRACE=<file>
 * keeps every RSS sample. Every daemon is stopped (SIGTERM, SIGKILL after 10 s; SIGKILL at
 * exit and on SIGINT/SIGTERM/SIGHUP whatever happens) and the temp folders are removed,
 * also on failure.
 */
import { createHash, randomBytes } from 'node:crypto'
import { createWriteStream, rmSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { Agent, request } from 'node:http'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { CID } from 'multiformats/cid'
import { create as createDigest } from 'multiformats/hashes/digest'
import { identity } from 'multiformats/hashes/identity'
import { clusterSecret, editServiceJson, localClusterConfig } from '../test/tools/cluster-config.js'
import { CTL, SERVICE, exec, reporter, rssMb, startDaemon } from './daemon.js'
import type { ClusterTimers, ServiceJson } from '../test/tools/cluster-config.js'
import type { ChildProcess } from 'node:child_process'

const PINS = Number(process.env.BENCH_CLUSTER_PINS ?? 20_000)
/** Timed ingest rounds (BENCH_CLUSTER_INGEST_ROUNDS); the median is reported. */
const ROUNDS = Number(process.env.BENCH_CLUSTER_INGEST_ROUNDS ?? 3)
const JOIN_PINS = Number(process.env.BENCH_CLUSTER_JOIN_PINS ?? 1_000_000)
const JOIN_EVERYWHERE = process.env.BENCH_CLUSTER_JOIN_SEED_ONLY !== '1'
const STEPS = (process.env.BENCH_CLUSTER_STEPS ?? 'ingest,status,join').split(',').map((s) => s.trim())
const CLIENTS = 20
/** Pins posted (and waited for) before the timed ingest: cold code is not the steady state. */
const WARM_UP_PINS = 500
const STATUS_REQUESTS = 200
const STATUS_WARM_UP = 10
/** consensus.crdt.batching of the ingest cluster. */
const BATCHING = { max_batch_size: 5000, max_batch_age: '1s', max_queue_size: 50_000 }
/** Timers shorter than the defaults (as the integration tests): formation and heads announcements. */
const TIMERS: ClusterTimers = { monitorPingInterval: '2s', heartbeatInterval: '1s', rebroadcastInterval: '1s', checkInterval: '2s' }

const TARGET_INGEST = 5000
const TARGET_CONVERGE_MS = 5000
const TARGET_STATUS_MEDIAN_MS = 20
const TARGET_JOIN_S = 60
/** The join's `rebroadcast_interval`: the default. */
const JOIN_REBROADCAST = '1m0s'

const report = reporter({})
const sleep = async (ms: number): Promise<void> => { await new Promise((resolve) => setTimeout(resolve, ms)) }

// ---- processes ----

/** Every daemon started: SIGKILLed at exit whatever happens. */
const running = new Set<ChildProcess>()
const alive = (p: ChildProcess): boolean => p.exitCode == null && p.signalCode == null
process.on('exit', () => {
  for (const p of running) if (alive(p)) try { p.kill('SIGKILL') } catch {}
})
/** The run's temp folder: removed also when the bench is interrupted. */
let tempRoot: string | undefined
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(sig, () => {
    for (const p of running) if (alive(p)) try { p.kill('SIGKILL') } catch {}
    // the killed daemons may still hold files open for a moment: a few tries
    for (let i = 0; i < 5 && tempRoot != null; i++) {
      try {
        rmSync(tempRoot, { recursive: true, force: true })
        break
      } catch {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200)
      }
    }
    process.exit(130)
  })
}

/** CPU seconds (user + system) a process used so far. */
async function cpuSeconds (pid: number | undefined): Promise<number> {
  try {
    const f = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1].split(' ')
    return (Number(f[11]) + Number(f[12])) / 100
  } catch {
    return 0
  }
}


class BenchPeer {
  id = ''
  clusterPort = 0
  proc: ChildProcess | undefined
  restAddr = ''
  host = ''
  port = 0
  readyMs = 0

  constructor (readonly dir: string, readonly name: string) {}

  /** `/ip4/127.0.0.1/tcp/<port>/p2p/<id>`: what the others bootstrap to. */
  get multiaddr (): string {
    return `/ip4/127.0.0.1/tcp/${this.clusterPort}/p2p/${this.id}`
  }

  get pid (): number | undefined {
    return this.proc?.pid
  }

  /** `init --randomports`; everything on 127.0.0.1, port 0 except the cluster port; short timers. */
  async init (edit: (cfg: ServiceJson) => void): Promise<void> {
    const r = await exec([SERVICE, '--config', this.dir, 'init', '--randomports'])
    if (r.code !== 0) throw new Error(`${this.name}: init failed: ${r.err}`)
    this.id = JSON.parse(await readFile(join(this.dir, 'identity.json'), 'utf8')).id
    await this.editConfig((cfg) => {
      this.clusterPort = localClusterConfig(cfg, this.name, TIMERS)
      cfg.api.restapi.http_listen_multiaddress = '/ip4/127.0.0.1/tcp/0'
      if (cfg.api.ipfsproxy != null) cfg.api.ipfsproxy.listen_multiaddress = '/ip4/127.0.0.1/tcp/0'
      if (cfg.api.pinsvcapi != null) cfg.api.pinsvcapi.http_listen_multiaddress = '/ip4/127.0.0.1/tcp/0'
      cfg.ipfs_connector.embedded.swarm_listen_multiaddress = ['/ip4/127.0.0.1/tcp/0']
      edit(cfg)
    })
  }

  async editConfig (edit: (cfg: ServiceJson) => void): Promise<void> {
    await editServiceJson(this.dir, edit)
  }

  async secret (): Promise<string> {
    return await clusterSecret(this.dir)
  }

  async start (opts: Parameters<typeof startDaemon>[1] = {}): Promise<void> {
    const started = await startDaemon(this.dir, { ...opts, onSpawn: (proc) => { running.add(proc) } })
    this.proc = started.proc
    this.readyMs = started.ms
    this.restAddr = started.restAddr
    const m = /^\/ip4\/([^/]+)\/tcp\/(\d+)/.exec(this.restAddr)
    if (m == null) throw new Error(`${this.name}: no REST address in the daemon's log`)
    this.host = m[1]
    this.port = Number(m[2])
  }

  /** SIGTERM, SIGKILL after 10 s; resolves once the process is gone. */
  async stop (): Promise<void> {
    const p = this.proc
    if (p == null) return
    if (alive(p)) {
      const gone = new Promise<void>((resolve) => p.once('exit', () => { resolve() }))
      p.kill('SIGTERM')
      const t = setTimeout(() => { if (alive(p)) p.kill('SIGKILL') }, 10_000)
      await gone
      clearTimeout(t)
    }
    running.delete(p)
    this.proc = undefined
  }
}

async function stopAll (peers: BenchPeer[]): Promise<void> {
  await Promise.all(peers.map(async (p) => { await p.stop().catch(() => { p.proc?.kill('SIGKILL') }) }))
}

/** Creates `n` peers sharing peer 1's secret under `root`. */
async function createPeers (root: string, prefix: string, n: number, edit: (cfg: ServiceJson) => void = () => {}): Promise<BenchPeer[]> {
  const peers: BenchPeer[] = []
  for (let i = 0; i < n; i++) {
    const dir = join(root, `${prefix}-${i + 1}`)
    await mkdir(dir)
    const p = new BenchPeer(dir, `${prefix}${i + 1}`)
    peers.push(p)
    await p.init(edit)
  }
  const secret = await peers[0].secret()
  for (const p of peers.slice(1)) await p.editConfig((cfg) => { cfg.cluster.secret = secret })
  return peers
}

/** Starts peer 1, then the others with `--bootstrap <peer 1>`, and waits until every `GET /peers` lists all. */
async function startCluster (peers: BenchPeer[]): Promise<void> {
  await peers[0].start()
  await Promise.all(peers.slice(1).map(async (p) => { await p.start({ args: ['--bootstrap', peers[0].multiaddr] }) }))
  const want = peers.map((p) => p.id).sort().join(',')
  await waitUntil(async () => {
    for (const p of peers) {
      const { body } = await httpGet(p, '/peers')
      const ids = body.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as { id: string, error?: string })
      if (ids.some((x) => x.error != null && x.error !== '')) return false
      if (ids.map((x) => x.id).sort().join(',') !== want) return false
    }
    return true
  }, 60_000, 'the cluster did not form in 60 s')
}

async function waitUntil (check: () => Promise<boolean>, timeout: number, message: string, every = 200): Promise<void> {
  const end = Date.now() + timeout
  let last: unknown
  for (;;) {
    try {
      if (await check()) return
      last = undefined
    } catch (err) {
      last = err
    }
    if (Date.now() > end) throw new Error(`${message}${last != null ? ` (last error: ${String(last)})` : ''}`)
    await sleep(every)
  }
}

/** BENCH_CLUSTER_TRACE=<file>: every RSS sample, as `<s since the sampler started> <peer> rss= anon=`. */
const trace = process.env.BENCH_CLUSTER_TRACE != null ? createWriteStream(process.env.BENCH_CLUSTER_TRACE) : undefined

/** Samples every peer's VmRSS and RssAnon peaks and reads their CPU time. */
function sampler (peers: BenchPeer[]): { stop: () => Promise<{ rss: number[], anon: number[], cpu: number[] }> } {
  const rss = peers.map(() => 0)
  const anon = peers.map(() => 0)
  const pids = peers.map((p) => p.pid)
  const cpu0 = Promise.all(pids.map(async (pid) => await cpuSeconds(pid)))
  const t0 = performance.now()
  const tick = (): void => {
    pids.forEach((pid, i) => {
      if (pid == null) return
      void Promise.all([rssMb(pid), rssMb(pid, 'RssAnon')]).then(([v, a]) => {
        rss[i] = Math.max(rss[i], v)
        anon[i] = Math.max(anon[i], a)
        trace?.write(`${((performance.now() - t0) / 1000).toFixed(1)} ${peers[i].name} rss=${Math.round(v)} anon=${Math.round(a)}\n`)
      })
    })
  }
  tick()
  const t = setInterval(tick, 200)
  return {
    stop: async () => {
      clearInterval(t)
      const c0 = await cpu0
      const c1 = await Promise.all(pids.map(async (pid) => await cpuSeconds(pid)))
      return { rss: rss.map(Math.round), anon: anon.map(Math.round), cpu: c1.map((c, i) => Math.round((c - c0[i]) * 10) / 10) }
    }
  }
}

function reportRss (bench: string, peers: BenchPeer[], s: { rss: number[], anon: number[], cpu: number[] }, extra: Record<string, unknown> = {}): void {
  report(bench, Math.max(...s.rss), 'MB', null, false, { peers: peers.map((p) => p.name), rss: s.rss, anon: s.anon, cpu_s: s.cpu, ...extra })
}

// ---- HTTP ----

async function httpGet (peer: BenchPeer, path: string, agent?: Agent): Promise<{ status: number, body: string }> {
  return await new Promise((resolve, reject) => {
    const req = request({ host: peer.host, port: peer.port, path, method: 'GET', agent: agent ?? false }, (res) => {
      let body = ''
      res.setEncoding('utf8').on('data', (d: string) => { body += d })
      res.on('end', () => { resolve({ status: res.statusCode ?? 0, body }) })
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end()
  })
}

/** Lines of a streamed NDJSON answer, counted without keeping them (204 → 0). */
async function countLines (peer: BenchPeer, path: string): Promise<number> {
  return await new Promise((resolve, reject) => {
    const req = request({ host: peer.host, port: peer.port, path, method: 'GET', agent: false }, (res) => {
      let items = 0
      res.on('data', (chunk: Buffer) => {
        for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) items++
      })
      res.on('end', () => {
        if (res.statusCode !== 200 && res.statusCode !== 204) reject(new Error(`GET ${path}: ${res.statusCode}`))
        else resolve(items)
      })
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end()
  })
}

/** Random raw CIDs (sha2-256 of random bytes: content that exists nowhere). */
function randomCids (n: number): string[] {
  const out: string[] = []
  for (let i = 0; i < n; i++) {
    const digest = createHash('sha256').update(randomBytes(32)).digest()
    out.push(CID.createV1(0x55, createDigest(0x12, digest)).toString())
  }
  return out
}

/** `clients` keep-alive clients POST /pins/<cid> until `cids` are all sent; the time of the last acknowledgement. */
async function postPins (peer: BenchPeer, cids: string[], clients: number): Promise<{ accepted: number, failed: Record<string, number>, firstError: string, ms: number, lastAck: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: clients })
  let next = 0
  let accepted = 0
  let lastAck = 0
  let firstError = ''
  const failed: Record<string, number> = {}
  const t0 = performance.now()
  const one = async (cid: string): Promise<void> => {
    await new Promise<void>((resolve) => {
      const req = request({ host: peer.host, port: peer.port, path: `/pins/${cid}`, method: 'POST', agent }, (res) => {
        let body = ''
        res.setEncoding('utf8').on('data', (d: string) => { if (res.statusCode !== 200) body += d })
        res.on('end', () => {
          if (res.statusCode === 200) {
            accepted++
            lastAck = performance.now()
          } else {
            failed[String(res.statusCode)] = (failed[String(res.statusCode)] ?? 0) + 1
            if (firstError === '') firstError = `${res.statusCode} ${body.slice(0, 300)}`
          }
          resolve()
        })
      })
      req.on('error', (err) => {
        failed[err.message] = (failed[err.message] ?? 0) + 1
        resolve()
      })
      req.end()
    })
  }
  await Promise.all(Array.from({ length: clients }, async () => {
    while (next < cids.length) await one(cids[next++])
  }))
  agent.destroy()
  return { accepted, failed, firstError, ms: lastAck - t0, lastAck }
}

// ---- 1. ingest ----

async function ingest (root: string): Promise<void> {
  const peers = await createPeers(root, 'ingest', 3, (cfg) => { cfg.consensus.crdt.batching = BATCHING })
  try {
    await startCluster(peers)
    const s = sampler(peers)
    const warm = randomCids(WARM_UP_PINS)
    const w = await postPins(peers[0], warm, CLIENTS)
    if (w.accepted !== warm.length) throw new Error(`warm-up: ${w.accepted}/${warm.length} accepted: ${JSON.stringify(w.failed)} ${w.firstError}`)
    await waitUntil(async () => (await Promise.all(peers.map(async (p) => await countLines(p, '/allocations')))).every((c) => c === warm.length), 30_000, 'warm-up pins not everywhere in 30 s')

    // ROUNDS timed rounds of fresh pins, each waited for on every peer before the next: the
    // median is reported (single runs on this VM vary by ±10 %, as the add bench found)
    const load = loadavg()[0]
    const rounds: Array<{ rate: number, converged: number, perPeer: number[], ms: number, clientCpu: number, accepted: number, failed: Record<string, number>, firstError: string }> = []
    let total = warm.length
    for (let round = 0; round < ROUNDS; round++) {
      const cids = randomCids(PINS)
      const cpu0 = process.cpuUsage()
      const r = await postPins(peers[0], cids, CLIENTS)
      const cpu = process.cpuUsage(cpu0)
      total += r.accepted
      // every peer's pinset complete: polled on each peer independently
      const reached = await Promise.all(peers.map(async (p) => {
        let last = -1
        const end = performance.now() + 120_000
        while (performance.now() < end) {
          last = await countLines(p, '/allocations')
          if (last >= total) return performance.now() - r.lastAck
          await sleep(50)
        }
        throw new Error(`${p.name}: ${last}/${total} pins after 120 s`)
      }))
      rounds.push({
        rate: r.accepted / (r.ms / 1000),
        converged: Math.max(...reached),
        perPeer: reached.map(Math.round),
        ms: r.ms,
        clientCpu: (cpu.user + cpu.system) / 1e6,
        accepted: r.accepted,
        failed: r.failed,
        firstError: r.firstError
      })
    }
    const mid = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
    const failed: Record<string, number> = {}
    for (const r of rounds) for (const [k, v] of Object.entries(r.failed)) failed[k] = (failed[k] ?? 0) + v
    report('cluster_ingest_pins_s', mid(rounds.map((r) => r.rate)), 'pins/s', TARGET_INGEST, true, {
      pins: PINS,
      rounds: ROUNDS,
      runs: rounds.map((r) => Math.round(r.rate)),
      accepted: rounds.reduce((n, r) => n + r.accepted, 0),
      failed,
      first_error: rounds.find((r) => r.firstError !== '')?.firstError,
      clients: CLIENTS,
      peers: peers.length,
      batching: BATCHING,
      // the clients run in this process, on the same cores as the peers
      client_cpu_s: Math.round(rounds.reduce((n, r) => n + r.clientCpu, 0) * 10) / 10,
      wall_s: Math.round(rounds.reduce((n, r) => n + r.ms, 0) / 100) / 10,
      load1: Math.round(load * 10) / 10
    })
    const rs = await s.stop()
    report('cluster_ingest_converged_ms', mid(rounds.map((r) => r.converged)), 'ms', TARGET_CONVERGE_MS, false, {
      pins: total, runs: rounds.map((r) => Math.round(r.converged)), per_peer_ms: rounds.map((r) => r.perPeer)
    })
    reportRss('cluster_ingest_rss_peak', peers, rs)
  } finally {
    await stopAll(peers)
  }
}

// ---- 2. status latency ----

async function status (root: string): Promise<void> {
  const peers = await createPeers(root, 'status', 5)
  try {
    await startCluster(peers)
    const s = sampler(peers)
    const file = join(root, 'status-content.bin')
    await writeFile(file, randomBytes(4096))
    const r = await exec([CTL, '--host', peers[0].restAddr, 'add', file])
    if (r.code !== 0) throw new Error(`ctl add failed (${r.code}): ${r.err}`)
    const cid = /^added (\S+)/m.exec(r.out)?.[1]
    if (cid == null) throw new Error(`ctl add printed no CID: ${r.out}`)
    const t0 = performance.now()
    let last = ''
    await waitUntil(async () => {
      const { status, body } = await httpGet(peers[0], `/pins/${cid}`)
      last = body
      if (status !== 200) return false
      const map = Object.values((JSON.parse(body) as { peer_map?: Record<string, { status?: string }> }).peer_map ?? {})
      return map.length === peers.length && map.every((x) => x.status === 'pinned')
    }, 120_000, `${cid} not pinned on every peer in 120 s`, 200).catch((err) => { throw new Error(`${err.message}: ${last}`) })
    const pinnedMs = performance.now() - t0

    const agent = new Agent({ keepAlive: true, maxSockets: 1 })
    const times: number[] = []
    for (let i = 0; i < STATUS_WARM_UP + STATUS_REQUESTS; i++) {
      const t = performance.now()
      const { status, body } = await httpGet(peers[0], `/pins/${cid}`, agent)
      const ms = performance.now() - t
      if (status !== 200) throw new Error(`GET /pins/${cid}: ${status} ${body}`)
      if (i >= STATUS_WARM_UP) times.push(ms)
    }
    agent.destroy()
    const rs = await s.stop()
    times.sort((a, b) => a - b)
    const q = (p: number): number => times[Math.min(times.length - 1, Math.ceil(p * times.length) - 1)]
    const median = (times[(times.length - 1) >> 1] + times[times.length >> 1]) / 2
    report('cluster_status_median_ms', median, 'ms', TARGET_STATUS_MEDIAN_MS, false, {
      load1: Math.round(loadavg()[0] * 10) / 10,
      peers: peers.length, requests: STATUS_REQUESTS, p95_ms: Math.round(q(0.95) * 100) / 100, min_ms: Math.round(times[0] * 100) / 100, max_ms: Math.round(times[times.length - 1] * 100) / 100, pinned_everywhere_after_ms: Math.round(pinnedMs)
    })
    report('cluster_status_p95_ms', q(0.95), 'ms', null, false, { peers: peers.length, requests: STATUS_REQUESTS })
    reportRss('cluster_status_rss_peak', peers, rs)
  } finally {
    await stopAll(peers)
  }
}

// ---- 3. join ----

function identityCid (i: number): string {
  const bytes = new Uint8Array(8)
  new DataView(bytes.buffer).setBigUint64(0, BigInt(i))
  return CID.createV1(0x55, identity.digest(bytes)).toString()
}

async function joinBench (root: string): Promise<void> {
  // the default rebroadcast_interval: the seed announces its heads to a peer that joins
  // through it at once, so the join must not depend on a short rebroadcast
  const [seed, joiner] = await createPeers(root, 'join', 2, (cfg) => { cfg.consensus.crdt.rebroadcast_interval = JOIN_REBROADCAST })
  const peers = [seed, joiner]
  try {
    // the state: identity CIDs (pinned at once by the embedded node, no network), allocated
    // everywhere (or to the seed only with BENCH_CLUSTER_JOIN_SEED_ONLY=1)
    const file = join(root, 'join-state.json')
    const ws = createWriteStream(file)
    const ts = new Date().toISOString().replace(/\.\d+Z$/, 'Z')
    const rf = JOIN_EVERYWHERE ? -1 : 1
    const allocations = JOIN_EVERYWHERE ? '[]' : `["${seed.id}"]`
    for (let i = 0; i < JOIN_PINS; i++) {
      const line = `{"replication_factor_min":${rf},"replication_factor_max":${rf},"name":"join-${i}","mode":"recursive","shard_size":0,"user_allocations":null,"expire_at":"0001-01-01T00:00:00Z","metadata":null,"pin_update":null,"origins":[],"cid":"${identityCid(i)}","type":"pin","allocations":${allocations},"max_depth":-1,"reference":null,"timestamp":"${ts}"}\n`
      if (!ws.write(line)) await new Promise<void>((resolve) => { ws.once('drain', () => { resolve() }) })
    }
    await new Promise((resolve) => ws.end(resolve))
    const imp = await exec([SERVICE, '--config', seed.dir, 'state', 'import', '-f', file])
    if (imp.code !== 0) throw new Error(`state import failed: ${imp.err}`)
    await rm(file)
    report('cluster_join_state_import', JOIN_PINS / (imp.ms / 1000), 'pins/s', null, true, { pins: JOIN_PINS })

    // the seed alone, until its tracker has pinned its share (a cluster in its steady state)
    await seed.start()
    const t0 = performance.now()
    await waitUntil(async () => await countLines(seed, '/pins?local=true&filter=queued,pinning') === 0, 300_000, 'the seed did not pin its state in 300 s', 1000)
    report('cluster_join_seed_pinned_s', (performance.now() - t0) / 1000, 's', null, false, { pins: JOIN_PINS, seed_ready_ms: Math.round(seed.readyMs) })

    const s = sampler([seed])
    // the new peer: from its spawn until its pinset holds every pin; the last pin of the
    // import is in the top delta, which merges last (children first): watched cheaply
    // with GET /allocations/<cid>, then the full count is checked
    const last = identityCid(JOIN_PINS - 1)
    let firstFetch = 0
    let fetchLine = ''
    let fetchPeak: ReturnType<ReturnType<typeof sampler>['stop']> | undefined
    let sj: ReturnType<typeof sampler> | undefined
    let walkDone = false
    const tStart = performance.now()
    await joiner.start({
      globalArgs: ['--loglevel', 'crdt:debug'],
      nodeFlags: process.env.BENCH_CLUSTER_JOINER_NODE_FLAGS?.split(' ').filter(Boolean),
      args: ['--bootstrap', seed.multiaddr],
      onOutput: (text) => {
        if (text.includes('catch-up walk done')) walkDone = true
        const m = /fetched \d+ blocks in \d+ ms/.exec(text)
        if (m != null && firstFetch === 0) {
          firstFetch = performance.now() - tStart
          fetchLine = m[0]
          // the joiner's peak while fetching the DAG, then while merging it
          fetchPeak = sj?.stop()
          sj = sampler([joiner])
        }
      }
    })
    sj ??= sampler([joiner])
    let count = 0
    let doneMs = 0
    const end = performance.now() + 600_000
    for (;;) {
      if (performance.now() > end) throw new Error(`the new peer has ${count}/${JOIN_PINS} pins after 600 s`)
      const { status } = await httpGet(joiner, `/allocations/${last}`)
      if (status === 200) {
        const t = performance.now() - tStart
        count = await countLines(joiner, '/allocations')
        if (count >= JOIN_PINS) {
          doneMs = t
          break
        }
        // not expected (the top delta merges last): poll the count instead
        for (;;) {
          if (performance.now() > end) throw new Error(`the new peer has ${count}/${JOIN_PINS} pins after 600 s`)
          count = await countLines(joiner, '/allocations')
          if (count >= JOIN_PINS) break
          await sleep(200)
        }
        doneMs = performance.now() - tStart
        break
      }
      await sleep(100)
    }
    // with pins allocated here, the tracker goes on pinning: until its queue is empty (a
    // status scan of the whole pinset per poll, so only once its catch-up walk is done)
    let pinnedMs: number | undefined
    if (JOIN_EVERYWHERE) {
      await waitUntil(async () => walkDone, 600_000, 'the new peer did not log the end of its catch-up walk in 600 s', 200)
      await waitUntil(async () => await countLines(joiner, '/pins?local=true&filter=queued,pinning') === 0, 300_000, 'the new peer did not pin its state in 300 s', 1000)
      pinnedMs = performance.now() - tStart
    }
    const [rSeed, rJoin, rFetch] = await Promise.all([s.stop(), sj.stop(), fetchPeak])
    if (rFetch != null) {
      rJoin.rss[0] = Math.max(rJoin.rss[0], rFetch.rss[0])
      rJoin.anon[0] = Math.max(rJoin.anon[0], rFetch.anon[0])
      rJoin.cpu[0] = Math.round((rJoin.cpu[0] + rFetch.cpu[0]) * 10) / 10
    }
    report('cluster_join_s', doneMs / 1000, 's', TARGET_JOIN_S * JOIN_PINS / 1_000_000, false, {
      pins: JOIN_PINS,
      load1: Math.round(loadavg()[0] * 10) / 10,
      pins_s: Math.round(JOIN_PINS / (doneMs / 1000)),
      allocations: JOIN_EVERYWHERE ? 'everywhere' : 'seed only',
      ready_ms: Math.round(joiner.readyMs),
      // heads announced by the seed for the joining peer reach it, which fetches the DAG: its log
      first_fetch_logged_ms: firstFetch > 0 ? Math.round(firstFetch) : undefined,
      fetch: fetchLine || undefined,
      rebroadcast_interval: JOIN_REBROADCAST
    })
    report('cluster_join_pins_s', JOIN_PINS / (doneMs / 1000), 'pins/s', 16_000, true, { pins: JOIN_PINS })
    if (pinnedMs != null) report('cluster_join_pinned_s', pinnedMs / 1000, 's', null, false, { pins: JOIN_PINS })
    reportRss('cluster_join_rss_peak', peers, { rss: [...rSeed.rss, ...rJoin.rss], anon: [...rSeed.anon, ...rJoin.anon], cpu: [...rSeed.cpu, ...rJoin.cpu] }, {
      // the new peer's peaks until the DAG was fetched (its log line), then while merging
      // (and pinning, with allocations everywhere)
      joiner_fetch: rFetch != null ? { rss: rFetch.rss[0], anon: rFetch.anon[0], cpu_s: rFetch.cpu[0] } : undefined
    })
  } finally {
    await stopAll(peers)
  }
}

async function main (): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'cluster-bench-cluster-'))
  tempRoot = root
  let failed = false
  try {
    const steps: Array<[string, (root: string) => Promise<void>]> = [['ingest', ingest], ['status', status], ['join', joinBench]]
    for (const [name, fn] of steps) {
      if (!STEPS.includes(name)) continue
      try {
        await fn(root)
      } catch (err: any) {
        failed = true
        process.stdout.write(JSON.stringify({ bench: `cluster_${name}`, error: String(err?.message ?? err).slice(0, 2000) }) + '\n')
      }
    }
  } finally {
    for (const p of running) if (alive(p)) p.kill('SIGKILL')
    await rm(root, { recursive: true, force: true })
  }
  if (failed) process.exitCode = 1
}

await main()
