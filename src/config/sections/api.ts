/**
 * `api.restapi`, `api.pinsvcapi` (same schema, Go `api/common/config.go`) and
 * `api.ipfsproxy` (Go `api/ipfsproxy/config.go`).
 */
import { existsSync } from 'node:fs'
import { join, isAbsolute } from 'node:path'
import { privateKeyFromProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey, peerIdFromString } from '@libp2p/peer-id'
import type { SectionCodec } from '../section.js'
import type { JsonObject, ParseContext } from '../fields.js'
import { bool, boolOr, checkAddrs, dur, goDur, multiaddrError, num, str, strListMap, strList, strMap, strOr, strings, stringsOut } from '../fields.js'

/** `api.restapi` / `api.pinsvcapi` in camelCase (durations in ms). */
export interface HttpApiConfig {
  httpListenMultiaddress: string[]
  /** As written; '' = no TLS. */
  sslCertFile: string
  sslKeyFile: string
  /** Absolute paths of the TLS files ('' when unset). */
  sslCertPath: string
  sslKeyPath: string
  readTimeout: number
  readHeaderTimeout: number
  writeTimeout: number
  idleTimeout: number
  maxHeaderBytes: number
  libp2pListenMultiaddress: string[]
  /** Optional dedicated libp2p identity (base58 peer ID, base64 protobuf key). */
  id: string
  privateKey: string
  /** user → password; `null` = no authentication. */
  basicAuthCredentials: Record<string, string> | null
  httpLogFile: string
  /** Absolute path of the HTTP log ('' = log through the logger). */
  httpLogPath: string
  headers: Record<string, string[]>
  corsAllowedOrigins: string[]
  corsAllowedMethods: string[]
  corsAllowedHeaders: string[]
  corsExposedHeaders: string[]
  corsAllowCredentials: boolean
  corsMaxAge: number
}

const MIN_MAX_HEADER_BYTES = 4096

function resolve (baseDir: string, file: string): string {
  if (file === '') return ''
  return isAbsolute(file) ? file : join(baseDir, file)
}

