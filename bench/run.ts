/**
 * Benchmarks of issue "a single cluster peer" (npm run bench). Prints one JSON object per
 * line: { bench, value, unit, target, pass, ... }. Pins: BENCH_PINS (default 1,000,000).
 *
 * Steps: init a peer; build an NDJSON state of identity CIDs; `state import`; start the
 * daemon (start→READY); wait until the tracker pinned everything; stream GET /allocations;
 * `ctl pin ls`; `ctl status --local`; RSS idle and while listing; 20 concurrent REST pin adds.
 */
import { createWriteStream } from 'node:fs'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CID } from 'multiformats/cid'
import { identity } from 'multiformats/hashes/identity'
import { CTL, SERVICE, exec, reporter, rssMb, settle, startDaemon } from './daemon.js'
import type { ChildProcess } from 'node:child_process'

const N = Number(process.env.BENCH_PINS ?? 1_000_000)

const report = reporter({ pins: N })

function cidOf (i: number): string {
  const bytes = new Uint8Array(8)
  new DataView(bytes.buffer).setBigUint64(0, BigInt(i))
  return CID.createV1(0x55, identity.digest(bytes)).toString()
}

async function httpCount (host: string, port: number, path: string, signalRss?: () => void): Promise<{ items: number, ms: number }> {
  const t0 = performance.now()
  return await new Promise((resolve, reject) => {
    const req = request({ host, port, path, method: 'GET', agent: false }, (res) => {
      let items = 0
      res.on('data', (chunk: Buffer) => {
        for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) items++
        signalRss?.()
      })
      res.on('end', () => { resolve({ items, ms: performance.now() - t0 }) })
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end()
  })
}

async function postPins (host: string, port: number, clients: number, perClient: number): Promise<{ accepted: number, ms: number }> {
  const { Agent } = await import('node:http')
  const agent = new Agent({ keepAlive: true, maxSockets: clients })
  let next = N + 1
  let accepted = 0
  const t0 = performance.now()
  const one = async (): Promise<void> => {
    const cid = cidOf(next++)
    await new Promise<void>((resolve, reject) => {
      const req = request({ host, port, path: `/pins/ipfs/${cid}?mode=recursive&name=&replication-max=0&replication-min=0&shard-size=0&user-allocations=`, method: 'POST', agent }, (res) => {
        res.resume()
        res.on('end', () => { if (res.statusCode === 200) accepted++; resolve() })
      })
      req.on('error', reject)
      req.end()
    })
  }
  await Promise.all(Array.from({ length: clients }, async () => { for (let i = 0; i < perClient; i++) await one() }))
  agent.destroy()
  return { accepted, ms: performance.now() - t0 }
}

async function main (): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'cluster-bench-'))
  let daemon: ChildProcess | undefined
  try {
    let r = await exec([SERVICE, '--config', dir, 'init', '--randomports'])
    if (r.code !== 0) throw new Error(r.err)
    const cfg = JSON.parse(await readFile(join(dir, 'service.json'), 'utf8'))
    const listen = [cfg.api.restapi.http_listen_multiaddress].flat()[0] as string
    const [, , host, , port] = listen.split('/')

    // state file of N identity CIDs, pinned everywhere
    const file = join(dir, 'bench-state.json')
    const ws = createWriteStream(file)
    const ts = new Date().toISOString().replace(/\.\d+Z$/, 'Z')
    for (let i = 0; i < N; i++) {
      const line = `{"replication_factor_min":-1,"replication_factor_max":-1,"name":"bench-${i}","mode":"recursive","shard_size":0,"user_allocations":null,"expire_at":"0001-01-01T00:00:00Z","metadata":null,"pin_update":null,"origins":[],"cid":"${cidOf(i)}","type":"pin","allocations":[],"max_depth":-1,"reference":null,"timestamp":"${ts}"}\n`
      if (!ws.write(line)) await new Promise<void>((resolve) => { ws.once('drain', () => { resolve() }) })
    }
    await new Promise((resolve) => ws.end(resolve))

    r = await exec([SERVICE, '--config', dir, 'state', 'import', '-f', file])
    if (r.code !== 0) throw new Error(r.err)
    report('state_import', N / (r.ms / 1000), 'pins/s', 0, true)

    const started = await startDaemon(dir)
    daemon = started.proc
    report('daemon_start_to_ready', started.ms, 'ms', 3000, false)

    // wait until the tracker has pinned everything (no queued or pinning operations)
    const t0 = performance.now()
    for (;;) {
      const q = await httpCount(host, Number(port), '/pins?local=true&filter=queued,pinning')
      if (q.items === 0) break
      await new Promise((resolve) => setTimeout(resolve, 2000))
    }
    report('tracker_pin_all', N / ((performance.now() - t0) / 1000), 'pins/s', 0, true)

    // idle: the memory reducer gives the pinning burst's heap back once the loop is quiet
    await settle(daemon.pid as number)
    const idle = await rssMb(daemon.pid as number)
    const idleAnon = await rssMb(daemon.pid as number, 'RssAnon')
    report('rss_idle', idle, 'MB', 250, false, { anon: idleAnon })

    // peaks are sampled per listing so a regression points at its listing
    let peak = 0
    let peakAnon = 0
    const during = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
      let p = 0
      let pa = 0
      const sample = setInterval(() => {
        void rssMb(daemon?.pid as number).then((v) => { p = Math.max(p, v) })
        void rssMb(daemon?.pid as number, 'RssAnon').then((v) => { pa = Math.max(pa, v) })
      }, 100)
      try {
        return await fn()
      } finally {
        clearInterval(sample)
        peak = Math.max(peak, p)
        peakAnon = Math.max(peakAnon, pa)
        process.stdout.write(JSON.stringify({ bench: `rss_during_${name}`, value: Math.round(p), anon: Math.round(pa), unit: 'MB', pins: N }) + '\n')
      }
    }
    const alloc = await during('allocations', async () => await httpCount(host, Number(port), '/allocations'))
    report('rest_allocations_stream', alloc.items / (alloc.ms / 1000), 'pins/s', 300_000, true, { items: alloc.items })

    r = await during('pin_ls', async () => await exec([CTL, '--host', listen, 'pin', 'ls'], { stdout: 'ignore' }))
    report('ctl_pin_ls', N / (r.ms / 1000), 'pins/s', 100_000, true, { code: r.code })

    r = await during('status_local', async () => await exec([CTL, '--host', listen, 'status', '--local'], { stdout: 'ignore' }))
    report('ctl_status_local', N / (r.ms / 1000), 'pins/s', 100_000, true, { code: r.code })
    report('rss_peak_while_listing', peak, 'MB', idle + 100, false, { idle })
    // file-backed pages (LevelDB's mmapped tables read by the listing) are reclaimable page cache
    report('rss_anon_peak_while_listing', peakAnon, 'MB', idleAnon + 100, false, { idleAnon })

    const adds = await postPins(host, Number(port), 20, Math.max(50, Math.min(1000, Math.floor(N / 100))))
    report('rest_pin_add_20_clients', adds.accepted / (adds.ms / 1000), 'pins/s', 3000, true, { accepted: adds.accepted })
  } finally {
    daemon?.kill('SIGTERM')
    await new Promise((resolve) => setTimeout(resolve, 2000))
    await rm(dir, { recursive: true, force: true })
  }
}

await main()
