/**
 * A small re-implementation of urfave/cli v1 (App.Run, Command.Run,
 * startApp/RunAsSubcommand, the help command and the three help templates)
 * for the ctl's fixed command tree, so that parsing, help text and exit codes
 * match the Go binary.
 */
import { ExitError } from './errors.js'
import { HELP_FLAG, VERSION_FLAG, FlagParseError, flagHelp, parseFlags, reorderArgs } from './flags.js'
import { tabwrite } from './tabwriter.js'
import type { FlagDef, FlagValue, ParsedFlags } from './flags.js'
import type { Output } from './output.js'

/** A command of the tree (urfave `cli.Command`). */
export interface CommandDef {
  name: string
  aliases?: string[]
  usage?: string
  description?: string
  argsUsage?: string
  flags?: FlagDef[]
  subcommands?: CommandDef[]
  hidden?: boolean
  action?: (ctx: Context) => Promise<void>
  /** Set while running, as urfave does (`<app help name> <name>`). */
  helpName?: string
}

/** The root application or the app urfave builds for a command with subcommands. */
export interface AppDef {
  name: string
  helpName: string
  usage: string
  description: string
  argsUsage: string
  version: string
  flags: FlagDef[]
  commands: CommandDef[]
  /** Commands listed under COMMANDS (urfave's categories, computed before `help` is added to sub-apps). */
  listed: CommandDef[]
  action?: (ctx: Context) => Promise<void>
  before?: (ctx: Context) => Promise<void>
}

/** Where the run writes, and its environment. */
export interface RunIO {
  stdout: Output
  stderr: Output
  env: NodeJS.ProcessEnv
}

/** A parse context (urfave `cli.Context`). */
export class Context {
  constructor (
    readonly app: AppDef,
    readonly flags: ParsedFlags,
    readonly io: RunIO,
    readonly parent?: Context,
    readonly command?: CommandDef
  ) {}

  /** Positional arguments. */
  get args (): string[] { return this.flags.args }

  private value (name: string): FlagValue | undefined {
    return this.flags.values.get(name)
  }

  /** Value of a bool flag of this context. */
  bool (name: string): boolean { return this.value(name) === true }
  /** Value of a string flag of this context. */
  string (name: string): string { const v = this.value(name); return typeof v === 'string' ? v : '' }
  /** Value of an int flag of this context. */
  int (name: string): number { const v = this.value(name); return typeof v === 'number' ? v : 0 }
  /** Value of a duration flag in ms. */
  duration (name: string): number { return this.int(name) }
  /** Values of a string slice flag. */
  stringSlice (name: string): string[] { const v = this.value(name); return Array.isArray(v) ? v : [] }
  /** Whether the flag was given (under any of its names). */
  isSet (name: string): boolean { return this.flags.visited.has(name) }
}

const HELP_USAGE = 'Shows a list of commands or help for one command'

/** urfave's `helpCommand` (top-level apps and sub-apps get a fresh copy). */
function helpCommand (): CommandDef {
  return {
    name: 'help',
    aliases: ['h'],
    usage: HELP_USAGE,
    argsUsage: '[command]',
    action: async (ctx) => {
      if (ctx.args.length > 0) { showCommandHelp(ctx, ctx.args[0]); return }
      showAppHelp(ctx)
    }
  }
}

const hasName = (c: CommandDef, name: string): boolean => c.name === name || (c.aliases ?? []).includes(name)
const visibleFlags = (flags: FlagDef[] | undefined): FlagDef[] => flags ?? []

function print (ctx: Context, text: string): void {
  ctx.io.stdout.write(tabwrite(text))
}

function commandLines (cmds: CommandDef[]): string {
  return cmds.filter((c) => c.hidden !== true)
    .map((c) => `\n   ${[c.name, ...(c.aliases ?? [])].join(', ')}\t${c.usage ?? ''}`).join('')
}

function flagLines (flags: FlagDef[]): string[] {
  return flags.map((f) => flagHelp(f))
}