function httpApiSection (key: 'restapi' | 'pinsvcapi', listen: string): SectionCodec<HttpApiConfig> {
  return {
    group: 'api',
    key,
    envPrefix: `CLUSTER_${key.toUpperCase()}`,
    envSchema: {
      http_listen_multiaddress: 'list',
      ssl_cert_file: 'string',
      ssl_key_file: 'string',
      read_timeout: 'string',
      read_header_timeout: 'string',
      write_timeout: 'string',
      idle_timeout: 'string',
      max_header_bytes: 'number',
      libp2p_listen_multiaddress: 'list',
      id: 'string',
      private_key: 'string',
      basic_auth_credentials: 'map',
      http_log_file: 'string',
      headers: 'maplist',
      cors_allowed_origins: 'list',
      cors_allowed_methods: 'list',
      cors_allowed_headers: 'list',
      cors_exposed_headers: 'list',
      cors_allow_credentials: 'bool',
      cors_max_age: 'string'
    },
    defaults: () => ({
      httpListenMultiaddress: [listen],
      sslCertFile: '',
      sslKeyFile: '',
      sslCertPath: '',
      sslKeyPath: '',
      readTimeout: 0,
      readHeaderTimeout: 5000,
      writeTimeout: 0,
      idleTimeout: 120_000,
      maxHeaderBytes: MIN_MAX_HEADER_BYTES,
      libp2pListenMultiaddress: [],
      id: '',
      privateKey: '',
      basicAuthCredentials: null,
      httpLogFile: '',
      httpLogPath: '',
      headers: {},
      corsAllowedOrigins: ['*'],
      corsAllowedMethods: ['GET'],
      corsAllowedHeaders: [],
      corsExposedHeaders: ['Content-Type', 'X-Stream-Output', 'X-Chunked-Output', 'X-Content-Length'],
      corsAllowCredentials: true,
      corsMaxAge: 0
    }),
    parse: (json, base, ctx) => {
      const listenAddrs = strings(ctx, key, json, 'http_listen_multiaddress')
      checkAddrs(ctx, `${key}.http_listen_multiaddress`, listenAddrs)
      const libp2pAddrs = strings(ctx, key, json, 'libp2p_listen_multiaddress')
      checkAddrs(ctx, `${key}.libp2p_listen_multiaddress`, libp2pAddrs)
      const cert = str(ctx, key, json, 'ssl_cert_file')
      const keyFile = str(ctx, key, json, 'ssl_key_file')
      const tls = cert + keyFile !== ''
      const httpLogFile = str(ctx, key, json, 'http_log_file')
      const maxHeaderBytes = num(ctx, key, json, 'max_header_bytes')
      const corsMaxAge = str(ctx, key, json, 'cors_max_age') === '' ? { ...json, cors_max_age: '0s' } : json
      return {
        httpListenMultiaddress: listenAddrs.length > 0 ? listenAddrs : [...base.httpListenMultiaddress],
        sslCertFile: tls ? cert : base.sslCertFile,
        sslKeyFile: tls ? keyFile : base.sslKeyFile,
        sslCertPath: tls ? resolve(ctx.baseDir, cert) : base.sslCertPath,
        sslKeyPath: tls ? resolve(ctx.baseDir, keyFile) : base.sslKeyPath,
        readTimeout: dur(ctx, key, json, 'read_timeout', base.readTimeout),
        readHeaderTimeout: dur(ctx, key, json, 'read_header_timeout', base.readHeaderTimeout),
        writeTimeout: dur(ctx, key, json, 'write_timeout', base.writeTimeout),
        idleTimeout: dur(ctx, key, json, 'idle_timeout', base.idleTimeout),
        maxHeaderBytes: maxHeaderBytes === 0 ? MIN_MAX_HEADER_BYTES : maxHeaderBytes,
        libp2pListenMultiaddress: libp2pAddrs.length > 0 ? libp2pAddrs : [...base.libp2pListenMultiaddress],
        id: strOr(ctx, key, json, 'id', base.id),
        privateKey: strOr(ctx, key, json, 'private_key', base.privateKey),
        basicAuthCredentials: strMap(ctx, key, json, 'basic_auth_credentials'),
        httpLogFile,
        httpLogPath: resolve(ctx.baseDir, httpLogFile),
        headers: strListMap(ctx, key, json, 'headers'),
        corsAllowedOrigins: strList(ctx, key, json, 'cors_allowed_origins'),
        corsAllowedMethods: strList(ctx, key, json, 'cors_allowed_methods'),
        corsAllowedHeaders: strList(ctx, key, json, 'cors_allowed_headers'),
        corsExposedHeaders: strList(ctx, key, json, 'cors_exposed_headers'),
        corsAllowCredentials: bool(ctx, key, json, 'cors_allow_credentials'),
        corsMaxAge: dur(ctx, key, corsMaxAge, 'cors_max_age', base.corsMaxAge)
      }
    },
    toJson: (cfg) => {
      const out: JsonObject = { http_listen_multiaddress: stringsOut(cfg.httpListenMultiaddress) }
      if (cfg.sslCertFile !== '') out.ssl_cert_file = cfg.sslCertFile
      if (cfg.sslKeyFile !== '') out.ssl_key_file = cfg.sslKeyFile
      Object.assign(out, {
        read_timeout: goDur(cfg.readTimeout),
        read_header_timeout: goDur(cfg.readHeaderTimeout),
        write_timeout: goDur(cfg.writeTimeout),
        idle_timeout: goDur(cfg.idleTimeout),
        max_header_bytes: cfg.maxHeaderBytes
      })
      if (cfg.libp2pListenMultiaddress.length > 0) out.libp2p_listen_multiaddress = stringsOut(cfg.libp2pListenMultiaddress)
      if (cfg.id !== '') out.id = cfg.id
      if (cfg.privateKey !== '') out.private_key = cfg.privateKey
      Object.assign(out, {
        basic_auth_credentials: cfg.basicAuthCredentials == null ? null : { ...cfg.basicAuthCredentials },
        http_log_file: cfg.httpLogFile,
        headers: Object.fromEntries(Object.entries(cfg.headers).map(([k, v]) => [k, [...v]])),
        cors_allowed_origins: [...cfg.corsAllowedOrigins],
        cors_allowed_methods: [...cfg.corsAllowedMethods],
        cors_allowed_headers: [...cfg.corsAllowedHeaders],
        cors_exposed_headers: [...cfg.corsExposedHeaders],
        cors_allow_credentials: cfg.corsAllowCredentials,
        cors_max_age: goDur(cfg.corsMaxAge)
      })
      return out
    },
    validate: (cfg, ctx) => {
      const p = ctx.problems
      if (cfg.readTimeout < 0) p.push(`${key}.read_timeout is invalid`)
      if (cfg.readHeaderTimeout < 0) p.push(`${key}.read_header_timeout is invalid`)
      if (cfg.writeTimeout < 0) p.push(`${key}.write_timeout is invalid`)
      if (cfg.idleTimeout < 0) p.push(`${key}.idle_timeout invalid`)
      if (cfg.maxHeaderBytes < MIN_MAX_HEADER_BYTES) p.push(`${key}.max_header_bytes must be not less then ${MIN_MAX_HEADER_BYTES}`)
      if (cfg.basicAuthCredentials != null && Object.keys(cfg.basicAuthCredentials).length === 0) {
        p.push(`${key}.basic_auth_creds should be null or have at least one entry`)
      }
      if (cfg.sslCertFile !== '' || cfg.sslKeyFile !== '') {
        for (const f of [cfg.sslCertPath, cfg.sslKeyPath]) {
          if (f === '' || !existsSync(f)) {
            p.push(`error loading TLS certificate/key: open ${f}: no such file or directory`)
          }
        }
      }
      if (cfg.corsMaxAge < 0) p.push(`${key}.cors_max_age is invalid`)
      validateLibp2p(key, cfg, ctx)
    }
  }
}

