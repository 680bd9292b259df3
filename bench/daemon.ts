/**
 * What the benchmarks share: paths of the bins, the daemon started as its bin starts it,
 * and RSS readings from /proc.
 */
import { spawn } from 'node:child_process'
import { createWriteStream } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { ChildProcess } from 'node:child_process'

export const root = new URL('../../', import.meta.url).pathname
export const SERVICE = join(root, 'bin', 'ipfs-cluster-service.js')
export const CTL = join(root, 'bin', 'ipfs-cluster-ctl.js')

/** Resident memory in MB: total (VmRSS), or only anonymous memory (RssAnon: not file-backed pages). */
export async function rssMb (pid: number, field: 'VmRSS' | 'RssAnon' = 'VmRSS'): Promise<number> {
  try {
    const s = await readFile(`/proc/${pid}/status`, 'utf8')
    return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(s)?.[1] ?? 0) / 1024
  } catch {
    return 0 // the process has exited
  }
}

/** The daemon's V8 flags (bin/runtime.js). */
async function daemonNodeFlags (): Promise<string[]> {
  const runtime = await import(pathToFileURL(join(root, 'bin', 'runtime.js')).href)
  return runtime.DAEMON_NODE_FLAGS
}

/** What `startDaemon` may add to the plain `ipfs-cluster-service --config <dir> daemon`. */
export interface DaemonOptions {
  /** Global flags before `daemon` (e.g. `--loglevel crdt:debug`). */
  globalArgs?: string[]
  /** Flags after `daemon` (e.g. `--bootstrap <multiaddr>`). */
  args?: string[]
  /** V8 flags of this daemon (replace BENCH_DAEMON_NODE_FLAGS and the defaults). */
  nodeFlags?: string[]
  /** Called with the process as soon as it is spawned (to kill it whatever happens next). */
  onSpawn?: (proc: ChildProcess) => void
  /** Receives the daemon's output (stdout and stderr) as it comes, also after READY. */
  onOutput?: (text: string) => void
}

/**
 * Starts `ipfs-cluster-service daemon` on `dir` as its shebang does (BENCH_DAEMON_NODE_FLAGS
 * replaces the V8 flags, e.g. `--cpu-prof`; BENCH_DAEMON_LOG=<file> appends its output: several
 * daemons may share the file) and
 * resolves at READY, with the REST API address the daemon logged (useful with port 0).
 */
export async function startDaemon (dir: string, opts: DaemonOptions = {}): Promise<{ proc: ChildProcess, ms: number, restAddr: string }> {
  const t0 = performance.now()
  const flags = opts.nodeFlags ?? process.env.BENCH_DAEMON_NODE_FLAGS?.split(' ').filter(Boolean) ?? await daemonNodeFlags()
  const proc = spawn(process.execPath, [...flags, SERVICE, '--config', dir, ...(opts.globalArgs ?? []), 'daemon', ...(opts.args ?? [])], { stdio: ['ignore', 'pipe', 'pipe'] })
  opts.onSpawn?.(proc)
  if (process.env.BENCH_DAEMON_LOG != null) {
    const out = createWriteStream(process.env.BENCH_DAEMON_LOG, { flags: 'a' })
    proc.stdout?.pipe(out)
    proc.stderr?.pipe(out)
  }
  let log = ''
  const on = (d: string): void => { log += d }
  const onExit = (code: number | null): void => { failed?.(new Error(`daemon exited ${code}: ${log}`)) }
  let failed: ((err: Error) => void) | undefined
  proc.stdout?.setEncoding('utf8')
  proc.stderr?.setEncoding('utf8')
  if (opts.onOutput != null) {
    proc.stdout?.on('data', opts.onOutput)
    proc.stderr?.on('data', opts.onOutput)
  }
  try {
    await new Promise<void>((resolve, reject) => {
      failed = reject
      const ready = (): void => { if (log.includes('READY')) resolve() }
      proc.stdout?.on('data', on).on('data', ready)
      proc.stderr?.on('data', on).on('data', ready)
      proc.on('error', reject)
      proc.on('exit', onExit)
    })
  } catch (err) {
    if (proc.exitCode == null && proc.signalCode == null) proc.kill('SIGKILL')
    throw err
  }
  proc.off('exit', onExit)
  const restAddr = /REST API \(HTTP\) listening on (\S+)/.exec(log)?.[1] ?? ''
  // keep draining the output without keeping it
  proc.stdout?.off('data', on)
  proc.stderr?.off('data', on)
  proc.stdout?.resume()
  proc.stderr?.resume()
  return { proc, ms: performance.now() - t0, restAddr }
}

/** Runs a program of this project on this Node (`args[0]` is the script); its output as text. */
export async function exec (args: string[], opts: { stdout?: 'ignore' | 'pipe' } = {}): Promise<{ code: number, ms: number, out: string, err: string }> {
  const t0 = performance.now()
  return await new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', opts.stdout ?? 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    child.stdout?.setEncoding('utf8').on('data', (d: string) => { out += d })
    child.stderr?.setEncoding('utf8').on('data', (d: string) => { err += d })
    child.on('error', reject)
    child.on('close', (code) => { resolve({ code: code ?? -1, ms: performance.now() - t0, out, err }) })
  })
}

/** Waits (≤ 30 s) until the anonymous RSS of `pid` changed by < 2 MB over 3 s. */
export async function settle (pid: number): Promise<void> {
  const readings: number[] = []
  for (let i = 0; i < 30; i++) {
    readings.push(await rssMb(pid, 'RssAnon'))
    const last = readings.slice(-4)
    if (last.length === 4 && Math.max(...last) - Math.min(...last) < 2) return
    await new Promise((resolve) => setTimeout(resolve, 1000))
  }
}

/** A result line's writer: `{ bench, value, unit, target, pass, ...fixed, ...extra }`; no target → pass null. */
export type Report = (bench: string, value: number, unit: string, target: number | null, higherIsBetter: boolean, extra?: Record<string, unknown>) => void

/** Writes JSON result lines carrying `fixed` (e.g. the run's size) on stdout. */
export function reporter (fixed: Record<string, unknown>): Report {
  return (bench, value, unit, target, higherIsBetter, extra = {}) => {
    const pass = target == null ? null : higherIsBetter ? value >= target : value <= target
    process.stdout.write(JSON.stringify({ bench, value: Math.round(value * 100) / 100, unit, target, pass, ...fixed, ...extra }) + '\n')
  }
}
