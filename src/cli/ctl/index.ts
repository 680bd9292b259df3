/**
 * `ipfs-cluster-ctl`: the command-line client of the IPFS Cluster REST API
 * (drop-in for the Go ctl 1.1.6: same commands, flags, help, output and exit
 * codes). No config key: everything comes from global flags.
 */
import { basename } from 'node:path'
import { createLogger } from '../../util/logger.js'
import { runApp } from './app.js'
import { RestClient } from './client.js'
import { buildCommands } from './commands.js'
import { checkErr } from './ctl.js'
import { APP_DESCRIPTION } from './descriptions.js'
import { ExitError } from './errors.js'
import { InvalidHostError, Libp2pHostError, parseHost, targetsFor } from './hosts.js'
import { Output } from './output.js'
import { isTerminal, StatusLine } from './progress.js'
import type { ClusterLogger } from '../../util/logger.js'
import type { AppDef, Context, RunIO } from './app.js'
import type { Target } from './client.js'
import type { Ctl } from './ctl.js'
import type { FlagDef } from './flags.js'
import type { Sink } from './output.js'
import type { TtyStream } from './progress.js'

/** The ctl version (equal to the server's). */
export const VERSION = '1.1.6'
const PROGRAM_NAME = 'ipfs-cluster-ctl'
const DEFAULT_HOST = '/ip4/127.0.0.1/tcp/9094'

/** Options for running the ctl in-process (tests). */
export interface MainOptions {
  /** Receives stdout text. When given, `process.exitCode` is left alone. @default process.stdout */
  stdout?: Sink
  /** Receives stderr text. @default process.stderr */
  stderr?: Sink
  /** @default process.env */
  env?: NodeJS.ProcessEnv
  /** Name used in help and `commands` (Go: basename of argv[0]). @default basename of process.argv[1] */
  programName?: string
  /** `--wait` poll period in ms. @default 1000 */
  checkFreq?: number
  /** Pause before reading the status after pin/unpin, in ms. @default 1000 */
  statusDelay?: number
  /**
   * Where `--wait` draws its progress line, if it is a terminal (`isTTY`).
   * @default process.stderr, unless `stderr` is given
   */
  progressStream?: TtyStream
  /** Clock of the progress line, in ms. @default Date.now */
  now?: () => number
}

const GLOBAL_FLAGS: FlagDef[] = [
  { name: 'host, l', kind: 'string', value: DEFAULT_HOST, usage: 'API endpoint multiaddresses (comma-separated)' },
  { name: 'secret', kind: 'string', value: '', usage: 'cluster secret (32 byte pnet-key) as needed. Only when using the LibP2P endpoint' },
  { name: 'https, s', kind: 'bool', usage: 'use https to connect to the API' },
  { name: 'no-check-certificate', kind: 'bool', usage: 'do not verify server TLS certificate. only valid with --https flag' },
  { name: 'encoding, enc', kind: 'string', value: 'text', usage: 'output format encoding [text, json]' },
  { name: 'timeout, t', kind: 'int', value: 0, usage: 'number of seconds to wait before timing out a request' },
  { name: 'debug, d', kind: 'bool', usage: 'set debug log level' },
  {
    name: 'basic-auth',
    kind: 'string',
    usage: '<username>[:<password>] specify BasicAuth credentials for server that\nrequires authorization. implies --https, which you can disable with --force-http',
    envVar: 'CLUSTER_CREDENTIALS'
  },
  { name: 'force-http, f', kind: 'bool', usage: 'force HTTP. only valid when using BasicAuth' }
]

/** Go `hex.DecodeString` validation with its error texts. */
function checkHex (s: string): void {
  const bad = (c: string): Error => {
    const cp = c.codePointAt(0) as number
    return new Error(`encoding/hex: invalid byte: U+${cp.toString(16).toUpperCase().padStart(4, '0')} ${JSON.stringify(c).replace(/^"|"$/g, "'")}`)
  }
  const isHex = (c: string): boolean => /^[0-9a-fA-F]$/.test(c)
  const n = Math.floor(s.length / 2)
  for (let i = 0; i < n; i++) {
    if (!isHex(s[2 * i])) throw bad(s[2 * i])
    if (!isHex(s[2 * i + 1])) throw bad(s[2 * i + 1])
  }
  if (s.length % 2 === 1) {
    if (!isHex(s[s.length - 1])) throw bad(s[s.length - 1])
    throw new Error('encoding/hex: odd length hex string')
  }
}

