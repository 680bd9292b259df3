/**
 * The commands of ipfs-cluster-service (Go `cmd/ipfs-cluster-service/main.go`).
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { initConfig, acquireLock, decodeClusterSecret, SERVICE_JSON, IDENTITY_JSON } from '../../config/index.js'
import type { FolderLock, DatastoreKind } from '../../config/index.js'
import type { LoggerInit } from '../../util/logger.js'
import type { CommandDef, FlagValues } from './app.js'
import type { CliIo, LineReader } from './io.js'
import { yesNoPrompt } from './io.js'
import { loadDaemonModule } from './delegate.js'
import type { DaemonModule } from './delegate.js'
import { PROGRAM_NAME, VERSION } from './version.js'

/** What every action receives. */
export interface ServiceContext {
  io: CliIo
  lines: LineReader
  /** Absolute config folder. */
  configDir: string
  /** Global `--force`. */
  force: boolean
  log: LoggerInit
}

/** An error carrying what was being done, printed as `error <doing>: <err>`. */
export class CommandError extends Error {
  static name = 'CommandError'
  readonly doing: string
  constructor (doing: string, cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), { cause })
    this.name = 'CommandError'
    this.doing = doing
  }
}

async function step<T> (doing: string, fn: () => Promise<T> | T): Promise<T> {
  try {
    return await fn()
  } catch (err) {
    if (err instanceof CommandError) throw err
    throw new CommandError(doing, err)
  }
}

/** Runs `fn` holding the folder lock (released on every path). */
async function withLock<T> (ctx: ServiceContext, fn: () => Promise<T>): Promise<T> {
  const lock: FolderLock = await step('obtaining execution lock', async () => acquireLock(ctx.configDir))
  try {
    return await fn()
  } finally {
    await lock.release()
  }
}

async function daemonModule (): Promise<DaemonModule> {
  return step('loading the daemon', loadDaemonModule)
}

const CONFIG_OVERWRITE_PROMPT = 'The configuration file will be overwritten.'
const STATE_CLEANUP_PROMPT = 'The peer state will be removed.  Existing pins may be lost.'
const DATASTORES = ['leveldb', 'badger', 'badger3', 'pebble']

async function initAction (ctx: ServiceContext, flags: FlagValues, args: string[]): Promise<number> {
  const consensus = String(flags.consensus)
  if (consensus !== 'raft' && consensus !== 'crdt') {
    throw new CommandError('choosing consensus', new Error("flag value must be set to 'raft' or 'crdt'"))
  }
  const datastore = String(flags.datastore)
  if (!DATASTORES.includes(datastore)) {
    throw new CommandError('choosing datastore', new Error("flag value must be set to 'leveldb', 'badger', 'badger3' or 'pebble'"))
  }
  const configPath = join(ctx.configDir, SERVICE_JSON)
  const configExists = existsSync(configPath)
  const identityExists = existsSync(join(ctx.configDir, IDENTITY_JSON))
  const run = async (): Promise<number> => {
    if (configExists && flags.force !== true && !ctx.force) {
      if (!await yesNoPrompt(ctx.io, ctx.lines, `${CONFIG_OVERWRITE_PROMPT} Continue? [y/n]:`)) return 0
    }
    const source = args[0]
    let secret: string | undefined
    if (flags['custom-secret'] === true && source == null) {
      ctx.io.stdout('Enter cluster secret (32-byte hex string): ')
      secret = (await ctx.lines.next() ?? '').trim()
      await step('parsing user-provided secret', () => decodeClusterSecret(secret ?? ''))
    }
    const peers = String(flags.peers ?? '').split(',').map((p) => p.trim()).filter((p) => p !== '')
    const res = await step('saving default configuration', async () => initConfig(ctx.configDir, {
      consensus,
      datastore: datastore as DatastoreKind,
      source,
      secret,
      peers,
      randomPorts: flags.randomports === true,
      env: ctx.io.env
    }))
    ctx.io.stderr(`configuration written to ${res.configPath}.\n`)
    if (res.identityCreated) ctx.io.stderr(`new identity written to ${res.identityPath}\n`)
    if (res.peerCount > 0) ctx.io.stderr(`peerstore written to ${res.peerstorePath} with ${res.peerCount} entries.\n`)
    else ctx.io.stderr(`new empty peerstore written to ${res.peerstorePath}.\n`)
    return 0
  }
  // an existing folder may be in use by a running peer
  return configExists || identityExists ? withLock(ctx, run) : run()
}

