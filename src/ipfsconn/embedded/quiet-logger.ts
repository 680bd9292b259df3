/**
 * The shared logger as handed to Helia and libp2p: their `error` lines go to debug.
 * Both log expected events at error level (a peer closing a stream early, a want
 * aborted because a pin timed out); whatever matters to the cluster comes back as an
 * error from a connector method, which the caller logs.
 */
import type { ComponentLogger, Logger } from '@libp2p/interface'

function quiet (log: Logger): Logger {
  const l = ((formatter: any, ...args: any[]) => { log(formatter, ...args) }) as Logger
  l.enabled = log.enabled
  l.trace = log.trace
  l.error = Object.assign((formatter: any, ...args: any[]) => { log(formatter, ...args) }, { enabled: log.enabled })
  l.newScope = (name: string) => quiet(log.newScope(name))
  return l
}

/** Wraps `logger` so that the loggers it makes report errors at debug level. */
export function quietLogger (logger: ComponentLogger): ComponentLogger {
  return { forComponent: (name: string) => quiet(logger.forComponent(name)) }
}
