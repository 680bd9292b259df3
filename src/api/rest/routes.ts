/**
 * The REST route table (spec rest-api §7, §8) in registration order, and its handlers.
 */
import type { CID } from 'multiformats/cid'
import { decodeCidArg, parsePeerId } from '../common/cid.js'
import {
  alertToJson, bandwidthToJson, connectGraphToJson, globalPinInfoFromPinInfo, globalPinInfoLine, globalPinInfoToJson,
  globalRepoGCToJson, idToJson, metricToJson, pinInfoLine, pinToJson
} from '../common/codec.js'
import { parsePath } from '../common/path.js'
import { pinWithOpts } from '../common/pin.js'
import type { ClusterAPI } from '../../interface/cluster.js'
import { ALL_PIN_TYPES, PIN_TYPE_BITS } from '../../interface/types.js'
import type { PinOptions } from '../../interface/types.js'
import { goJson } from '../../util/gojson.js'
import { generateToken, parseBasicAuth, parseBearerToken, verifyToken } from './auth.js'
import type { RequestContext, RestAddHandler } from './context.js'
import { BadRequestError, UnauthorizedError } from './errors.js'
import { localFlag, parsePinOptions, parsePinTypeFilter, parseTrackerFilter } from './query.js'
import type { Route } from './router.js'

/** What the route handlers need. */
export interface RoutesInit {
  cluster: ClusterAPI
  basicAuthCredentials: Record<string, string> | null
  /** `POST /add` is registered only when given. */
  add?: RestAddHandler
}

/** `{hash}` plus the pin options of the query (both 400 on error), as Go `ParseCidOrFail`. */
function cidAndOptions (ctx: RequestContext): { cid: CID, opts: PinOptions } {
  const cid = decodeCidArg(ctx.params.hash)
  return { cid, opts: parsePinOptions(ctx.query) }
}

/** `/{keyType}/{path}` plus pin options, as Go `ParsePinPathOrFail`. */
function pathAndOptions (ctx: RequestContext): { path: string, opts: PinOptions } {
  const text = `/${ctx.params.keyType}/${ctx.params.path.replace(/\/$/, '')}`
  let path: string
  try {
    path = parsePath(text).toString()
  } catch (err: any) {
    throw new BadRequestError(`error parsing path: ${err.message}`, { cause: err })
  }
  return { path, opts: parsePinOptions(ctx.query) }
}

/**
 * `source` with each item turned into a line by `fn`, closing `source` when `fn` throws
 * or the reader returns early (as `for await` would). A plain iterator, not an async
 * generator: a generator layer costs several promises per item of a listing.
 */
function mapLines<T> (source: AsyncIterable<T>, fn: (t: T) => string): AsyncIterable<string> {
  return {
    [Symbol.asyncIterator]: () => {
      const it = source[Symbol.asyncIterator]()
      const fail = (err: unknown): never => { throw err }
      const line = (r: IteratorResult<T>): IteratorResult<string> | Promise<never> => {
        if (r.done === true) return r
        try {
          return { value: fn(r.value), done: false }
        } catch (err) {
          // the encoding's error wins over any of the closing
          return Promise.resolve(it.return?.()).then(() => fail(err), () => fail(err))
        }
      }
      return {
        // eslint-disable-next-line @typescript-eslint/promise-function-async
        next: () => it.next().then(line),
        return: async () => {
          await it.return?.()
          return { value: undefined, done: true }
        }
      }
    }
  }
}

/**
 * Statuses of several CIDs requested at once, yielded in completion order; failures
 * are collected in `errors` (Go `statusCidsHandler`).
 */
async function * statusCids (cluster: ClusterAPI, cids: CID[], local: boolean, signal: AbortSignal, errors: unknown[]): AsyncGenerator<string> {
  const pending = new Map<number, Promise<{ i: number, line?: string }>>()
  cids.forEach((cid, i) => {
    const p = (local
      ? cluster.statusLocal(cid, { signal }).then(pinInfoLine)
      : cluster.status(cid, { signal }).then(globalPinInfoLine))
      .then((line) => ({ i, line }), (err) => {
        errors.push(err)
        return { i }
      })
    pending.set(i, p)
  })
  while (pending.size > 0) {
    const { i, line } = await Promise.race(pending.values())
    pending.delete(i)
    if (line != null) yield line
  }
}

