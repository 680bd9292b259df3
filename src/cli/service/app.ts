/**
 * A small command-line framework with urfave/cli v1 semantics: `-flag` or
 * `--flag`, `--flag=value` or `--flag value`, bool flags take no separate
 * value, aliases, env-var defaults, `help`/`h` commands, and help text in
 * urfave's layout (NAME/USAGE/VERSION/DESCRIPTION/COMMANDS/GLOBAL OPTIONS).
 */

/** One flag. */
export interface FlagDef {
  /** Long name first, then aliases (`['config', 'c']`). */
  names: string[]
  kind: 'bool' | 'string' | 'int'
  usage: string
  /** Default value shown in help and used when unset. */
  value?: string | number
  /** Environment variable supplying the value when the flag is absent. */
  envVar?: string
  hidden?: boolean
}

/** Parsed flags of one level. */
export type FlagValues = Record<string, string | number | boolean | undefined>

/** A command (possibly with subcommands). */
export interface CommandDef<Ctx> {
  name: string
  aliases?: string[]
  usage: string
  description?: string
  argsUsage?: string
  flags?: FlagDef[]
  subcommands?: Array<CommandDef<Ctx>>
  hidden?: boolean
  action?: (ctx: Ctx, flags: FlagValues, args: string[]) => Promise<number>
}

/** A usage error (unknown flag, missing value...). */
export class UsageError extends Error {
  static name = 'UsageError'
  constructor (message: string) {
    super(message)
    this.name = 'UsageError'
  }
}

/** Finds the flag definition for a name or alias. */
function findFlag (flags: FlagDef[], name: string): FlagDef | undefined {
  return flags.find((f) => f.names.includes(name))
}

/**
 * Parses `args` against `flags`. With `stopAtPositional` parsing stops at the
 * first positional (a subcommand name) and the rest is returned untouched;
 * otherwise flags may follow positionals (urfave's argument reordering).
 * `help`/`h` flags are reported through the `help` key.
 */
export function parseFlags (args: string[], flags: FlagDef[], env: NodeJS.ProcessEnv, stopAtPositional: boolean): { values: FlagValues, rest: string[] } {
  const values: FlagValues = {}
  const rest: string[] = []
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]
    if (arg === '--') {
      rest.push(...args.slice(i + 1))
      break
    }
    if (!arg.startsWith('-') || arg === '-') {
      if (stopAtPositional) {
        rest.push(...args.slice(i))
        break
      }
      rest.push(arg)
      continue
    }
    const body = arg.replace(/^--?/, '')
    const eq = body.indexOf('=')
    const name = eq >= 0 ? body.slice(0, eq) : body
    const inline = eq >= 0 ? body.slice(eq + 1) : undefined
    if (name === 'help' || name === 'h') {
      if (findFlag(flags, name) == null) {
        values.help = true
        continue
      }
    }
    const def = findFlag(flags, name)
    if (def == null) throw new UsageError(`flag provided but not defined: -${name}`)
    const key = def.names[0]
    if (def.kind === 'bool') {
      if (inline == null) values[key] = true
      else if (/^(1|t|true)$/i.test(inline)) values[key] = true
      else if (/^(0|f|false)$/i.test(inline)) values[key] = false
      else throw new UsageError(`invalid boolean value "${inline}" for -${name}`)
      continue
    }
    let v = inline
    if (v == null) {
      if (i + 1 >= args.length) throw new UsageError(`flag needs an argument: -${name}`)
      v = args[++i]
    }
    if (def.kind === 'int') {
      if (!/^[-+]?\d+$/.test(v)) throw new UsageError(`invalid value "${v}" for flag -${name}: parse error`)
      values[key] = Number.parseInt(v, 10)
    } else {
      values[key] = v
    }
  }
  for (const def of flags) {
    const key = def.names[0]
    if (values[key] !== undefined) continue
    const fromEnv = def.envVar != null ? env[def.envVar] : undefined
    if (fromEnv != null && fromEnv !== '') {
      values[key] = def.kind === 'bool' ? /^(1|t|true)$/i.test(fromEnv) : def.kind === 'int' ? Number.parseInt(fromEnv, 10) : fromEnv
    } else if (def.value !== undefined) {
      values[key] = def.value
    } else {
      values[key] = def.kind === 'bool' ? false : def.kind === 'int' ? 0 : ''
    }
  }
  return { values, rest }
}

/** Columns like Go's tabwriter (padding 2). */
function columns (rows: Array<[string, string]>, indent: string): string {
  const width = Math.max(0, ...rows.map(([a]) => a.length))
  const lead = indent.length + width + 2
  return rows.map(([a, b]) => wrap(`${indent}${a.padEnd(width + 2)}${b}`.trimEnd(), lead)).join('\n')
}

