/**
 * The daemon and offline-state functions live in `src/daemon/` (written
 * separately); they are loaded on demand so `init`/`version`/`help` work
 * without them.
 */
import type { LoggerInit } from '../../util/logger.js'

/** Flags of `ipfs-cluster-service daemon`. */
export interface DaemonFlags {
  /** `--bootstrap/-j`: multiaddresses to join. */
  bootstrap: string[]
  /** `--leave/-x` (hidden): sets leave_on_shutdown. */
  leave: boolean
  /** `--stats`: enable metrics. */
  stats: boolean
  /** `--tracing`: enable tracing. */
  tracing: boolean
  /** `--no-trust`: do not trust bootstrap peers (CRDT). */
  noTrust: boolean
  /** `--upgrade/-u`: deprecated, no effect. */
  upgrade: boolean
  /** Logger settings from `--debug` / `--loglevel`. */
  log: LoggerInit
}

/** Options of `state import`. */
export interface StateImportOptions {
  /** File to read; stdin when absent. */
  file?: string
  /** Overrides replication_factor_min when > 0. */
  rmin: number
  /** Overrides replication_factor_max when > 0. */
  rmax: number
  /** Overrides allocations when non-empty. */
  allocations: string[]
  /** Where to read from when `file` is absent. */
  stdin: NodeJS.ReadableStream
}

/** What `src/daemon/index.js` provides. The CLI holds the folder lock around these calls. */
export interface DaemonModule {
  runDaemon: (cfgDir: string, flags: DaemonFlags) => Promise<void>
  stateExport: (cfgDir: string, opts: { file?: string, stdout?: (text: string) => void }) => Promise<void>
  stateImport: (cfgDir: string, opts: StateImportOptions) => Promise<void>
  stateCleanup: (cfgDir: string) => Promise<void>
  /** Optional: `state crdt info|dot|mark-dirty|mark-clean`. */
  stateCrdt?: (cfgDir: string, sub: string, opts: { file?: string }) => Promise<void>
}

/** The daemon module is missing from this build. */
export class DaemonUnavailableError extends Error {
  static name = 'DaemonUnavailableError'
  constructor (options?: ErrorOptions) {
    super('the daemon is not available in this build', options)
    this.name = 'DaemonUnavailableError'
  }
}

/** Imports `../../daemon/index.js`; throws DaemonUnavailableError when absent. */
export async function loadDaemonModule (): Promise<DaemonModule> {
  // A variable specifier keeps the compiler from requiring the module at build time.
  const spec = '../../daemon/index.js'
  try {
    return await import(spec) as DaemonModule
  } catch (err: any) {
    if (err?.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('daemon')) throw new DaemonUnavailableError({ cause: err })
    throw err
  }
}