/** urfave `AppHelpTemplate`. */
export function appHelpText (app: AppDef): string {
  const vf = visibleFlags(app.flags)
  let s = `NAME:\n   ${app.name}${app.usage !== '' ? ' - ' + app.usage : ''}\n\nUSAGE:\n   `
  s += `${app.helpName} ${vf.length > 0 ? '[global options]' : ''}${app.commands.length > 0 ? ' command [command options]' : ''} ` +
    (app.argsUsage !== '' ? app.argsUsage : '[arguments...]')
  if (app.version !== '') s += `\n\nVERSION:\n   ${app.version}`
  if (app.description !== '') s += `\n\nDESCRIPTION:\n   ${app.description}`
  if (app.commands.some((c) => c.hidden !== true)) s += '\n\nCOMMANDS:' + commandLines(app.listed)
  if (vf.length > 0) s += '\n\nGLOBAL OPTIONS:\n   ' + flagLines(vf).join('\n   ')
  return s + '\n'
}

/** urfave `CommandHelpTemplate`. */
export function commandHelpText (cmd: CommandDef): string {
  const vf = visibleFlags(cmd.flags)
  const helpName = cmd.helpName ?? ''
  let s = `NAME:\n   ${helpName} - ${cmd.usage ?? ''}\n\nUSAGE:\n   ${helpName}${vf.length > 0 ? ' [command options]' : ''} ` +
    (cmd.argsUsage != null && cmd.argsUsage !== '' ? cmd.argsUsage : '[arguments...]')
  if (cmd.description != null && cmd.description !== '') s += `\n\nDESCRIPTION:\n   ${cmd.description}`
  if (vf.length > 0) s += '\n\nOPTIONS:\n   ' + flagLines(vf).map((l) => l + '\n   ').join('')
  return s + '\n'
}

/** urfave `SubcommandHelpTemplate` (help of a command group). */
export function subcommandHelpText (app: AppDef): string {
  const vf = visibleFlags(app.flags)
  let s = `NAME:\n   ${app.helpName} - ${app.description !== '' ? app.description : app.usage}\n\nUSAGE:\n   ` +
    `${app.helpName} command${vf.length > 0 ? ' [command options]' : ''} ${app.argsUsage !== '' ? app.argsUsage : '[arguments...]'}` +
    '\n\nCOMMANDS:' + commandLines(app.listed)
  if (vf.length > 0) s += '\n\nOPTIONS:\n   ' + flagLines(vf).map((l) => l + '\n   ').join('')
  return s + '\n'
}

function showAppHelp (ctx: Context): void {
  print(ctx, appHelpText(ctx.app))
}

/** urfave `ShowCommandHelp`: "" shows the app as a command group; unknown names exit 3. */
function showCommandHelp (ctx: Context, name: string): void {
  if (name === '') { print(ctx, subcommandHelpText(ctx.app)); return }
  const cmd = ctx.app.commands.find((c) => hasName(c, name))
  if (cmd == null) {
    ctx.io.stderr.write(`No help topic for '${name}'\n`)
    throw new ExitError(3)
  }
  print(ctx, commandHelpText(cmd))
}

/** Runs the root app on `args` (without the program name), as urfave `App.Run`. */
export async function runApp (app: AppDef, args: string[], io: RunIO): Promise<void> {
  // as App.Setup: help names, then the help command and flags
  app.commands = app.commands.map((c) => ({ ...c, helpName: c.helpName ?? `${app.helpName} ${c.name}` }))
  if (!app.commands.some((c) => hasName(c, 'help'))) {
    app.commands.push(helpCommand())
    app.flags = [...app.flags, HELP_FLAG]
  }
  app.flags = [...app.flags, VERSION_FLAG]
  app.listed = app.commands

  let flags: ParsedFlags
  try {
    flags = parseFlags(app.flags, args, io.env)
  } catch (err: any) {
    if (!(err instanceof FlagParseError)) throw err
    const ctx = new Context(app, { values: new Map(), visited: new Set(), args: [] }, io)
    // normalizeFlags errors print bare; flag.Parse errors get "Incorrect Usage."
    io.stdout.write(err.message.startsWith('Cannot use two forms') ? `${err.message}\n` : `Incorrect Usage. ${err.message}\n\n`)
    showAppHelp(ctx)
    throw new ExitError(1)
  }
  const ctx = new Context(app, flags, io)
  if (ctx.bool('help') || ctx.bool('h')) { showAppHelp(ctx); return }
  if (ctx.bool('version') || ctx.bool('v')) { io.stdout.write(`${app.name} version ${app.version}\n`); return }
  if (app.before != null) await app.before(ctx)
  if (ctx.args.length > 0) {
    const cmd = app.commands.find((c) => hasName(c, ctx.args[0]))
    if (cmd != null) { await runCommand(cmd, ctx); return }
  }
  await (app.action ?? (helpCommand().action as (c: Context) => Promise<void>))(ctx)
}