/** The startup sequence (Go `app.Before`, ctl spec §1.2). */
async function startup (c: Context, opts: MainOptions, statusLine?: StatusLine): Promise<Ctl> {
  const io = c.io
  const debug = c.bool('debug')
  const logger = createLogger({ level: debug ? 'debug' : 'error', write: (l) => { io.stderr.write(l) } })
  const log = logger.forComponent('cluster-ctl') as ClusterLogger
  if (debug) log('debug level enabled')
  const secret = c.string('secret')
  if (secret !== '') {
    try {
      checkHex(secret)
    } catch (err) {
      checkErr(c, 'parsing secret', err)
    }
  }
  let ssl = c.bool('https')
  const creds = c.string('basic-auth')
  const i = creds.indexOf(':')
  const username = i < 0 ? creds : creds.slice(0, i)
  const password = i < 0 ? '' : creds.slice(i + 1)
  if (username !== '' && !ssl && !c.bool('force-http')) {
    log.warn('SSL automatically enabled with basic auth credentials. Set "force-http" to disable')
    ssl = true
  }
  const enc = c.string('encoding')
  if (enc !== 'text' && enc !== 'json') checkErr(c, '', new Error('unsupported encoding'))

  const targets: Target[] = []
  for (const h of c.string('host').split(',')) {
    let addr
    try {
      addr = parseHost(h)
    } catch (err) {
      if (!(err instanceof InvalidHostError)) throw err
      checkErr(c, 'parsing host multiaddress', err)
    }
    try {
      targets.push(...await targetsFor(addr, ssl))
    } catch (err) {
      checkErr(c, err instanceof Libp2pHostError ? 'creating API client' : 'creating configs', err)
    }
  }
  const client = new RestClient({
    targets,
    username,
    password,
    timeout: c.int('timeout') * 1000,
    noVerifyCert: c.bool('no-check-certificate'),
    log: debug ? logger.forComponent('apiclient') as ClusterLogger : undefined
  })
  return { client, enc, io, checkFreq: opts.checkFreq ?? 1000, statusDelay: opts.statusDelay ?? 1000, statusLine }
}

/** The root app definition. */
function buildApp (programName: string, opts: MainOptions, statusLine: StatusLine | undefined, setCtl: (ctl: Ctl) => void,
  getCtl: () => Ctl): AppDef {
  return {
    name: PROGRAM_NAME,
    helpName: programName,
    usage: 'CLI for IPFS Cluster',
    description: APP_DESCRIPTION,
    argsUsage: '',
    version: VERSION,
    flags: GLOBAL_FLAGS,
    commands: buildCommands(getCtl),
    listed: [],
    before: async (c) => { setCtl(await startup(c, opts, statusLine)) }
  }
}

/**
 * Runs the ctl with `argv` (arguments after the program name). Resolves to the
 * exit code; when writing to the real stdout it also sets `process.exitCode`.
 * Never throws and never prints stack traces.
 */
export async function main (argv: string[], opts: MainOptions = {}): Promise<number> {
  const inProcess = opts.stdout != null
  if (!inProcess) {
    // `ipfs-cluster-ctl … | head`: end quietly like a Go binary killed by SIGPIPE
    process.stdout.on('error', () => { process.exit(141) })
  }
  const env = opts.env ?? process.env
  // the `--wait` progress line (stderr only, and only on a terminal) is erased before any other output
  const tty = opts.progressStream ?? (opts.stderr == null ? process.stderr : undefined)
  const statusLine = isTerminal(tty, env) ? new StatusLine(tty, opts.now) : undefined
  const clearing = (sink: Sink): Sink => statusLine == null ? sink : (s) => { statusLine.clear(); sink(s) }
  const stdout = new Output(clearing(opts.stdout ?? ((s) => { process.stdout.write(s) })))
  const stderr = new Output(clearing(opts.stderr ?? ((s) => { process.stderr.write(s) })))
  const io: RunIO = { stdout, stderr, env }
  const programName = opts.programName ?? basename(process.argv[1] ?? PROGRAM_NAME).replace(/\.[cm]?js$/, '')
  let ctl: Ctl | undefined
  const app = buildApp(programName, opts, statusLine, (c) => { ctl = c }, () => {
    if (ctl == null) throw new Error('client not initialised')
    return ctl
  })
  let code = 0
  try {
    await runApp(app, argv, io)
  } catch (err: any) {
    if (err instanceof ExitError) {
      code = err.exitCode
    } else {
      stdout.flush()
      stderr.write(`error : ${String(err?.message ?? err)}\n`)
      code = 1
    }
  } finally {
    statusLine?.clear()
    ctl?.client.close()
    stdout.flush()
    stderr.flush()
  }
  if (!inProcess) process.exitCode = code
  return code
}
