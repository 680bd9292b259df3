/**
 * `ipfs-cluster-service`: init, daemon, state export/import/cleanup, version
 * (Go `cmd/ipfs-cluster-service`). Global flags: --config/-c
 * (IPFS_CLUSTER_PATH), --force/-f, --debug/-d, --loglevel/-l
 * (IPFS_CLUSTER_LOG_LEVEL), --help/-h, --version/-v. Errors print
 * `error <doing>: <err>` on stderr and exit 1; no subcommand prints help and exits 1.
 */
import { join, resolve } from 'node:path'
import type { AppInfo, FlagDef, CommandDef, FlagValues } from './app.js'
import { appHelp, commandHelp, findCommand, parseFlags, UsageError } from './app.js'
import { COMMANDS, CommandError } from './commands.js'
import type { ServiceContext } from './commands.js'
import { LineReader, processIo } from './io.js'
import type { CliIo } from './io.js'
import { parseLogLevel } from './loglevel.js'
import { DESCRIPTION } from './description.js'
import { PROGRAM_NAME, VERSION } from './version.js'

export type { CliIo } from './io.js'
export type { DaemonFlags, DaemonModule, StateImportOptions } from './delegate.js'
export { VERSION, PROGRAM_NAME } from './version.js'

function globalFlags (home: string): FlagDef[] {
  return [
    { names: ['config', 'c'], kind: 'string', usage: 'path to the configuration and data `FOLDER`', value: join(home, '.ipfs-cluster'), envVar: 'IPFS_CLUSTER_PATH' },
    { names: ['force', 'f'], kind: 'bool', usage: 'forcefully proceed with some actions. i.e. overwriting configuration' },
    { names: ['debug', 'd'], kind: 'bool', usage: 'enable full debug logging (very verbose)' },
    { names: ['loglevel', 'l'], kind: 'string', usage: 'set overall and component-wise log levels', envVar: 'IPFS_CLUSTER_LOG_LEVEL' },
    { names: ['version', 'v'], kind: 'bool', usage: 'print the version', hidden: true }
  ]
}

function app (home: string): AppInfo<ServiceContext> {
  return { name: PROGRAM_NAME, usage: 'IPFS Cluster peer', version: VERSION, description: DESCRIPTION, flags: globalFlags(home), commands: COMMANDS }
}

/** Runs a command (and its subcommands) below the application level. */
async function runCommand (ctx: ServiceContext, path: string, cmd: CommandDef<ServiceContext>, args: string[]): Promise<number> {
  const hasSubs = cmd.subcommands != null && cmd.subcommands.length > 0
  const { values, rest } = parseFlags(args, cmd.flags ?? [], ctx.io.env, hasSubs)
  if (values.help === true) {
    ctx.io.stdout(commandHelp(path, cmd))
    return 0
  }
  if (hasSubs) {
    const name = rest[0]
    if (name == null || name === 'help' || name === 'h') {
      const target = name == null ? undefined : findCommand(cmd.subcommands ?? [], rest[1] ?? '')
      ctx.io.stdout(target != null ? commandHelp(`${path} ${target.name}`, target) : commandHelp(path, cmd))
      return 0
    }
    const sub = findCommand(cmd.subcommands ?? [], name)
    if (sub == null) {
      ctx.io.stderr(`No help topic for '${name}'\n`)
      return 3
    }
    return runCommand(ctx, `${path} ${sub.name}`, sub, rest.slice(1))
  }
  if (cmd.action == null) {
    ctx.io.stdout(commandHelp(path, cmd))
    return 0
  }
  return cmd.action(ctx, values as FlagValues, rest)
}

/**
 * Runs the CLI with `argv` (without the node and script paths) and returns
 * the exit code. Never throws.
 */
export async function run (argv: string[], io: CliIo = processIo()): Promise<number> {
  const lines = new LineReader(io.stdin)
  const info = app(io.home)
  try {
    const { values, rest } = parseFlags(argv, info.flags, io.env, true)
    if (values.help === true) {
      io.stdout(appHelp(info))
      return 0
    }
    if (values.version === true) {
      io.stdout(`${PROGRAM_NAME} version ${VERSION}\n`)
      return 0
    }
    let log
    try {
      log = parseLogLevel(values.debug === true, String(values.loglevel ?? ''), io.stdout)
    } catch (err: any) {
      io.stderr(`${err.message}\n`)
      return 1
    }
    const ctx: ServiceContext = { io, lines, configDir: resolve(String(values.config)), force: values.force === true, log }
    const name = rest[0]
    if (name == null) {
      // as the reference's default action: show help and fail
      io.stdout(appHelp(info))
      return 1
    }
    if (name === 'help' || name === 'h') {
      const target = rest[1] != null ? findCommand(COMMANDS, rest[1]) : undefined
      if (rest[1] != null && target == null) {
        io.stderr(`No help topic for '${rest[1]}'\n`)
        return 3
      }
      io.stdout(target != null ? commandHelp(`${PROGRAM_NAME} ${target.name}`, target) : appHelp(info))
      return 0
    }
    const cmd = findCommand(COMMANDS, name)
    if (cmd == null) {
      io.stderr(`No help topic for '${name}'\n`)
      return 3
    }
    return await runCommand(ctx, `${PROGRAM_NAME} ${cmd.name}`, cmd, rest.slice(1))
  } catch (err: any) {
    if (err instanceof UsageError) {
      io.stderr(`Incorrect Usage. ${err.message}\n\n`)
      return 1
    }
    if (err instanceof CommandError) {
      io.stderr(`error ${err.doing}: ${formatCause(err.cause)}\n`)
      return 1
    }
    io.stderr(`error: ${err?.message ?? String(err)}\n`)
    return 1
  } finally {
    lines.close()
  }
}

function formatCause (cause: unknown): string {
  if (cause instanceof Error) {
    const problems = (cause as { problems?: unknown }).problems
    if (Array.isArray(problems) && problems.length > 1) return problems.join('; ')
    return cause.message
  }
  return String(cause)
}

/** Entry point used by `bin/ipfs-cluster-service.js`: runs and sets the exit code. */
export async function main (argv: string[]): Promise<void> {
  const code = await run(argv)
  process.exitCode = code
}
