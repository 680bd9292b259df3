/**
 * `ipfs-cluster-ctl add`: uploads local paths and URLs to `POST /add` as the
 * Go ctl and REST client do (query, multipart body, output modes, `--wait`).
 */
import { isPeerId, parsePeerId } from '../../api/common/cid.js'
import { goJsonIndent, parseJsonBig } from '../../util/gojson.js'
import { expireAt, parseMetadata, waitForStatus } from './actions.js'
import { checkErr, failWith } from './ctl.js'
import { ExitError } from './errors.js'
import { formatAddedOutput } from './format.js'
import { isWebArg, multipartBody, randomBoundary, ReadBufferPool, serialFile, totalSize, urlParseError, webFile } from './multipart.js'
import { normAddedOutput, normPin } from './normalize.js'
import { startUploadProgress } from './progress.js'
import { encodeQuery, pinOptionsValues } from './query.js'
import type { Context } from './app.js'
import type { Ctl } from './ctl.js'
import type { UploadNode } from './multipart.js'

type Json = Record<string, any>

const DEFAULT_HASH = 'sha2-256'
/** Go `api.DefaultShardSize`, always sent by the Go client. */
const DEFAULT_SHARD_SIZE = 104857600

/** The add parameters the ctl derives from its flags (Go `api.AddParams`). */
export interface AddQueryParams {
  replicationFactorMin: number
  replicationFactorMax: number
  name: string
  expireAt?: Date
  metadata: Record<string, string>
  userAllocations: string[]
  noPin: boolean
  format: string
  recursive: boolean
  local: boolean
  layout: string
  chunker: string
  rawLeaves: boolean
  hidden: boolean
  wrap: boolean
  cidVersion: number
  hashFun: string
  noCopy: boolean
}

/** Go `AddParams.ToQueryString` with the client's fixed values (rest-api §9.2): every key, sorted. */
export function addQuery (p: AddQueryParams): string {
  const q = pinOptionsValues({
    replicationFactorMin: p.replicationFactorMin,
    replicationFactorMax: p.replicationFactorMax,
    name: p.name,
    mode: 'recursive',
    shardSize: DEFAULT_SHARD_SIZE,
    userAllocations: p.userAllocations,
    expireAt: p.expireAt,
    metadata: p.metadata
  })
  Object.assign(q, {
    shard: 'false',
    local: String(p.local),
    recursive: String(p.recursive),
    layout: p.layout,
    chunker: p.chunker,
    'raw-leaves': String(p.rawLeaves),
    hidden: String(p.hidden),
    'wrap-with-directory': String(p.wrap),
    progress: 'false',
    'cid-version': String(p.cidVersion),
    hash: p.hashFun,
    'stream-channels': 'true',
    nocopy: String(p.noCopy),
    format: p.format,
    'no-pin': String(p.noPin)
  })
  return encodeQuery(q)
}

/** Go `api.StringsToPeers`: undecodable IDs are dropped silently. */
function stringsToPeers (list: string[]): string[] {
  return list.filter(isPeerId).map(parsePeerId)
}

/** Go client `Add` before the request: one node per argument, validated as Go does (first failure wins). */
async function uploadNodes (ctl: Ctl, paths: string[], p: AddQueryParams): Promise<UploadNode[]> {
  const nodes: UploadNode[] = []
  for (const arg of paths) {
    const bad = urlParseError(arg)
    if (bad != null) checkErr(ctl, '', new Error(`error parsing path: ${bad}`))
    if (isWebArg(arg)) {
      nodes.push(webFile(arg))
      continue
    }
    if (p.noCopy) checkErr(ctl, '', new Error('nocopy option is only valid for URLs'))
    try {
      nodes.push(await serialFile(arg, { hidden: p.hidden, recursive: p.recursive, env: ctl.io.env }))
    } catch (err) {
      checkErr(ctl, '', err)
    }
  }
  return nodes
}

