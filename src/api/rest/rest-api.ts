/**
 * The REST API server (Go `api/rest` on top of `api/common`): listeners, the
 * request pipeline (access log → auth → CORS → trailing slash → router) and lifecycle.
 */
import { createWriteStream, readFileSync } from 'node:fs'
import type { WriteStream } from 'node:fs'
import { createServer as createHttpServer } from 'node:http'
import type { IncomingMessage, Server, ServerOptions, ServerResponse } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import { isAbsolute, join } from 'node:path'
import type { ComponentLogger, Logger } from '@libp2p/interface'
import type { ClusterAPI } from '../../interface/cluster.js'
import type { Startable } from '../../interface/startable.js'
import { commonLogLine } from './access-log.js'
import { authenticate } from './auth.js'
import type { RequestContext, RestAddHandler } from './context.js'
import { createCors } from './cors.js'
import type { Cors } from './cors.js'
import type { RestApiConfig } from './config.js'
import { UnauthorizedError } from './errors.js'
import { listenTarget, multiaddrForAddress } from './listen.js'
import { Reply } from './reply.js'
import { Router, cleanPath } from './router.js'
import { createRoutes } from './routes.js'
import { BadRequestTargetError, escapePath, htmlEscape, parseTarget, trailingSlashLocation } from './url.js'
import type { RequestTarget } from './url.js'

/** Components the REST API needs. */
export interface RestApiServerComponents {
  cluster: ClusterAPI
  logger: ComponentLogger
  /** Folder relative TLS and log file paths are resolved against. */
  configDir?: string
  /** Handler of `POST /add`; the route answers 404 without it. */
  add?: RestAddHandler
}

/** Go accepts this many header bytes beyond `max_header_bytes` before answering 431. */
const HEADER_SLACK = 4096

/** A running REST API (see `restApi` in index.ts). */
export class RestApi implements Startable {
  private readonly components: RestApiServerComponents
  private readonly config: RestApiConfig
  private readonly log: Logger
  private readonly requestLog: Logger
  private readonly cors: Cors
  private readonly router: Router
  private servers: Server[] = []
  private accessLog: WriteStream | undefined
  private readonly inflight = new Set<AbortController>()
  private started = false

  constructor (components: RestApiServerComponents, config: RestApiConfig) {
    this.components = components
    this.config = config
    this.log = components.logger.forComponent('cluster:restapi')
    this.requestLog = components.logger.forComponent('cluster:restapilog')
    this.cors = createCors({
      allowedOrigins: config.corsAllowedOrigins,
      allowedMethods: config.corsAllowedMethods,
      allowedHeaders: config.corsAllowedHeaders,
      exposedHeaders: config.corsExposedHeaders,
      allowCredentials: config.corsAllowCredentials,
      maxAge: Math.floor(config.corsMaxAge / 1000)
    })
    this.router = new Router(createRoutes({
      cluster: components.cluster,
      basicAuthCredentials: config.basicAuthCredentials,
      add: components.add
    }))
  }

  /** Opens every listener. Throws when an address cannot be listened on. */
  async start (): Promise<void> {
    if (this.started) return
    this.started = true
    const cfg = this.config
    try {
      if (cfg.httpLogFile !== '') {
        this.accessLog = createWriteStream(this.resolve(cfg.httpLogFile), { flags: 'a' })
      }
      const opts: ServerOptions = {
        maxHeaderSize: cfg.maxHeaderBytes + HEADER_SLACK,
        requestTimeout: cfg.readTimeout,
        // Go: a zero read-header/idle timeout falls back to the read timeout
        headersTimeout: minPositive(cfg.readHeaderTimeout > 0 ? cfg.readHeaderTimeout : cfg.readTimeout, cfg.readTimeout),
        keepAliveTimeout: cfg.idleTimeout > 0 ? cfg.idleTimeout : cfg.readTimeout,
        connectionsCheckingInterval: 1000
      }
      const handler = (req: IncomingMessage, res: ServerResponse): void => { void this.handle(req, res) }
      let tls: { cert: Buffer, key: Buffer } | undefined
      if (cfg.sslCertFile != null && cfg.sslKeyFile != null) {
        tls = { cert: readFileSync(this.resolve(cfg.sslCertFile)), key: readFileSync(this.resolve(cfg.sslKeyFile)) }
      }
      for (const addr of cfg.httpListenMultiaddress) {
        const target = listenTarget(addr)
        const server = tls != null
          ? createHttpsServer({ ...opts, ...tls, minVersion: 'TLSv1.2' }, handler)
          : createHttpServer(opts, handler)
        this.servers.push(server)
        await new Promise<void>((resolve, reject) => {
          server.once('error', reject)
          const done = (): void => { server.off('error', reject); resolve() }
          if (target.kind === 'unix') server.listen(target.path, done)
          else server.listen(target.port, target.host, done)
        })
        server.on('error', (err) => { this.log.error('server error: %e', err) })
        const auth = cfg.basicAuthCredentials != null ? ' - authenticated' : ''
        const info = (this.log as Logger & { info?: (f: string, ...a: unknown[]) => void }).info ?? this.log
        info(`RESTAPI (HTTP${auth}): %s`, multiaddrForAddress(server.address()))
      }
    } catch (err) {
      await this.stop()
      throw err
    }
  }