function validateLibp2p (key: string, cfg: HttpApiConfig, ctx: ParseContext): void {
  if (cfg.id === '' && cfg.privateKey === '' && cfg.libp2pListenMultiaddress.length === 0) return
  if (cfg.id === '' || cfg.privateKey === '' || cfg.libp2pListenMultiaddress.length === 0) {
    ctx.problems.push('all ID, private_key and libp2p_listen_multiaddress should be set')
    return
  }
  let derived: string
  try {
    derived = peerIdFromPrivateKey(privateKeyFromProtobuf(Buffer.from(cfg.privateKey, 'base64'))).toString()
  } catch (err: any) {
    ctx.problems.push(`error parsing ${key}.private_key ID: ${err.message}`)
    return
  }
  try {
    peerIdFromString(cfg.id)
  } catch (err: any) {
    ctx.problems.push(`error parsing ${key}.ID: ${err.message}`)
    return
  }
  if (derived !== cfg.id) ctx.problems.push(`${key}.ID does not match private_key`)
}

/** Codec for `api.restapi`. */
export const restApiSection = httpApiSection('restapi', '/ip4/127.0.0.1/tcp/9094')
/** Codec for `api.pinsvcapi`. */
export const pinSvcApiSection = httpApiSection('pinsvcapi', '/ip4/127.0.0.1/tcp/9097')

/** `api.ipfsproxy` in camelCase (durations in ms). */
export interface IpfsProxyConfig {
  listenMultiaddress: string[]
  nodeMultiaddress: string
  nodeHttps: boolean
  logFile: string
  /** Absolute path of the log file ('' = logger). */
  logPath: string
  readTimeout: number
  readHeaderTimeout: number
  writeTimeout: number
  idleTimeout: number
  maxHeaderBytes: number
  extractHeadersExtra: string[]
  extractHeadersPath: string
  extractHeadersTtl: number
}

const PROXY_DEFAULTS = {
  extractHeadersPath: '/api/v0/version',
  extractHeadersTtl: 300_000
}

