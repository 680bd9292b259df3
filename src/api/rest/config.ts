/**
 * Settings of the REST API and their defaults (spec rest-api §12). Parsing and
 * validating the `api.restapi` section of service.json is `src/config`'s job.
 */

/** The `restapi` section as Go writes it (snake_case, Go durations). */
export interface RestApiJson {
  http_listen_multiaddress?: string | string[]
  ssl_cert_file?: string
  ssl_key_file?: string
  read_timeout?: string
  read_header_timeout?: string
  write_timeout?: string
  idle_timeout?: string
  max_header_bytes?: number
  libp2p_listen_multiaddress?: string | string[]
  id?: string
  private_key?: string
  basic_auth_credentials?: Record<string, string> | null
  http_log_file?: string
  headers?: Record<string, string[]> | null
  cors_allowed_origins?: string[] | null
  cors_allowed_methods?: string[] | null
  cors_allowed_headers?: string[] | null
  cors_exposed_headers?: string[] | null
  cors_allow_credentials?: boolean
  cors_max_age?: string
}

/** The settings the server uses (camelCase, durations in ms). */
export interface RestApiConfig {
  httpListenMultiaddress: string[]
  sslCertFile?: string
  sslKeyFile?: string
  readTimeout: number
  readHeaderTimeout: number
  writeTimeout: number
  idleTimeout: number
  maxHeaderBytes: number
  /** Kept for round-trips; the libp2p-http endpoint is not served. */
  libp2pListenMultiaddress?: string[]
  id?: string
  privateKey?: string
  basicAuthCredentials: Record<string, string> | null
  httpLogFile: string
  headers: Record<string, string[]>
  corsAllowedOrigins: string[] | null
  corsAllowedMethods: string[] | null
  corsAllowedHeaders: string[] | null
  corsExposedHeaders: string[] | null
  corsAllowCredentials: boolean
  corsMaxAge: number
}

/** Minimum accepted `max_header_bytes`. */
export const MIN_MAX_HEADER_BYTES = 4096

/** Defaults of the section, as Go's `defaultFunc`. */
export const DEFAULTS: Readonly<RestApiConfig> = Object.freeze({
  httpListenMultiaddress: ['/ip4/127.0.0.1/tcp/9094'],
  readTimeout: 0,
  readHeaderTimeout: 5_000,
  writeTimeout: 0,
  idleTimeout: 120_000,
  maxHeaderBytes: MIN_MAX_HEADER_BYTES,
  basicAuthCredentials: null,
  httpLogFile: '',
  headers: {},
  corsAllowedOrigins: ['*'],
  corsAllowedMethods: ['GET'],
  corsAllowedHeaders: [],
  corsExposedHeaders: ['Content-Type', 'X-Stream-Output', 'X-Chunked-Output', 'X-Content-Length'],
  corsAllowCredentials: true,
  corsMaxAge: 0
})

/**
 * Parses the section over the defaults like Go's `LoadJSON` (empty durations and
 * listen lists keep defaults; CORS lists, credentials and headers are copied as
 * given) and validates it. Throws InvalidConfigError listing every problem.
 */
