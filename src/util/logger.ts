/**
 * The one ComponentLogger shared by cluster components, Helia and libp2p.
 * Lines go to stderr as `<time>\t<LEVEL>\t<facility>\t<message>` (Go's zap console style).
 * Levels: error always, info via `logger.info`, debug (`log()`) when the facility is at debug.
 */
import { format } from 'node:util'
import type { ComponentLogger, Logger } from '@libp2p/interface'

export type LogLevel = 'debug' | 'info' | 'warn' | 'error'
const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 }

export interface LoggerInit {
  /** Overall level. @default 'info' */
  level?: LogLevel
  /** Per-facility levels (`pintracker: 'debug'`). */
  facilities?: Record<string, LogLevel>
  /** Where lines go. @default process.stderr */
  write?: (line: string) => void
  /** Prefix for every line (multi-peer tests). */
  prefix?: string
}

/** A Logger with an `info`/`warn` channel besides libp2p's debug/error/trace. */
export interface ClusterLogger extends Logger {
  info: (formatter: any, ...args: any[]) => void
  warn: (formatter: any, ...args: any[]) => void
}

function render (fmt: any, args: any[]): string {
  if (typeof fmt !== 'string') return format(fmt, ...args)
  // libp2p's extra formatters: %c (CID), %p (peer), %a (multiaddr), %e (error), %b/%t (bytes)
  const conv = fmt.replace(/%[cpabte]/g, (m) => (m === '%e' ? '%s' : '%s'))
  const mapped = args.map((a) => (a instanceof Error ? a.message : (a != null && typeof a === 'object' && typeof a.toString === 'function' && a.toString !== Object.prototype.toString ? a.toString() : a)))
  return format(conv, ...mapped)
}

/**
 * libp2p components whose errors are routine on a network (a dial to a peer that is
 * down, a stream of a connection the other side closed): logged at debug level, as
 * go-libp2p does; each failed dial otherwise printed three ERROR lines.
 */
const ROUTINE_ERRORS = /^libp2p:(tcp|connection-manager)(:|$)/

/** A ComponentLogger whose loggers also have `info`/`warn`. */
export interface ClusterComponentLogger extends ComponentLogger {
  forComponent: (name: string) => ClusterLogger
}

/** Creates the shared logger. */
export function createLogger (init: LoggerInit = {}): ClusterComponentLogger {
  const overall = init.level ?? 'info'
  const write = init.write ?? ((line: string) => { process.stderr.write(line) })
  const prefix = init.prefix != null ? `${init.prefix} ` : ''
  const levelOf = (name: string): LogLevel => {
    const fac = name.replace(/^cluster:/, '')
    return init.facilities?.[fac] ?? init.facilities?.[name] ?? (name.startsWith('cluster:') || !name.includes(':') ? overall : (overall === 'debug' ? 'debug' : 'error'))
  }
  const make = (name: string): ClusterLogger => {
    const lvl = RANK[levelOf(name)]
    const fac = name.replace(/^cluster:/, '')
    const out = (level: string, fmt: any, args: any[]): void => {
      write(`${prefix}${new Date().toISOString()}\t${level}\t${fac}\t${render(fmt, args)}\n`)
    }
    const log = ((fmt: any, ...args: any[]) => { if (lvl <= 0) out('DEBUG', fmt, args) }) as ClusterLogger
    log.enabled = lvl <= 0
    log.error = ROUTINE_ERRORS.test(name)
      ? Object.assign((fmt: any, ...args: any[]) => { if (lvl <= 0) out('DEBUG', fmt, args) }, { enabled: lvl <= 0 }) as any
      : Object.assign((fmt: any, ...args: any[]) => { out('ERROR', fmt, args) }, { enabled: true }) as any
    log.trace = Object.assign((_fmt: any, ..._args: any[]) => {}, { enabled: false }) as any
    log.info = (fmt: any, ...args: any[]) => { if (lvl <= 1) out('INFO', fmt, args) }
    log.warn = (fmt: any, ...args: any[]) => { if (lvl <= 2) out('WARN', fmt, args) }
    log.newScope = (scope: string) => make(`${name}:${scope}`)
    return log
  }
  return { forComponent: make }
}

/** A logger that drops everything but errors (tests). */
export function silentLogger (): ClusterComponentLogger {
  return createLogger({ level: 'error', write: () => {} })
}
