/**
 * Benchmark of `add` (npm run bench; BENCH_ONLY=add). Prints one JSON object per line:
 * { bench, value, unit, target, pass, ... }. File size: BENCH_ADD_MB (default 512).
 *
 * Issue: adding a file of random bytes through `ipfs-cluster-ctl add` to one peer reaches
 * ≥ 60 % of the throughput of the bare importer writing the same file to the same kind of
 * on-disk blockstore in the same run, with default options and with
 * `--cid-version 1 --raw-leaves`; the daemon's RSS stays below 300 MB.
 *
 * Steps: write BENCH_ADD_RUNS random files (default 3; every figure is the median of the
 * runs, each run with its own file so that it writes new blocks) and a 32 MiB warm-up file
 * that each side imports once per variant before its timed runs (cold code is not the
 * steady state). Import each file in this process with our importer (`importUnixfs`) into a
 * fresh `SizedBlockstore` (the daemon's store), and with `ipfs-unixfs-importer` (same
 * options) into another; then init and start a daemon and time `ipfs-cluster-ctl add
 * <file>` and `add --cid-version 1 --raw-leaves <file>` for each file, sampling the
 * daemon's and the ctl's RSS, and waiting for each pin before the next add. Before every
 * timed run, `sync` writes earlier phases' dirty pages out.
 *
 * BENCH_DAEMON_NODE_FLAGS replaces the daemon's V8 flags (e.g. add `--cpu-prof
 * --cpu-prof-dir=/tmp/prof`); BENCH_CTL_NODE_FLAGS adds V8 flags to the ctl.
 */
import { execFileSync, spawn } from 'node:child_process'
import { randomFillSync } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { importer } from 'ipfs-unixfs-importer'
import { fixedSize } from 'ipfs-unixfs-importer/chunker'
import { balanced } from 'ipfs-unixfs-importer/layout'
import { importUnixfs } from '../src/adder/importer/index.js'
import { SizedBlockstore } from '../src/ipfsconn/embedded/sized-blockstore.js'
import { CTL, SERVICE, reporter, rssMb, settle, startDaemon } from './daemon.js'
import type { AddedBlock, BlockSink, ImportOptions } from '../src/adder/types.js'
import type { ChildProcess } from 'node:child_process'

const MB = Number(process.env.BENCH_ADD_MB ?? 512)
/** Timed runs per side and variant, each with its own file; figures are medians. */
const RUNS = Number(process.env.BENCH_ADD_RUNS ?? 3)
const SIZE = MB * 1024 * 1024
const RATIO_TARGET = 0.6
const RSS_TARGET = 300
/** Size of the warm-up file each side imports once per variant before the timed runs. */
const WARM_UP_MB = 32
/** Writes the bare importer's sink keeps in flight (`SizedBlockstore`'s `PUT_MANY_WINDOW`). */
const PUT_WINDOW = 8

const report = reporter({ mb: MB })

/** CPU seconds (user + system) a process used so far (/proc/<pid>/stat, 100 ticks/s). */
async function cpuSeconds (pid: number): Promise<number> {
  try {
    const f = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1].split(' ')
    return (Number(f[11]) + Number(f[12])) / 100
  } catch {
    return 0
  }
}

/** Samples a process's VmRSS and RssAnon peaks every 50 ms until `stop`. */
function sampler (pid: () => number | undefined): { stop: () => { rss: number, anon: number } } {
  let rss = 0
  let anon = 0
  const t = setInterval(() => {
    const p = pid()
    if (p == null) return
    void rssMb(p).then((v) => { rss = Math.max(rss, v) })
    void rssMb(p, 'RssAnon').then((v) => { anon = Math.max(anon, v) })
  }, 50)
  return { stop: () => { clearInterval(t); return { rss, anon } } }
}