/** Keeps help lines within 120 columns by continuing long text under its column. */
function wrap (line: string, lead: number, max = 120): string {
  const out: string[] = []
  let rest = line
  while (rest.length > max) {
    const cut = rest.lastIndexOf(' ', max)
    if (cut <= lead) break
    out.push(rest.slice(0, cut))
    rest = ' '.repeat(lead) + rest.slice(cut + 1)
  }
  out.push(rest)
  return out.join('\n')
}

/** urfave's flag line: `--config FOLDER, -c FOLDER  usage (default: "x") [$ENV]`. */
export function flagLine (def: FlagDef): [string, string] {
  let usage = def.usage
  let placeholder = 'value'
  const m = /`([^`]+)`/.exec(usage)
  if (m != null) {
    placeholder = m[1]
    usage = usage.replace(/`([^`]+)`/, '$1')
  }
  const names = def.names.map((n) => {
    const dash = n.length === 1 ? '-' : '--'
    return def.kind === 'bool' ? `${dash}${n}` : `${dash}${n} ${placeholder}`
  }).join(', ')
  let text = usage
  if (def.kind === 'string' && def.value != null && def.value !== '') text += ` (default: "${def.value}")`
  if (def.kind === 'int' && def.value != null) text += ` (default: ${def.value})`
  if (def.envVar != null) text += ` [$${def.envVar}]`
  return [names, text]
}

/** Lines of the COMMANDS: block (with urfave's automatic help command). */
function commandRows<Ctx> (cmds: Array<CommandDef<Ctx>>): Array<[string, string]> {
  const rows: Array<[string, string]> = cmds.filter((c) => c.hidden !== true).map((c) => [[c.name, ...(c.aliases ?? [])].join(', '), c.usage])
  rows.push(['help, h', 'Shows a list of commands or help for one command'])
  return rows
}

/** Description of the application for its help. */
export interface AppInfo<Ctx> {
  name: string
  usage: string
  version: string
  description: string
  flags: FlagDef[]
  commands: Array<CommandDef<Ctx>>
}

function visibleFlagRows (flags: FlagDef[], extra: Array<[string, string]>): Array<[string, string]> {
  return [...flags.filter((f) => f.hidden !== true).map(flagLine), ...extra]
}

/** The application help (urfave v1 AppHelpTemplate). */
export function appHelp<Ctx> (app: AppInfo<Ctx>): string {
  const out: string[] = []
  out.push('NAME:', `   ${app.name} - ${app.usage}`, '')
  out.push('USAGE:', `   ${app.name} [global options] command [command options] [arguments...]`, '')
  out.push('VERSION:', `   ${app.version}`, '')
  out.push('DESCRIPTION:', `   ${app.description}`, '')
  out.push('COMMANDS:', columns(commandRows(app.commands), '     '), '')
  out.push('GLOBAL OPTIONS:', columns(visibleFlagRows(app.flags, [['--help, -h', 'show help'], ['--version, -v', 'print the version']]), '   '))
  return out.join('\n') + '\n'
}

/** Help of a command; `path` is the full command name (`ipfs-cluster-service state import`). */
export function commandHelp<Ctx> (path: string, cmd: CommandDef<Ctx>): string {
  const out: string[] = []
  if (cmd.subcommands != null && cmd.subcommands.length > 0) {
    out.push('NAME:', `   ${path} - ${cmd.usage}`, '')
    out.push('USAGE:', `   ${path} command [command options] [arguments...]`, '')
    out.push('COMMANDS:', columns(commandRows(cmd.subcommands), '     '), '')
    out.push('OPTIONS:', columns([['--help, -h', 'show help']], '   '))
    return out.join('\n') + '\n'
  }
  const flags = cmd.flags ?? []
  out.push('NAME:', `   ${path} - ${cmd.usage}`, '')
  out.push('USAGE:', `   ${path}${flags.some((f) => f.hidden !== true) ? ' [command options]' : ''} ${cmd.argsUsage ?? '[arguments...]'}`)
  if (cmd.description != null) out.push('', 'DESCRIPTION:', `   ${cmd.description}`)
  const rows = visibleFlagRows(flags, [])
  if (rows.length > 0) out.push('', 'OPTIONS:', columns(rows, '   '))
  return out.join('\n') + '\n'
}

/** Finds a command by name or alias. */
export function findCommand<Ctx> (cmds: Array<CommandDef<Ctx>>, name: string): CommandDef<Ctx> | undefined {
  return cmds.find((c) => c.name === name || (c.aliases ?? []).includes(name))
}
