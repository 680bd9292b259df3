/**
 * The `api.restapi` section of service.json (spec rest-api §12, config §9.1):
 * JSON shape, defaults, conversion to the camelCase init and back, validation.
 */
import { InvalidConfigError } from '../../interface/errors.js'
import { formatDuration, parseDuration } from '../../util/duration.js'

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

const strings = (v: string | string[] | undefined): string[] => (v == null ? [] : (Array.isArray(v) ? v : [v]))

/**
 * Parses the section over the defaults like Go's `LoadJSON` (empty durations and
 * listen lists keep defaults; CORS lists, credentials and headers are copied as
 * given) and validates it. Throws InvalidConfigError listing every problem.
 */
export function fromJson (json: RestApiJson): Readonly<RestApiConfig> {
  const problems: string[] = []
  const dur = (v: string | undefined, key: string, def: number): number => {
    if (v == null || v === '') return def
    try {
      return parseDuration(v)
    } catch {
      problems.push(`restapi.${key} is invalid`)
      return def
    }
  }
  const listen = strings(json.http_listen_multiaddress)
  const cfg: RestApiConfig = {
    httpListenMultiaddress: listen.length > 0 ? listen : [...DEFAULTS.httpListenMultiaddress],
    readTimeout: dur(json.read_timeout, 'read_timeout', DEFAULTS.readTimeout),
    readHeaderTimeout: dur(json.read_header_timeout, 'read_header_timeout', DEFAULTS.readHeaderTimeout),
    writeTimeout: dur(json.write_timeout, 'write_timeout', DEFAULTS.writeTimeout),
    idleTimeout: dur(json.idle_timeout, 'idle_timeout', DEFAULTS.idleTimeout),
    maxHeaderBytes: json.max_header_bytes == null || json.max_header_bytes === 0 ? MIN_MAX_HEADER_BYTES : json.max_header_bytes,
    basicAuthCredentials: json.basic_auth_credentials ?? null,
    httpLogFile: json.http_log_file ?? '',
    headers: json.headers ?? {},
    corsAllowedOrigins: json.cors_allowed_origins ?? null,
    corsAllowedMethods: json.cors_allowed_methods ?? null,
    corsAllowedHeaders: json.cors_allowed_headers ?? null,
    corsExposedHeaders: json.cors_exposed_headers ?? null,
    corsAllowCredentials: json.cors_allow_credentials === true,
    corsMaxAge: dur(json.cors_max_age, 'cors_max_age', 0)
  }
  if (json.ssl_cert_file != null && json.ssl_cert_file !== '') cfg.sslCertFile = json.ssl_cert_file
  if (json.ssl_key_file != null && json.ssl_key_file !== '') cfg.sslKeyFile = json.ssl_key_file
  const l2p = strings(json.libp2p_listen_multiaddress)
  if (l2p.length > 0) cfg.libp2pListenMultiaddress = l2p
  if (json.id != null && json.id !== '') cfg.id = json.id
  if (json.private_key != null && json.private_key !== '') cfg.privateKey = json.private_key
  problems.push(...validate(cfg))
  if (problems.length > 0) throw new InvalidConfigError(problems)
  return Object.freeze(cfg)
}

/** Problems of a config, with Go's messages (empty when valid). */
export function validate (cfg: RestApiConfig): string[] {
  const problems: string[] = []
  for (const addr of cfg.httpListenMultiaddress) {
    if (!addr.startsWith('/')) problems.push(`error parsing restapi.http_listen_multiaddress: invalid multiaddr "${addr}"`)
  }
  if (cfg.readTimeout < 0) problems.push('restapi.read_timeout is invalid')
  if (cfg.readHeaderTimeout < 0) problems.push('restapi.read_header_timeout is invalid')
  if (cfg.writeTimeout < 0) problems.push('restapi.write_timeout is invalid')
  if (cfg.idleTimeout < 0) problems.push('restapi.idle_timeout invalid')
  if (cfg.maxHeaderBytes < MIN_MAX_HEADER_BYTES) problems.push(`restapi.max_header_bytes must be not less then ${MIN_MAX_HEADER_BYTES}`)
  if (cfg.basicAuthCredentials != null && Object.keys(cfg.basicAuthCredentials).length === 0) {
    problems.push('restapi.basic_auth_creds should be null or have at least one entry')
  }
  if ((cfg.sslCertFile != null) !== (cfg.sslKeyFile != null)) problems.push('restapi: missing TLS configuration')
  if (cfg.corsMaxAge < 0) problems.push('restapi.cors_max_age is invalid')
  const l2p = [cfg.id != null, cfg.privateKey != null, (cfg.libp2pListenMultiaddress ?? []).length > 0]
  if (l2p.some(Boolean) && !l2p.every(Boolean)) problems.push('all ID, private_key and libp2p_listen_multiaddress should be set')
  return problems
}

/** The section as Go writes it (key order of Go's jsonConfig; one address as a plain string). */
export function toJson (cfg: RestApiConfig): RestApiJson {
  const one = (l: string[]): string | string[] => (l.length === 1 ? l[0] : l)
  const out: RestApiJson = { http_listen_multiaddress: one(cfg.httpListenMultiaddress) }
  if (cfg.sslCertFile != null) out.ssl_cert_file = cfg.sslCertFile
  if (cfg.sslKeyFile != null) out.ssl_key_file = cfg.sslKeyFile
  out.read_timeout = formatDuration(cfg.readTimeout)
  out.read_header_timeout = formatDuration(cfg.readHeaderTimeout)
  out.write_timeout = formatDuration(cfg.writeTimeout)
  out.idle_timeout = formatDuration(cfg.idleTimeout)
  out.max_header_bytes = cfg.maxHeaderBytes
  if (cfg.libp2pListenMultiaddress != null && cfg.libp2pListenMultiaddress.length > 0) out.libp2p_listen_multiaddress = one(cfg.libp2pListenMultiaddress)
  if (cfg.id != null) out.id = cfg.id
  if (cfg.privateKey != null) out.private_key = cfg.privateKey
  out.basic_auth_credentials = cfg.basicAuthCredentials
  out.http_log_file = cfg.httpLogFile
  out.headers = cfg.headers
  out.cors_allowed_origins = cfg.corsAllowedOrigins
  out.cors_allowed_methods = cfg.corsAllowedMethods
  out.cors_allowed_headers = cfg.corsAllowedHeaders
  out.cors_exposed_headers = cfg.corsExposedHeaders
  out.cors_allow_credentials = cfg.corsAllowCredentials
  out.cors_max_age = formatDuration(cfg.corsMaxAge)
  return out
}

/** Default section JSON (what `init` writes). */
export function defaultJson (): RestApiJson {
  return toJson({ ...DEFAULTS, httpListenMultiaddress: [...DEFAULTS.httpListenMultiaddress] })
}