/** The `add` action (Go ctl `add` + client `Add`/`AddMultiFile`). */
export async function runAdd (ctl: Ctl, c: Context): Promise<void> {
  const paths = c.args
  if (paths.length === 0) checkErr(ctl, '', new Error('need at least one path'))

  const p: AddQueryParams = {
    replicationFactorMin: c.int('replication-min'),
    replicationFactorMax: c.int('replication-max'),
    expireAt: expireAt(ctl, c),
    metadata: parseMetadata(ctl, c.stringSlice('metadata')),
    name: c.string('name'),
    userAllocations: c.string('allocations') !== '' ? stringsToPeers(c.string('allocations').split(',')) : [],
    noPin: c.bool('no-pin'),
    format: c.string('format'),
    recursive: c.bool('recursive'),
    local: c.bool('local'),
    layout: c.string('layout'),
    chunker: c.string('chunker'),
    rawLeaves: c.bool('raw-leaves'),
    hidden: c.bool('hidden'),
    wrap: c.bool('wrap-with-directory') || paths.length > 1,
    cidVersion: c.int('cid-version'),
    hashFun: c.string('hash'),
    noCopy: c.bool('nocopy')
  }
  if (p.hashFun !== DEFAULT_HASH) p.cidVersion = 1
  if (p.cidVersion > 0) p.rawLeaves = true
  if (p.noCopy) p.rawLeaves = true
  if (p.wrap && p.format === 'car') {
    checkErr(ctl, '', new Error('only a single CAR file can be added and wrap-with-directory is not supported'))
  }

  const nodes = await uploadNodes(ctl, paths, p)
  const boundary = randomBoundary()
  const json = ctl.enc === 'json'
  const quieter = c.bool('quieter')
  const quiet = c.bool('quiet') || quieter
  const buffer = c.bool('no-stream')
  const out = ctl.io.stdout
  const received: Json[] = []
  let last: Json | undefined

  const onItem = (item: unknown): void => {
    const v = normAddedOutput(item)
    last = v
    if (buffer) {
      received.push(v)
      return
    }
    if (quieter) return
    out.write(json ? goJsonIndent(v) + '\n' : formatAddedOutput(v, { quiet }))
    // added lines appear as the server reports them
    out.flush()
  }

  // on a terminal only: the upload progress on stderr
  const progress = ctl.statusLine != null ? startUploadProgress(ctl.statusLine, { total: await totalSize(nodes) }) : undefined
  let addErr: unknown
  const pool = new ReadBufferPool()
  try {
    await ctl.client.stream('POST', `/add?${addQuery(p)}`, onItem, parseJsonBig, {
      headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` },
      open: () => multipartBody(nodes, boundary, { onBytes: progress?.add }, pool),
      written: (chunk) => { pool.release(chunk) }
    })
  } catch (err) {
    if (err instanceof ExitError) throw err
    addErr = err
  } finally {
    progress?.stop()
  }

  // as the Go ctl: items are printed, then the wait runs, and only then the error is reported
  if (last?.cid != null) {
    if (buffer) {
      const items = quieter ? [last] : received
      out.write(json ? goJsonIndent(items) + '\n' : items.map((v) => formatAddedOutput(v, { quiet })).join(''))
    } else if (quieter) {
      out.write(json ? goJsonIndent(last) + '\n' : formatAddedOutput(last, { quiet }))
    }
    if (c.bool('wait')) await waitAdded(ctl, c, last.cid as string, p.replicationFactorMin)
  }
  if (addErr != null) failWith(ctl, addErr)
}

/** `add --wait`: the limit is the pin's `replication_factor_min`, else the requested one. */
async function waitAdded (ctl: Ctl, c: Context, cid: string, rmin: number): Promise<void> {
  let limit = rmin
  try {
    limit = Number(normPin(await ctl.client.call('GET', `/allocations/${cid}`)).replication_factor_min)
  } catch {}
  ctl.io.stdout.flush()
  await waitForStatus(ctl, { cid, target: 'pinned', limit, timeout: c.duration('wait-timeout') })
}