/** Every route in Go's registration order. */
export function createRoutes (init: RoutesInit): Route[] {
  const { cluster } = init
  const creds = init.basicAuthCredentials
  const routes: Route[] = [
    {
      name: 'ID', method: 'GET', pattern: '/id',
      handler: async (ctx) => { ctx.reply.json(200, idToJson(await cluster.id({ signal: ctx.signal }))) }
    },
    {
      name: 'Version', method: 'GET', pattern: '/version',
      handler: async (ctx) => { ctx.reply.json(200, { version: cluster.version() }) }
    },
    {
      name: 'Peers', method: 'GET', pattern: '/peers',
      handler: async (ctx) => {
        await ctx.reply.stream(mapLines(cluster.peers({ signal: ctx.signal }), (id) => goJson(idToJson(id))))
      }
    },
    {
      name: 'PeerAdd', method: 'POST', pattern: '/peers',
      handler: async (ctx) => {
        let body: unknown
        try {
          body = JSON.parse(await readBody(ctx))
        } catch {
          throw new BadRequestError('error decoding request body')
        }
        if (body !== null && (typeof body !== 'object' || Array.isArray(body))) throw new BadRequestError('error decoding request body')
        const peerId = (body as Record<string, unknown> | null)?.peer_id ?? ''
        if (typeof peerId !== 'string') throw new BadRequestError('error decoding request body')
        let pid: string
        try {
          pid = parsePeerId(peerId)
        } catch {
          throw new BadRequestError('error decoding peer_id')
        }
        ctx.reply.json(200, idToJson(await cluster.peerAdd(pid, { signal: ctx.signal })))
      }
    },
    {
      name: 'PeerRemove', method: 'DELETE', pattern: '/peers/{peer}',
      handler: async (ctx) => {
        let pid: string
        try {
          pid = parsePeerId(ctx.params.peer)
        } catch (err: any) {
          throw new BadRequestError(`error decoding Peer ID: ${err.message}`, { cause: err })
        }
        await cluster.peerRemove(pid, { signal: ctx.signal })
        ctx.reply.empty(204)
      }
    }
  ]

  const add = init.add
  if (add != null) {
    routes.push({
      name: 'Add', method: 'POST', pattern: '/add',
      handler: async (ctx) => {
        await add(ctx.req, ctx.res, { query: ctx.query, signal: ctx.signal, setHeaders: () => { ctx.reply.setHeaders() } })
      }
    })
  }

  routes.push(
    {
      name: 'Allocations', method: 'GET', pattern: '/allocations',
      handler: async (ctx) => {
        const filter = parsePinTypeFilter(ctx.query.get('filter') ?? '')
        const all = (filter & ALL_PIN_TYPES) === ALL_PIN_TYPES
        async function * lines (): AsyncGenerator<string> {
          for await (const p of cluster.pinsJson({ signal: ctx.signal })) {
            if (all || ((PIN_TYPE_BITS[p.type] ?? 0) & filter) !== 0) yield p.json
          }
        }
        await ctx.reply.stream(lines())
      }
    },
    {
      name: 'Allocation', method: 'GET', pattern: '/allocations/{hash}',
      handler: async (ctx) => {
        const { cid } = cidAndOptions(ctx)
        ctx.reply.json(200, pinToJson(await cluster.pinGet(cid, { signal: ctx.signal }), { stored: true }))
      }
    },
    {
      name: 'StatusAll', method: 'GET', pattern: '/pins',
      handler: async (ctx) => {
        const local = localFlag(ctx.query)
        const cidsText = ctx.query.get('cids') ?? ''
        if (cidsText !== '') {
          const cids = cidsText.split(',').map(decodeCidArg)
          const errors: unknown[] = []
          await ctx.reply.stream(statusCids(cluster, cids, local, ctx.signal, errors), () => errors)
          return
        }
        const filter = parseTrackerFilter(ctx.query.get('filter') ?? '')
        const source = local
          ? mapLines(cluster.statusAllLocal(filter, { signal: ctx.signal }), pinInfoLine)
          : mapLines(cluster.statusAll(filter, { signal: ctx.signal }), globalPinInfoLine)
        await ctx.reply.stream(source)
      }
    },
    {
      name: 'Recover', method: 'POST', pattern: '/pins/{hash}/recover',
      handler: async (ctx) => {
        const local = localFlag(ctx.query)
        const { cid } = cidAndOptions(ctx)
        const g = local
          ? globalPinInfoFromPinInfo(await cluster.recoverLocal(cid, { signal: ctx.signal }))
          : await cluster.recover(cid, { signal: ctx.signal })
        ctx.reply.json(200, globalPinInfoToJson(g))
      }
    },
    {
      name: 'RecoverAll', method: 'POST', pattern: '/pins/recover',
      handler: async (ctx) => {
        const source = localFlag(ctx.query)
          ? mapLines(cluster.recoverAllLocal({ signal: ctx.signal }), pinInfoLine)
          : mapLines(cluster.recoverAll({ signal: ctx.signal }), globalPinInfoLine)
        await ctx.reply.stream(source)
      }
    },
    {
      name: 'Status', method: 'GET', pattern: '/pins/{hash}',
      handler: async (ctx) => {
        const local = localFlag(ctx.query)
        const { cid } = cidAndOptions(ctx)
        const g = local
          ? globalPinInfoFromPinInfo(await cluster.statusLocal(cid, { signal: ctx.signal }))
          : await cluster.status(cid, { signal: ctx.signal })
        ctx.reply.json(200, globalPinInfoToJson(g))
      }
    },
    {
      name: 'Pin', method: 'POST', pattern: '/pins/{hash}',
      handler: async (ctx) => {
        const { cid, opts } = cidAndOptions(ctx)
        // quirk §8.11: this form always pins recursively, whatever `mode` says
        const pin = pinWithOpts(cid, { ...opts, mode: 'recursive' })
        pin.maxDepth = -1
        ctx.reply.json(200, pinToJson(await cluster.pinObject(pin, { signal: ctx.signal })))
      }
    },
    {
      name: 'PinPath', method: 'POST', pattern: '/pins/{keyType:ipfs|ipns|ipld}/{path:.*}',
      handler: async (ctx) => {
        const { path, opts } = pathAndOptions(ctx)
        ctx.reply.json(200, pinToJson(await cluster.pinPath(path, opts, { signal: ctx.signal })))
      }
    },
    {
      name: 'Unpin', method: 'DELETE', pattern: '/pins/{hash}',
      handler: async (ctx) => {
        const { cid } = cidAndOptions(ctx)
        ctx.reply.json(200, pinToJson(await cluster.unpin(cid, { signal: ctx.signal }), { stored: true }))
      }
    },
    {
      name: 'UnpinPath', method: 'DELETE', pattern: '/pins/{keyType:ipfs|ipns|ipld}/{path:.*}',
      handler: async (ctx) => {
        const { path } = pathAndOptions(ctx)
        ctx.reply.json(200, pinToJson(await cluster.unpinPath(path, { signal: ctx.signal }), { stored: true }))
      }
    },
    {
      name: 'RepoGC', method: 'POST', pattern: '/ipfs/gc',
      handler: async (ctx) => {
        if (localFlag(ctx.query)) {
          const r = await cluster.repoGCLocal({ signal: ctx.signal })
          ctx.reply.json(200, globalRepoGCToJson({ peerMap: new Map([[r.peer, r]]) }))
          return
        }
        ctx.reply.json(200, globalRepoGCToJson(await cluster.repoGC({ signal: ctx.signal })))
      }
    },
    {
      name: 'ConnectionGraph', method: 'GET', pattern: '/health/graph',
      handler: async (ctx) => { ctx.reply.json(200, connectGraphToJson(await cluster.connectGraph({ signal: ctx.signal }))) }
    },
    {
      name: 'Alerts', method: 'GET', pattern: '/health/alerts',
      handler: async (ctx) => { ctx.reply.json(200, (await cluster.alerts({ signal: ctx.signal })).map(alertToJson)) }
    },
    {
      name: 'Bandwidth by protocol stats', method: 'GET', pattern: '/health/bandwidth',
      handler: async (ctx) => { ctx.reply.json(200, bandwidthToJson(await cluster.bandwidthByProtocol({ signal: ctx.signal }))) }
    },
    {
      name: 'Metrics', method: 'GET', pattern: '/monitor/metrics/{name}',
      handler: async (ctx) => {
        ctx.reply.json(200, (await cluster.latestMetrics(ctx.params.name, { signal: ctx.signal })).map(metricToJson))
      }
    },
    {
      name: 'MetricNames', method: 'GET', pattern: '/monitor/metrics',
      handler: async (ctx) => { ctx.reply.json(200, await cluster.metricNames({ signal: ctx.signal })) }
    },
    {
      name: 'GetToken', method: 'POST', pattern: '/token',
      handler: async (ctx) => {
        if (creds == null) throw new UnauthorizedError('unauthorized')
        // credentials were already checked by the auth layer, as in Go
        const auth = ctx.req.headers.authorization
        const basic = parseBasicAuth(auth)
        let issuer: string
        if (basic != null) {
          issuer = basic.user
        } else {
          const token = parseBearerToken(auth)
          if (token == null) throw new UnauthorizedError('unauthorized')
          try {
            issuer = await verifyToken(creds, token)
          } catch {
            throw new UnauthorizedError('unauthorized')
          }
        }
        if (!Object.hasOwn(creds, issuer)) throw new UnauthorizedError('unauthorized')
        ctx.reply.json(200, { token: await generateToken(issuer, creds[issuer]) })
      }
    },
    {
      name: 'Health', method: 'GET', pattern: '/health',
      handler: async (ctx) => { ctx.reply.empty(204) }
    }
  )
  return routes
}

const MAX_JSON_BODY = 1024 * 1024

/** Reads a (small) request body as UTF-8. */
async function readBody (ctx: RequestContext): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of ctx.req) {
    size += (chunk as Buffer).length
    // a peer_id body is tiny; refuse to buffer anything large
    if (size > MAX_JSON_BODY) throw new BadRequestError('error decoding request body')
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks).toString('utf8')
}
