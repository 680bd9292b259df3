/**
 * The REST API of the cluster peer (Go `api/rest`), config key `api.restapi`
 * (spec rest-api.md). Serves the routes of spec §7 over HTTP(S) and unix sockets;
 * `POST /add` is served only when an `add` handler is given in the components.
 */
import type { ComponentLogger } from '@libp2p/interface'
import type { ClusterAPI } from '../../interface/cluster.js'
import type { Startable } from '../../interface/startable.js'
import { DEFAULTS } from './config.js'
import type { RestApiConfig } from './config.js'
import type { RestAddHandler } from './context.js'
import { RestApi } from './rest-api.js'

export type { RestAddHandler } from './context.js'

/**
 * REST API settings (camelCase of the `restapi` section, durations in ms).
 * Each field defaults to the reference's default (see config.ts `DEFAULTS`):
 * listen `/ip4/127.0.0.1/tcp/9094`, read-header timeout 5 s, idle 2 min,
 * `maxHeaderBytes` 4096, no auth, CORS `*`/`GET`, credentials allowed.
 * `null` CORS lists take rs/cors' own defaults, as a missing JSON key does in Go.
 */
export interface RestApiInit extends Partial<Omit<RestApiConfig, 'libp2pListenMultiaddress' | 'id' | 'privateKey'>> {}

/** What the REST API needs from the peer. */
export interface RestApiComponents {
  cluster: ClusterAPI
  logger: ComponentLogger
  /** Base for relative `sslCertFile`, `sslKeyFile` and `httpLogFile`. */
  configDir?: string
  /** The `/add` handler (adder); without it `POST /add` is 404. */
  add?: RestAddHandler
}

/** A REST API instance: started/stopped by its creator; `addresses()` is valid after start. */
export interface RestApiService extends Startable {
  start: () => Promise<void>
  stop: () => Promise<void>
  /** The actual listening addresses as multiaddrs (port 0 resolved). */
  addresses: () => string[]
}

/** Creates the REST API component. */
export function restApi (init: RestApiInit = {}): (components: RestApiComponents) => RestApiService {
  return (components) => new RestApi(components, { ...DEFAULTS, ...stripUndefined(init) })
}

function stripUndefined<T extends object> (o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>
}
