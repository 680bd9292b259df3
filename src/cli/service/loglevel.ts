/**
 * `--debug` / `--loglevel` handling (Go `setupLogLevel`): a comma list of
 * `level` (overall) or `facility:level` entries.
 */
import type { LoggerInit, LogLevel } from '../../util/logger.js'

/** Go's log level names mapped onto ours; unknown names are ignored. */
const LEVELS: Record<string, LogLevel> = {
  debug: 'debug',
  info: 'info',
  warn: 'warn',
  warning: 'warn',
  error: 'error',
  dpanic: 'error',
  panic: 'error',
  fatal: 'error',
  critical: 'error'
}

/** Cluster's own facilities (all default to the overall level). */
export const FACILITIES = [
  'service', 'cluster', 'restapi', 'restapilog', 'pinsvcapi', 'pinsvcapilog', 'ipfsproxy', 'ipfsproxylog', 'ipfshttp',
  'monitor', 'dsstate', 'raft', 'crdt', 'pintracker', 'diskinfo', 'tags', 'apitypes', 'config', 'shardingdags',
  'singledags', 'adder', 'optracker', 'pstoremgr', 'allocator'
]

/** Bad `--loglevel` syntax. */
export class LogLevelError extends Error {
  static name = 'LogLevelError'
  constructor (message = 'log level not in expected format "identifier:loglevel" or "loglevel"') {
    super(message)
    this.name = 'LogLevelError'
  }
}

/**
 * Builds the logger settings. `notice` receives Go's "overwriting existing X
 * log level" messages. Throws LogLevelError for entries with several colons.
 */
export function parseLogLevel (debug: boolean, spec: string, notice: (m: string) => void = () => {}): LoggerInit {
  if (debug) {
    return { level: 'debug', facilities: Object.fromEntries(FACILITIES.map((f) => [f, 'debug' as LogLevel])) }
  }
  const comp: Record<string, string> = {}
  for (const entry of spec.split(',')) {
    if (entry === '') continue
    const parts = entry.split(':')
    let name: string
    let lvl: string
    if (parts.length === 1) {
      name = 'all'
      lvl = parts[0]
    } else if (parts.length === 2) {
      name = parts[0]
      lvl = parts[1]
    } else {
      throw new LogLevelError()
    }
    if (comp[name] != null) notice(`overwriting existing ${name} log level\n`)
    comp[name] = lvl
  }
  const level = LEVELS[(comp.all ?? 'info').toLowerCase()] ?? 'info'
  const facilities: Record<string, LogLevel> = {}
  for (const [name, lvl] of Object.entries(comp)) {
    const l = LEVELS[lvl.toLowerCase()]
    if (name !== 'all' && l != null) facilities[name] = l
  }
  return { level, facilities }
}
