/**
 * Integration harness: real `ipfs-cluster-service` daemons as processes on 127.0.0.1
 * with random ports and temp folders, driven by our `ipfs-cluster-ctl`.
 */
import { spawn, spawnSync } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ChildProcess } from 'node:child_process'

const root = new URL('../../../', import.meta.url).pathname
export const SERVICE = join(root, 'bin', 'ipfs-cluster-service.js')
export const CTL = join(root, 'bin', 'ipfs-cluster-ctl.js')

export interface RunResult {
  code: number
  stdout: string
  stderr: string
}

/** Runs a program of ours to completion (async, so daemons keep running). */
export async function run (bin: string, args: string[], opts: { env?: Record<string, string>, input?: string, timeout?: number } = {}): Promise<RunResult> {
  return await new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { env: { ...process.env, ...opts.env }, stdio: ['pipe', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d })
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d })
    const t = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`timeout running ${args.join(' ')}\n${stderr}`)) }, opts.timeout ?? 60_000)
    child.on('error', reject)
    child.on('close', (code) => { clearTimeout(t); resolve({ code: code ?? -1, stdout, stderr }) })
    child.stdin.end(opts.input ?? '')
  })
}

/** Runs synchronously (for commands that need no daemon). */
export function runSync (bin: string, args: string[], opts: { env?: Record<string, string>, input?: string } = {}): RunResult {
  const r = spawnSync(process.execPath, [bin, ...args], { env: { ...process.env, ...opts.env }, input: opts.input ?? '', encoding: 'utf8', timeout: 60_000 })
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr }
}

export class Peer {
  readonly dir: string
  proc: ChildProcess | undefined
  log = ''
  restAddr = ''

  constructor (dir: string) {
    this.dir = dir
  }

  /** `init --randomports` in a fresh temp folder. */
  static async init (extra: string[] = []): Promise<Peer> {
    const dir = await mkdtemp(join(tmpdir(), 'cluster-it-'))
    const r = await run(SERVICE, ['--config', dir, 'init', '--randomports', ...extra])
    if (r.code !== 0) throw new Error(`init failed: ${r.stderr}`)
    // port 0 everywhere: ports chosen at init time can be taken by another test's peer
    // by the time the daemon starts; the REST address is read from the daemon's log
    const file = join(dir, 'service.json')
    const cfg = JSON.parse(await readFile(file, 'utf8'))
    cfg.api.restapi.http_listen_multiaddress = '/ip4/127.0.0.1/tcp/0'
    cfg.ipfs_connector.embedded.swarm_listen_multiaddress = ['/ip4/127.0.0.1/tcp/0']
    // as Go's test harness: no mDNS, or the peers of concurrent tests find and dial each other
    cfg.cluster.mdns_interval = '0s'
    await writeFile(file, JSON.stringify(cfg, null, 2))
    return new Peer(dir)
  }


  async id (): Promise<string> {
    return JSON.parse(await readFile(join(this.dir, 'identity.json'), 'utf8')).id
  }

  /** Starts the daemon and waits for READY. */
  async start (args: string[] = [], env: Record<string, string> = {}): Promise<void> {
    const proc = spawn(process.execPath, [SERVICE, '--config', this.dir, 'daemon', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    this.proc = proc
    this.log = ''
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => { reject(new Error(`daemon not ready in 60s:\n${this.log}`)) }, 60_000)
      const onData = (d: string): void => {
        this.log += d
        if (this.log.includes('READY')) {
          this.restAddr = /REST API \(HTTP\) listening on (\S+)/.exec(this.log)?.[1] ?? ''
          clearTimeout(t)
          resolve()
        }
      }
      proc.stdout?.setEncoding('utf8').on('data', onData)
      proc.stderr?.setEncoding('utf8').on('data', onData)
      proc.on('exit', (code) => { clearTimeout(t); reject(new Error(`daemon exited with ${code}:\n${this.log}`)) })
    })
  }

  /** Stops the daemon with `signal` and waits for it to exit. */
  async stop (signal: NodeJS.Signals = 'SIGHUP'): Promise<number | null> {
    const proc = this.proc
    // a process that already exited (with a code, or killed by a signal) sends no more 'exit'
    if (proc == null || proc.exitCode != null || proc.signalCode != null) return proc?.exitCode ?? null
    proc.removeAllListeners('exit')
    const done = new Promise<number | null>((resolve) => proc.on('exit', (code) => { resolve(code) }))
    proc.kill(signal)
    const t = setTimeout(() => proc.kill('SIGKILL'), 20_000)
    const code = await done
    clearTimeout(t)
    this.proc = undefined
    return code
  }

  /** ctl against this peer's REST API. */
  async ctl (args: string[], opts: { env?: Record<string, string>, timeout?: number } = {}): Promise<RunResult> {
    return await run(CTL, ['--host', this.restAddr, ...args], opts)
  }

  async service (args: string[], opts: { input?: string } = {}): Promise<RunResult> {
    return await run(SERVICE, ['--config', this.dir, ...args], opts)
  }

  async destroy (): Promise<void> {
    await this.stop('SIGTERM')
    await rm(this.dir, { recursive: true, force: true })
  }
}