async function daemonAction (ctx: ServiceContext, flags: FlagValues): Promise<number> {
  const mod = await daemonModule()
  const bootstrap = String(flags.bootstrap ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '')
  await withLock(ctx, async () => step('starting the cluster peer', async () => mod.runDaemon(ctx.configDir, {
    bootstrap,
    leave: flags.leave === true,
    stats: flags.stats === true,
    tracing: flags.tracing === true,
    noTrust: flags['no-trust'] === true,
    upgrade: flags.upgrade === true,
    log: ctx.log
  })))
  return 0
}

async function exportAction (ctx: ServiceContext, flags: FlagValues): Promise<number> {
  const mod = await daemonModule()
  const file = String(flags.file ?? '')
  await withLock(ctx, async () => step('exporting state', async () => mod.stateExport(ctx.configDir, {
    ...(file !== '' ? { file } : {}),
    stdout: ctx.io.stdout
  })))
  return 0
}

async function importAction (ctx: ServiceContext, flags: FlagValues, args: string[]): Promise<number> {
  const mod = await daemonModule()
  return withLock(ctx, async () => {
    if (flags.force !== true && !ctx.force) {
      if (!await yesNoPrompt(ctx.io, ctx.lines, 'The pinset (state) of this peer will be replaced. Continue? [y/n]:')) return 0
    }
    const file = args[0]
    if (file == null) ctx.io.stdout('reading from stdin, Ctrl-D to finish\n')
    await step('importing state', async () => mod.stateImport(ctx.configDir, {
      ...(file != null ? { file } : {}),
      rmin: Number(flags['replication-min'] ?? 0),
      rmax: Number(flags['replication-max'] ?? 0),
      allocations: String(flags.allocations ?? '').split(',').map((s) => s.trim()).filter((s) => s !== ''),
      stdin: ctx.io.stdin
    }))
    return 0
  })
}

async function cleanupAction (ctx: ServiceContext, flags: FlagValues): Promise<number> {
  const mod = await daemonModule()
  return withLock(ctx, async () => {
    if (flags.force !== true && !ctx.force) {
      if (!await yesNoPrompt(ctx.io, ctx.lines, `${STATE_CLEANUP_PROMPT} Continue? [y/n]:`)) return 0
    }
    await step('cleaning state', async () => mod.stateCleanup(ctx.configDir))
    return 0
  })
}

function crdtAction (sub: string) {
  return async (ctx: ServiceContext, flags: FlagValues): Promise<number> => {
    const mod = await daemonModule()
    if (mod.stateCrdt == null) {
      throw new CommandError(`running state crdt ${sub}`, new Error('crdt subcommands are not supported by this implementation'))
    }
    const file = String(flags.file ?? '')
    await withLock(ctx, async () => step(`running state crdt ${sub}`, async () => mod.stateCrdt?.(ctx.configDir, sub, file !== '' ? { file } : {})))
    return 0
  }
}

const INIT_DESCRIPTION = `
This command will initialize a new service.json configuration file and, if it
does already exist, generate a new identity.json for ${PROGRAM_NAME}.

If the optional [source-url] is given, the generated configuration file
will refer to it. The source configuration will be fetched from its source
URL during the launch of the daemon. If not, a default standard configuration
file will be created.

In the latter case, a cluster secret will be generated as required
by ${PROGRAM_NAME}. Alternatively, this secret can be manually
provided with --custom-secret (in which case it will be prompted), or
by setting the CLUSTER_SECRET environment variable.

The --consensus flag allows to select an alternative consensus components for
in the newly-generated configuration.

Note that the --force flag allows to overwrite an existing
configuration with default values. To generate a new identity, please
remove the identity.json file first and clean any Raft state.

By default, an empty peerstore file will be created too. Initial contents can
be provided with the --peers flag. Depending on the chosen consensus, the
"trusted_peers" list in the "crdt" configuration section and the
"init_peerset" list in the "raft" configuration section will be prefilled to
the peer IDs in the given multiaddresses.

This implementation runs an embedded IPFS node: the configuration gets an
"ipfs_connector.embedded" section and, for crdt, a "datastore.leveldb"
section unless --datastore selects another one.
`