/** urfave `Command.Run`. */
async function runCommand (cmd: CommandDef, parent: Context): Promise<void> {
  if (cmd.subcommands != null && cmd.subcommands.length > 0) { await startApp(cmd, parent); return }
  const defs = [...(cmd.flags ?? []), HELP_FLAG]
  let flags: ParsedFlags
  try {
    flags = parseFlags(defs, reorderArgs(defs, parent.args.slice(1)), parent.io.env)
  } catch (err: any) {
    if (!(err instanceof FlagParseError)) throw err
    parent.io.stdout.write(`Incorrect Usage: ${err.message}\n\n`)
    showCommandHelp(parent, cmd.name)
    throw new ExitError(1)
  }
  const ctx = new Context(parent.app, flags, parent.io, parent, cmd)
  if (ctx.bool('h') || ctx.bool('help')) { showCommandHelp(ctx, cmd.name); return }
  const action = cmd.action ?? (async (c: Context) => {
    // helpSubcommand
    if (c.args.length > 0) { showCommandHelp(c, c.args[0]); return }
    showCommandHelp(c, '')
  })
  await action(ctx)
}

/** urfave `Command.startApp` + `App.RunAsSubcommand`: a command group runs as an app. */
async function startApp (cmd: CommandDef, parent: Context): Promise<void> {
  const name = `${parent.app.name} ${cmd.name}`
  const listed = cmd.subcommands ?? []
  const commands: CommandDef[] = [...listed, helpCommand()]
    .map((c) => ({ ...c, helpName: c.helpName ?? `${name} ${c.name}` }))
  const app: AppDef = {
    name,
    helpName: name,
    usage: cmd.usage ?? '',
    description: cmd.description ?? '',
    argsUsage: cmd.argsUsage ?? '',
    version: parent.app.version,
    flags: [...(cmd.flags ?? []), HELP_FLAG],
    commands,
    listed: listed.map((c) => commands.find((x) => x.name === c.name) as CommandDef)
  }
  let flags: ParsedFlags
  try {
    flags = parseFlags(app.flags, parent.args.slice(1), parent.io.env)
  } catch (err: any) {
    if (!(err instanceof FlagParseError)) throw err
    const ctx = new Context(app, { values: new Map(), visited: new Set(), args: [] }, parent.io, parent)
    parent.io.stdout.write(err.message.startsWith('Cannot use two forms') ? `${err.message}\n\n` : `Incorrect Usage. ${err.message}\n\n`)
    showCommandHelp(ctx, '')
    throw new ExitError(1)
  }
  const ctx = new Context(app, flags, parent.io, parent)
  if (ctx.bool('h') || ctx.bool('help')) { showCommandHelp(ctx, ''); return }
  if (ctx.args.length > 0) {
    const sub = app.commands.find((c) => hasName(c, ctx.args[0]))
    if (sub != null) { await runCommand(sub, ctx); return }
  }
  // helpSubcommand action
  if (ctx.args.length > 0) { showCommandHelp(ctx, ctx.args[0]); return }
  showCommandHelp(ctx, '')
}

/** The hidden `commands` listing (Go `walkCommands`). */
export function walkCommands (cmds: CommandDef[], parentHelpName: string): string {
  let s = ''
  for (const c of cmds) {
    const h = c.helpName != null && c.helpName !== '' ? c.helpName : `${parentHelpName} ${c.name}`
    s += h + '\n'
    s += walkCommands(c.subcommands ?? [], h)
  }
  return s
}