/** Codec for `api.ipfsproxy`. */
export const ipfsProxySection: SectionCodec<IpfsProxyConfig> = {
  group: 'api',
  key: 'ipfsproxy',
  envPrefix: 'CLUSTER_IPFSPROXY',
  envSchema: {
    listen_multiaddress: 'list',
    node_multiaddress: 'string',
    node_https: 'bool',
    log_file: 'string',
    read_timeout: 'string',
    read_header_timeout: 'string',
    write_timeout: 'string',
    idle_timeout: 'string',
    max_header_bytes: 'number',
    extract_headers_extra: 'list',
    extract_headers_path: 'string',
    extract_headers_ttl: 'string'
  },
  defaults: () => ({
    listenMultiaddress: ['/ip4/127.0.0.1/tcp/9095'],
    nodeMultiaddress: '/ip4/127.0.0.1/tcp/5001',
    nodeHttps: false,
    logFile: '',
    logPath: '',
    readTimeout: 0,
    readHeaderTimeout: 5000,
    writeTimeout: 0,
    idleTimeout: 60_000,
    maxHeaderBytes: MIN_MAX_HEADER_BYTES,
    extractHeadersExtra: [],
    ...PROXY_DEFAULTS
  }),
  parse: (json, base, ctx) => {
    const c = 'ipfsproxy'
    const listen = strings(ctx, c, json, 'listen_multiaddress')
    checkAddrs(ctx, 'proxy listen_multiaddress', listen)
    const node = str(ctx, c, json, 'node_multiaddress')
    if (node !== '') {
      const e = multiaddrError(node)
      if (e != null) ctx.problems.push(`error parsing ipfs node_multiaddress: ${e}`)
    }
    const logFile = strOr(ctx, c, json, 'log_file', base.logFile)
    const mhb = num(ctx, c, json, 'max_header_bytes')
    const extra = strList(ctx, c, json, 'extract_headers_extra')
    return {
      listenMultiaddress: listen.length > 0 ? listen : [...base.listenMultiaddress],
      nodeMultiaddress: node !== '' ? node : base.nodeMultiaddress,
      nodeHttps: boolOr(ctx, c, json, 'node_https', base.nodeHttps),
      logFile,
      logPath: resolve(ctx.baseDir, logFile),
      readTimeout: dur(ctx, c, json, 'read_timeout', base.readTimeout),
      readHeaderTimeout: dur(ctx, c, json, 'read_header_timeout', base.readHeaderTimeout),
      writeTimeout: dur(ctx, c, json, 'write_timeout', base.writeTimeout),
      idleTimeout: dur(ctx, c, json, 'idle_timeout', base.idleTimeout),
      maxHeaderBytes: mhb === 0 ? MIN_MAX_HEADER_BYTES : mhb,
      extractHeadersExtra: extra.length > 0 ? extra : [...base.extractHeadersExtra],
      extractHeadersPath: strOr(ctx, c, json, 'extract_headers_path', base.extractHeadersPath),
      extractHeadersTtl: dur(ctx, c, json, 'extract_headers_ttl', base.extractHeadersTtl, 'extract_header_ttl')
    }
  },
  toJson: (cfg) => {
    const out: JsonObject = {
      listen_multiaddress: stringsOut(cfg.listenMultiaddress),
      node_multiaddress: cfg.nodeMultiaddress
    }
    if (cfg.nodeHttps) out.node_https = true
    Object.assign(out, {
      log_file: cfg.logFile,
      read_timeout: goDur(cfg.readTimeout),
      read_header_timeout: goDur(cfg.readHeaderTimeout),
      write_timeout: goDur(cfg.writeTimeout),
      idle_timeout: goDur(cfg.idleTimeout),
      max_header_bytes: cfg.maxHeaderBytes
    })
    if (cfg.extractHeadersExtra.length > 0) out.extract_headers_extra = [...cfg.extractHeadersExtra]
    if (cfg.extractHeadersPath !== PROXY_DEFAULTS.extractHeadersPath) out.extract_headers_path = cfg.extractHeadersPath
    if (cfg.extractHeadersTtl !== PROXY_DEFAULTS.extractHeadersTtl) out.extract_headers_ttl = goDur(cfg.extractHeadersTtl)
    return out
  },
  validate: (cfg, ctx) => {
    const p = ctx.problems
    if (cfg.listenMultiaddress.length === 0) p.push('ipfsproxy.listen_multiaddress not set')
    if (cfg.nodeMultiaddress === '') p.push('ipfsproxy.node_multiaddress not set')
    if (cfg.readTimeout < 0) p.push('ipfsproxy.read_timeout is invalid')
    if (cfg.readHeaderTimeout < 0) p.push('ipfsproxy.read_header_timeout is invalid')
    if (cfg.writeTimeout < 0) p.push('ipfsproxy.write_timeout is invalid')
    if (cfg.idleTimeout < 0) p.push('ipfsproxy.idle_timeout invalid')
    if (cfg.extractHeadersPath === '') p.push('ipfsproxy.extract_headers_path should not be empty')
    if (cfg.extractHeadersTtl < 0) p.push('ipfsproxy.extract_headers_ttl is invalid')
    if (cfg.maxHeaderBytes < MIN_MAX_HEADER_BYTES) p.push(`ipfsproxy.max_header_size must be greater or equal to ${MIN_MAX_HEADER_BYTES}`)
  }
}
