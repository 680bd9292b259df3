/**
 * `POST /add` (spec rest-api §10, adder §8; Go `adderutils.AddMultipartHTTPHandler`): parses
 * the query, reads the multipart body as it arrives, runs the adder and writes its outputs
 * either streamed (NDJSON, error in the `X-Stream-Error` trailer) or buffered (one JSON array).
 */
import { assertMultipart, readMultipart } from '../../adder/multipart.js'
import { parseAddParams } from '../common/add-params.js'
import { addedOutputToJson } from '../common/codec.js'
import { InvalidArgumentError } from '../../interface/errors.js'
import { goJson } from '../../util/gojson.js'
import { errorMessage, statusForError } from './errors.js'
import type { RestAddHandler } from './context.js'
import type { AddOptions } from '../../adder/adder.js'
import type { MultipartLimits } from '../../adder/multipart.js'
import type { AddEntry, AddedOutput } from '../../adder/types.js'
import type { AddParams } from '../common/add-params.js'
import type { Logger } from '@libp2p/interface'
import type { CID } from 'multiformats/cid'

/** What the `/add` route needs. */
export interface RestAddInit {
  /** Runs one add (the adder with the peer's components bound). */
  add: (upload: AsyncIterable<AddEntry>, params: AddParams, options: AddOptions) => Promise<CID>
  /** Limits of the multipart body. @default none */
  limits?: MultipartLimits
  log?: Logger
}

/** Go writes header values with CR/LF turned into spaces. */
const headerSafe = (s: string): string => s.replace(/[\r\n]/g, ' ')

/** The JSON of an output event (spec §10.2: `bytes`/`size` omitted when 0, `allocations` when empty). */
function outputLine (o: AddedOutput): string {
  return goJson(addedOutputToJson({ name: o.name, cid: o.cid, bytes: o.bytes ?? 0, size: o.size ?? 0, allocations: o.allocations })) + '\n'
}

/**
 * The `/add` handler. Bad parameters, a non-multipart body and `shard=true` are refused
 * with a 400 before the body is read. A client that goes away aborts the add: nothing is
 * pinned.
 */
export function restAddHandler (init: RestAddInit): RestAddHandler {
  return async (req, res, { query, signal, setHeaders }) => {
    const params = parseAddParams(query)
    assertMultipart(req.headers)
    if (params.shard) {
      throw new InvalidArgumentError('sharded adds (shard=true) are not supported yet')
    }
    const upload = readMultipart({ headers: req.headers, stream: req }, { signal, limits: init.limits })
    setHeaders()
    res.setHeader('Cache-Control', 'no-cache')
    res.setHeader('Connection', 'close')

    if (params.streamChannels) {
      res.setHeader('X-Chunked-Output', '1')
      res.setHeader('Trailer', 'X-Stream-Error')
      res.writeHead(200)
      res.flushHeaders()
      const write = (o: AddedOutput): void => {
        if (!res.destroyed && !res.writableEnded) res.write(outputLine(o))
      }
      try {
        await init.add(upload, params, { signal, onOutput: write })
      } catch (err) {
        init.log?.error('add failed: %s', errorMessage(err))
        if (!res.destroyed && !res.writableEnded) res.addTrailers({ 'X-Stream-Error': headerSafe(errorMessage(err)) })
      }
      if (!res.destroyed && !res.writableEnded) res.end()
      return
    }

    const outputs: string[] = []
    try {
      await init.add(upload, params, { signal, onOutput: (o) => { outputs.push(outputLine(o).slice(0, -1)) } })
    } catch (err) {
      // Go answers 500 for every add failure; client-caused ones (bad upload, incomplete CAR) are 400 here
      const code = statusForError(err)
      const message = errorMessage(err)
      init.log?.error('add failed: %d: %s', code, message)
      send(res, code, goJson({ code, message }) + '\n')
      return
    }
    send(res, 200, (outputs.length === 0 ? 'null' : `[${outputs.join(',')}]`) + '\n')
  }
}

function send (res: Parameters<RestAddHandler>[1], status: number, body: string): void {
  if (res.destroyed || res.headersSent) return
  res.setHeader('Content-Length', Buffer.byteLength(body))
  res.writeHead(status)
  res.end(body)
}
