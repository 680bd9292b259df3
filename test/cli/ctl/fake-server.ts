/** A fake REST API for ctl tests: canned responses per route, NDJSON streams with trailers, request log. */
import http from 'node:http'
import { main } from '../../../src/cli/ctl/index.js'
import type { MainOptions } from '../../../src/cli/ctl/index.js'
import type { AddressInfo } from 'node:net'

/** A canned answer. */
export interface Canned {
  status?: number
  /** JSON value written with `JSON.stringify` (non-stream) or raw text. */
  body?: unknown
  raw?: string
  /** NDJSON items (streaming answer, chunked, always with the X-Stream-Error trailer). */
  items?: unknown[]
  trailerErrors?: string[]
}

/** A recorded request. */
export interface Recorded {
  method: string
  url: string
  headers: http.IncomingHttpHeaders
  /** The request body (set once it has been read). */
  body?: Buffer
}

/** A running fake server. */
export interface FakeServer {
  host: string
  port: number
  requests: Recorded[]
  close: () => Promise<void>
}

/** Route answerers: by `METHOD path` (query ignored) or a function of the request, its number and its body. */
export type Routes = Record<string, Canned | ((req: http.IncomingMessage, n: number, body: Buffer) => Canned)>

/** Starts a fake server on 127.0.0.1 with the given routes (unknown routes → 404 JSON). */
export async function fakeServer (routes: Routes): Promise<FakeServer> {
  const requests: Recorded[] = []
  const counts = new Map<string, number>()
  const server = http.createServer((req, res) => {
    const rec: Recorded = { method: req.method ?? '', url: req.url ?? '', headers: req.headers }
    requests.push(rec)
    const key = `${req.method ?? ''} ${(req.url ?? '').split('?')[0]}`
    const n = counts.get(key) ?? 0
    counts.set(key, n + 1)
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => { chunks.push(c) })
    req.on('end', () => {
      rec.body = Buffer.concat(chunks)
      answer(req, res, key, n, rec.body)
    })
  })
  const answer = (req: http.IncomingMessage, res: http.ServerResponse, key: string, n: number, body: Buffer): void => {
    const r = routes[key]
    const canned: Canned = r == null ? { status: 404, body: { code: 404, message: 'not found' } } : typeof r === 'function' ? r(req, n, body) : r
    if (canned.items != null) {
      if (canned.items.length === 0 && (canned.trailerErrors ?? []).length === 0) {
        res.writeHead(204, { 'Content-Type': 'application/json' }).end()
        return
      }
      res.writeHead(canned.status ?? 200, { 'Content-Type': 'application/json', Trailer: 'X-Stream-Error' })
      for (const it of canned.items) res.write(JSON.stringify(it) + '\n')
      const errs = canned.trailerErrors ?? ['']
      res.addTrailers(errs.map((e) => ['X-Stream-Error', e]) as any)
      res.end()
      return
    }
    const status = canned.status ?? 200
    const text = canned.raw ?? (canned.body === undefined ? '' : JSON.stringify(canned.body) + '\n')
    res.writeHead(status, { 'Content-Type': 'application/json' }).end(text)
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  return {
    host: `/ip4/127.0.0.1/tcp/${port}`,
    port,
    requests,
    close: async () => {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => { resolve() }))
    }
  }
}

/** Result of an in-process ctl run. */
export interface RunResult {
  stdout: string
  stderr: string
  code: number
}

/** Runs the ctl in-process with captured output and tiny wait intervals. */
export async function run (args: string[], opts: MainOptions = {}): Promise<RunResult> {
  let stdout = ''
  let stderr = ''
  const code = await main(args, {
    programName: 'ipfs-cluster-ctl',
    env: {},
    checkFreq: 5,
    statusDelay: 0,
    ...opts,
    stdout: (s) => { stdout += s },
    stderr: (s) => { stderr += s }
  })
  return { stdout, stderr, code }
}