/** Every command of the service CLI. */
export const COMMANDS: Array<CommandDef<ServiceContext>> = [
  {
    name: 'init',
    usage: 'Creates a configuration and generates an identity',
    description: INIT_DESCRIPTION,
    argsUsage: '[http-source-url]',
    flags: [
      { names: ['consensus'], kind: 'string', usage: "select consensus: 'crdt' or 'raft'", value: 'crdt' },
      { names: ['datastore'], kind: 'string', usage: "select datastore: 'badger', 'badger3', 'leveldb' or 'pebble'", value: 'leveldb' },
      { names: ['custom-secret', 's'], kind: 'bool', usage: 'prompt for the cluster secret (when no source specified)' },
      { names: ['peers'], kind: 'string', usage: 'comma-separated list of multiaddresses to init with (see help)' },
      { names: ['force', 'f'], kind: 'bool', usage: 'overwrite configuration without prompting' },
      { names: ['randomports'], kind: 'bool', usage: 'configure random ports to listen on instead of defaults' }
    ],
    action: initAction
  },
  {
    name: 'daemon',
    usage: 'Runs the IPFS Cluster peer (default)',
    flags: [
      { names: ['upgrade', 'u'], kind: 'bool', usage: 'run state migrations before starting (deprecated/unused)' },
      { names: ['bootstrap', 'j'], kind: 'string', usage: 'join a cluster providing a comma-separated list of existing peers multiaddress(es)' },
      { names: ['leave', 'x'], kind: 'bool', usage: 'remove peer from cluster on exit. Overrides "leave_on_shutdown"', hidden: true },
      { names: ['stats'], kind: 'bool', usage: 'enable stats collection' },
      { names: ['tracing'], kind: 'bool', usage: 'enable tracing collection' },
      { names: ['no-trust'], kind: 'bool', usage: 'do not trust bootstrap peers (only for "crdt" consensus)' }
    ],
    action: daemonAction
  },
  {
    name: 'state',
    usage: "Manages the peer's persistent state (pinset)",
    subcommands: [
      {
        name: 'crdt',
        usage: 'CRDT-state commands',
        subcommands: [
          { name: 'info', usage: 'Print information about the CRDT store', action: crdtAction('info') },
          {
            name: 'dot',
            usage: 'Write the CRDT-DAG as DOT file',
            flags: [{ names: ['file', 'f'], kind: 'string', usage: 'writes to file instead of stdout' }],
            action: crdtAction('dot')
          },
          { name: 'mark-dirty', usage: 'Marks the CRDT-store as dirty', action: crdtAction('mark-dirty') },
          { name: 'mark-clean', usage: 'Marks the CRDT-store as clean', action: crdtAction('mark-clean') }
        ]
      },
      {
        name: 'export',
        usage: 'save the state to a JSON file',
        description: `
This command dumps the current cluster pinset (state) as a JSON file. The
resulting file can be used to migrate, restore or backup a Cluster peer.
By default, the state will be printed to stdout.
`,
        flags: [{ names: ['file', 'f'], kind: 'string', usage: 'writes to an output file' }],
        action: exportAction
      },
      {
        name: 'import',
        usage: "load the state from a file produced by 'export'",
        description: `
This command reads in an exported pinset (state) file and replaces the
existing one. This can be used, for example, to restore a Cluster peer from a
backup.

If an argument is provided, it will be treated it as the path of the file
to import. If no argument is provided, stdin will be used.
`,
        flags: [
          { names: ['force', 'f'], kind: 'bool', usage: 'skips confirmation prompt' },
          { names: ['replication-min', 'rmin'], kind: 'int', usage: 'Overwrite replication-factor-min for all pins on import', value: 0 },
          { names: ['replication-max', 'rmax'], kind: 'int', usage: 'Overwrite replication-factor-max for all pins on import', value: 0 },
          { names: ['allocations', 'allocs'], kind: 'string', usage: 'Overwrite allocations for all pins on import. Comma-separated list of peer IDs' }
        ],
        action: importAction
      },
      {
        name: 'cleanup',
        usage: 'remove persistent data',
        description: `
This command removes any persisted consensus data in this peer, including the
current pinset (state). The next start of the peer will be like a first start
to all effects. Peers may need to bootstrap and sync from scratch after this.
`,
        flags: [{ names: ['force', 'f'], kind: 'bool', usage: 'skip confirmation prompt' }],
        action: cleanupAction
      }
    ]
  },
  {
    name: 'version',
    usage: 'Prints the ipfs-cluster version',
    action: async (ctx) => {
      ctx.io.stdout(`${VERSION}\n`)
      return 0
    }
  }
]
