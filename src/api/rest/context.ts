/** What a REST route handler receives. */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Reply } from './reply.js'

/** One request as the router hands it to a route. */
export interface RequestContext {
  req: IncomingMessage
  res: ServerResponse
  /** Decoded URL path (gorilla/mux matches on it). */
  path: string
  query: URLSearchParams
  /** Path variables of the matched route (`hash`, `peer`, `keyType`, `path`, `name`). */
  params: Record<string, string>
  /** Aborted when the client goes away or the server stops. */
  signal: AbortSignal
  reply: Reply
}

/** A route handler; it must answer through `ctx.reply` (or `ctx.res` for raw routes). */
export type RouteHandler = (ctx: RequestContext) => Promise<void>

/**
 * The seam for `POST /add` (spec rest-api §10): an adder plugs in here. It owns the
 * whole response; `setHeaders` adds the configured headers and the JSON content type.
 */
export type RestAddHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  options: { query: URLSearchParams, signal: AbortSignal, setHeaders: () => void }
) => Promise<void>