  /** Closes the listeners, aborts in-flight requests and closes the access log. */
  async stop (): Promise<void> {
    if (!this.started) return
    this.started = false
    for (const c of this.inflight) c.abort(new Error('REST API stopping'))
    const servers = this.servers
    this.servers = []
    await Promise.all(servers.map(async (s) => {
      if (!s.listening) return
      await new Promise<void>((resolve) => {
        s.close(() => { resolve() })
        s.closeAllConnections()
      })
    }))
    const log = this.accessLog
    this.accessLog = undefined
    if (log != null) await new Promise<void>((resolve) => log.end(resolve))
  }

  /** The listening addresses as multiaddrs (`/ip4/…/tcp/<port>`, `/unix/<path>`). */
  addresses (): string[] {
    return this.servers.filter((s) => s.listening).map((s) => multiaddrForAddress(s.address()))
  }

  private resolve (p: string): string {
    return isAbsolute(p) ? p : join(this.components.configDir ?? '', p)
  }

  private trackResponse (req: IncomingMessage, res: ServerResponse, controller: AbortController): void {
    const started = new Date()
    let size = 0
    // count body bytes for the access log
    const write = res.write
    const end = res.end
    const count = (chunk: unknown, encoding?: unknown): void => {
      if (typeof chunk === 'string') size += Buffer.byteLength(chunk, typeof encoding === 'string' ? encoding as BufferEncoding : 'utf8')
      else if (chunk instanceof Uint8Array) size += chunk.byteLength
    }
    res.write = function (this: ServerResponse, chunk: any, ...args: any[]) {
      count(chunk, args[0])
      return (write as any).call(this, chunk, ...args)
    } as typeof res.write
    res.end = function (this: ServerResponse, chunk?: any, ...args: any[]) {
      if (typeof chunk !== 'function') count(chunk, args[0])
      return (end as any).call(this, chunk, ...args)
    } as typeof res.end

    let writeTimer: NodeJS.Timeout | undefined
    if (this.config.writeTimeout > 0) {
      writeTimer = setTimeout(() => { res.destroy() }, this.config.writeTimeout)
    }
    res.once('close', () => {
      if (writeTimer != null) clearTimeout(writeTimer)
      this.inflight.delete(controller)
      // the client went away (or the server stopped) before the response was complete
      if (!res.writableFinished) controller.abort(new Error('client disconnected'))
      this.writeAccessLog(commonLogLine(req, started, res.statusCode, size))
    })
  }

  private writeAccessLog (line: string): void {
    if (this.accessLog != null) {
      this.accessLog.write(line + '\n')
      return
    }
    const info = (this.requestLog as Logger & { info?: (f: string, ...a: unknown[]) => void }).info
    if (info != null) info('%s', line)
    else this.requestLog('%s', line)
  }

  private async handle (req: IncomingMessage, res: ServerResponse): Promise<void> {
    const controller = new AbortController()
    this.inflight.add(controller)
    this.trackResponse(req, res, controller)
    const reply = new Reply(res, this.config.headers, this.log)
    try {
      let target: RequestTarget
      try {
        target = parseTarget(req.url ?? '/')
      } catch (err) {
        if ((err as Error).name !== BadRequestTargetError.name) throw err
        res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8', Connection: 'close' })
        res.end('400 Bad Request')
        return
      }
      const method = req.method ?? 'GET'

      const creds = this.config.basicAuthCredentials
      if (creds != null && !(method === 'OPTIONS' || (method === 'GET' && target.path === '/health'))) {
        const auth = await authenticate(creds, req.headers.authorization)
        if (!auth.ok) {
          res.setHeader('WWW-Authenticate', auth.challenges)
          reply.error(new UnauthorizedError(auth.message), 401)
          return
        }
      }

      if (this.cors.handle(req, res)) return

      if (target.path.endsWith('/')) {
        this.redirect(req, res, 307, trailingSlashLocation(target))
        return
      }

      const cleaned = cleanPath(target.path)
      if (cleaned !== target.path) {
        // gorilla/mux answers with no body
        res.setHeader('Location', escapePath(cleaned) + target.search)
        res.writeHead(301)
        res.end()
        return
      }

      const match = this.router.match(method, target.path)
      if (match.kind === 'method-not-allowed') {
        res.writeHead(405)
        res.end()
        return
      }
      if (match.kind === 'not-found') {
        reply.error(new Error('not found'), 404)
        return
      }
      const ctx: RequestContext = {
        req,
        res,
        path: target.path,
        query: new URLSearchParams(target.search),
        params: match.params,
        signal: controller.signal,
        reply
      }
      await match.route.handler(ctx)
    } catch (err) {
      try {
        if (!res.headersSent && !res.destroyed) reply.error(err)
        else if (!res.writableEnded) res.destroy()
      } catch (e) {
        this.log.error('cannot answer %s %s: %e', req.method, req.url, e)
        res.destroy()
      }
    }
  }

  /** Go `http.Redirect`: tiny HTML body for GET/HEAD only. */
  private redirect (req: IncomingMessage, res: ServerResponse, status: number, location: string): void {
    res.setHeader('Location', location)
    if (req.method === 'GET' || req.method === 'HEAD') {
      const body = `<a href="${htmlEscape(location)}">Temporary Redirect</a>.\n`
      res.setHeader('Content-Type', 'text/html; charset=utf-8')
      res.setHeader('Content-Length', Buffer.byteLength(body))
      res.writeHead(status)
      res.end(body)
      return
    }
    res.writeHead(status)
    res.end()
  }
}

function minPositive (a: number, b: number): number {
  if (a <= 0) return b
  if (b <= 0) return a
  return Math.min(a, b)
}