async function exec (args: string[], nodeFlags: string[] = []): Promise<{ code: number, ms: number, out: string, err: string, cpu: number, rss: number, anon: number }> {
  const t0 = performance.now()
  const child = spawn(process.execPath, [...nodeFlags, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  const s = sampler(() => child.pid)
  return await new Promise((resolve, reject) => {
    let out = ''
    let err = ''
    let cpu = 0
    const cpuTimer = setInterval(() => { void cpuSeconds(child.pid as number).then((v) => { cpu = Math.max(cpu, v) }) }, 50)
    child.on('exit', () => { clearInterval(cpuTimer) })
    child.stdout.setEncoding('utf8').on('data', (d: string) => { out += d })
    child.stderr.setEncoding('utf8').on('data', (d: string) => { err += d })
    child.on('error', reject)
    child.on('close', (code) => { resolve({ code: code ?? -1, ms: performance.now() - t0, out, err, cpu, ...s.stop() }) })
  })
}

/** The REST API's base URL from its multiaddress (`/ip4/127.0.0.1/tcp/9094`). */
function apiBase (listen: string): string {
  const [, , host, , port] = listen.split('/')
  return `http://${host}:${port}`
}

/** Polls `GET /pins/<cid>?local=true` until the local peer reports the pin `pinned`. */
async function waitPinned (base: string, cid: string): Promise<void> {
  for (let i = 0; i < 6000; i++) {
    const res = await fetch(`${base}/pins/${cid}?local=true`)
    const body = await res.json() as { peer_map?: Record<string, { status?: string }> }
    const statuses = Object.values(body.peer_map ?? {}).map((p) => p.status)
    if (statuses.length > 0 && statuses.every((s) => s === 'pinned')) return
    if (statuses.some((s) => s === 'pin_error')) throw new Error(`pin of ${cid} failed: ${JSON.stringify(body)}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`pin of ${cid} not done after 5 minutes`)
}

/**
 * Writes dirty pages to disk (`sync`) before a timed phase, so that the kernel's
 * background write-back of an earlier phase's files (the 512 MiB input, due 30 s after it
 * was written) does not land in the middle of the next measurement.
 */
function flushDisk (): void {
  execFileSync('sync')
}

async function writeRandomFile (file: string, size = SIZE): Promise<void> {
  const ws = createWriteStream(file)
  const chunk = Buffer.allocUnsafe(1024 * 1024)
  for (let written = 0; written < size; written += chunk.length) {
    randomFillSync(chunk)
    const part = Buffer.from(chunk.subarray(0, Math.min(chunk.length, size - written)))
    if (!ws.write(part)) await new Promise<void>((resolve) => { ws.once('drain', () => { resolve() }) })
  }
  await new Promise((resolve) => ws.end(resolve))
}

const IMPORT_DEFAULTS: ImportOptions = { chunker: 'size-262144', layout: 'balanced', cidVersion: 0, rawLeaves: false, hashFun: 'sha2-256', wrap: false, progress: false }

/** Our importer into a fresh on-disk store of the daemon's kind; MB/s and the root. */
async function bareOurs (file: string, dir: string, opts: Partial<ImportOptions>): Promise<{ mbs: number, root: string }> {
  const store = new SizedBlockstore(dir)
  await store.open()
  // keeps up to PUT_WINDOW writes in flight, as the daemon does (its destination queue
  // feeds `SizedBlockstore.putMany`, 8 writes in flight), instead of one at a time; the
  // import counts as done once every write has finished
  const inflight: Array<Promise<unknown>> = []
  const sink: BlockSink = {
    put: async (block: AddedBlock) => {
      if (inflight.length >= PUT_WINDOW) await inflight.shift()
      const p = store.put(block.cid, block.bytes)
      p.catch(() => {})
      inflight.push(p)
    },
    allocations: () => []
  }
  const t0 = performance.now()
  const entries = async function * (): AsyncGenerator<{ type: 'file', path: string, content: AsyncIterable<Uint8Array> }> {
    yield { type: 'file', path: 'file', content: createReadStream(file, { highWaterMark: 64 * 1024 }) }
  }
  const cid = await importUnixfs(entries(), { ...IMPORT_DEFAULTS, ...opts }, sink)
  await Promise.all(inflight)
  const s = (performance.now() - t0) / 1000
  await store.close()
  await rm(dir, { recursive: true, force: true })
  return { mbs: MB / s, root: cid.toString() }
}

/** ipfs-unixfs-importer (Kubo-equivalent options) into a fresh on-disk store of the daemon's kind. */
async function bareJs (file: string, dir: string, rawLeaves: boolean): Promise<{ mbs: number, root: string }> {
  const store = new SizedBlockstore(dir)
  await store.open()
  const t0 = performance.now()
  let root = ''
  const source = [{ path: 'file', content: createReadStream(file, { highWaterMark: 64 * 1024 }) }]
  for await (const entry of importer(source, store, {
    cidVersion: rawLeaves ? 1 : 0,
    rawLeaves,
    chunker: fixedSize({ chunkSize: 262144 }),
    layout: balanced({ maxChildrenPerNode: 174 })
  })) {
    root = entry.cid.toString()
  }
  const s = (performance.now() - t0) / 1000
  await store.close()
  await rm(dir, { recursive: true, force: true })
  return { mbs: MB / s, root }
}

/** The median of `values` (the mean of the middle two for an even count). */
function median (values: number[]): number {
  const v = [...values].sort((a, b) => a - b)
  const m = Math.floor(v.length / 2)
  return v.length % 2 === 1 ? v[m] : (v[m - 1] + v[m]) / 2
}

const round = (values: number[]): number[] => values.map((x) => Math.round(x))

async function main (): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'cluster-bench-add-'))
  let daemon: ChildProcess | undefined
  try {
    // one file per run: each run writes new blocks on both sides
    const files: string[] = []
    for (let i = 0; i < RUNS; i++) {
      files.push(join(dir, `random-${i}.bin`))
      await writeRandomFile(files[i])
    }

    const variants = [
      { name: 'default', args: [] as string[], opts: {}, rawLeaves: false },
      { name: 'raw_leaves', args: ['--cid-version', '1', '--raw-leaves'], opts: { cidVersion: 1 as const, rawLeaves: true }, rawLeaves: true }
    ]
    // warm-up (both sides): a first run of cold code is not what the steady state looks like
    const warm = join(dir, 'warm.bin')
    await writeRandomFile(warm, WARM_UP_MB * 1024 * 1024)
    for (const v of variants) await bareOurs(warm, join(dir, `warm-${v.name}`), v.opts)
    const bare = new Map<string, { mbs: number[], roots: string[] }>()
    const bareJsMbs = new Map<string, number[]>()
    for (const v of variants) {
      const ours = { mbs: [] as number[], roots: [] as string[] }
      const js: number[] = []
      let sameRoot = true
      for (const file of files) {
        flushDisk()
        const o = await bareOurs(file, join(dir, `bare-${v.name}`), v.opts)
        ours.mbs.push(o.mbs)
        ours.roots.push(o.root)
        flushDisk()
        const j = await bareJs(file, join(dir, `bare-js-${v.name}`), v.rawLeaves)
        js.push(j.mbs)
        sameRoot &&= j.root === o.root
      }
      bare.set(v.name, ours)
      bareJsMbs.set(v.name, js)
      report(`bare_${v.name}_mb_s`, median(ours.mbs), 'MB/s', null, true, { importer: 'importUnixfs', runs: round(ours.mbs) })
      report(`bare_js_${v.name}_mb_s`, median(js), 'MB/s', null, true, { importer: 'ipfs-unixfs-importer', runs: round(js), same_root: sameRoot })
    }

    const config = join(dir, 'peer')
    const r = await exec([SERVICE, '--config', config, 'init', '--randomports'])
    if (r.code !== 0) throw new Error(r.err)
    const cfg = JSON.parse(await readFile(join(config, 'service.json'), 'utf8'))
    const listen = [cfg.api.restapi.http_listen_multiaddress].flat()[0] as string
    daemon = (await startDaemon(config)).proc
    const pid = daemon.pid as number
    await settle(pid)
    const idle = await rssMb(pid)
    report('add_rss_idle', idle, 'MB', null, false, { anon: await rssMb(pid, 'RssAnon') })

    const ctlFlags = process.env.BENCH_CTL_NODE_FLAGS?.split(' ').filter(Boolean) ?? []
    for (const v of variants) {
      const res = await exec([CTL, '--host', listen, 'add', ...v.args, warm], ctlFlags)
      if (res.code !== 0) throw new Error(`warm-up ctl add ${v.name} failed (${res.code}): ${res.err}`)
      await waitPinned(apiBase(listen), /^added (\S+)/m.exec(res.out)?.[1] as string)
    }
    let peak = 0
    let peakAnon = 0
    for (const v of variants) {
      const runs: Array<{ mbs: number, s: number, daemonCpu: number, ctlCpu: number, pinnedMs: number }> = []
      let sameRoot = true
      for (const [i, file] of files.entries()) {
        flushDisk()
        const s = sampler(() => pid)
        const cpu0 = await cpuSeconds(pid)
        const res = await exec([CTL, '--host', listen, 'add', ...v.args, file], ctlFlags)
        const d = s.stop()
        const daemonCpu = await cpuSeconds(pid) - cpu0
        if (res.code !== 0) throw new Error(`ctl add ${v.name} failed (${res.code}): ${res.err}`)
        const cid = /^added (\S+)/m.exec(res.out)?.[1]
        sameRoot &&= cid === bare.get(v.name)?.roots[i]
        peak = Math.max(peak, d.rss)
        peakAnon = Math.max(peakAnon, d.anon)
        // the tracker pins the root in the background (Helia walks the new DAG): wait for it
        // so that the next add is not measured against that walk
        const t0 = performance.now()
        const sp = sampler(() => pid)
        await waitPinned(apiBase(listen), cid as string)
        const dp = sp.stop()
        peak = Math.max(peak, dp.rss)
        peakAnon = Math.max(peakAnon, dp.anon)
        runs.push({ mbs: MB / (res.ms / 1000), s: res.ms / 1000, daemonCpu, ctlCpu: res.cpu, pinnedMs: performance.now() - t0 })
      }
      const mbs = median(runs.map((x) => x.mbs))
      report(`add_${v.name}_mb_s`, mbs, 'MB/s', null, true, {
        runs: round(runs.map((x) => x.mbs)),
        same_root: sameRoot,
        daemon_cpu_s: median(runs.map((x) => x.daemonCpu)),
        ctl_cpu_s: median(runs.map((x) => x.ctlCpu))
      })
      // the ratio: against our importer (the one `add` runs); also against ipfs-unixfs-importer
      const b = median(bare.get(v.name)?.mbs ?? [])
      const js = median(bareJsMbs.get(v.name) ?? [])
      report(`add_${v.name}_ratio`, mbs / b, 'x', RATIO_TARGET, true, { add: Math.round(mbs), bare: Math.round(b), bare_js: Math.round(js), ratio_js: Math.round(mbs / js * 100) / 100 })
      report(`add_${v.name}_pinned_after`, median(runs.map((x) => x.pinnedMs)), 'ms', null, false)
    }
    report('add_rss_peak', peak, 'MB', RSS_TARGET, false, { anon: Math.round(peakAnon), idle: Math.round(idle) })
  } finally {
    daemon?.kill('SIGTERM')
    await new Promise((resolve) => setTimeout(resolve, 2000))
    await rm(dir, { recursive: true, force: true })
  }
}

await main()
