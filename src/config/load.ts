/**
 * `loadConfig`: reads service.json (or its remote source) and identity.json
 * from a config folder and returns the frozen, validated ClusterConfig.
 */
import { readFile } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { AbortOptions } from '@libp2p/interface'
import { InvalidConfigError } from '../interface/errors.js'
import type { JsonObject } from './fields.js'
import { isObject, parseContext } from './fields.js'
import { parseSections } from './manager.js'
import type { ClusterConfig, DatastoreConfig } from './types.js'
import { DATASTORE_KINDS } from './sections/datastore.js'
import type { DatastoreKind } from './sections/datastore.js'
import { applyIdentityEnv, decodeIdentity, readIdentityJson, saveIdentity } from './identity.js'
import type { Identity, IdentityJson } from './identity.js'

/** Name of the configuration file inside the folder. */
export const SERVICE_JSON = 'service.json'
/** Name of the identity file inside the folder. */
export const IDENTITY_JSON = 'identity.json'

/** A remote `source` could not be fetched (recognisable by ipfs-cluster-follow). */
export class ConfigFetchError extends Error {
  static name = 'ConfigFetchError'
  constructor (message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'ConfigFetchError'
  }
}

/** Options of loadConfig. */
export interface LoadConfigOptions extends AbortOptions {
  /** Environment used for overrides. @default process.env */
  env?: NodeJS.ProcessEnv
  /** Receives notices (legacy identity migration, empty secret...). @default writes to stderr */
  onNotice?: (message: string) => void
  /** HTTP client for remote sources. @default globalThis.fetch */
  fetch?: typeof globalThis.fetch
}

/** Fetches a remote configuration document (Go manager's `source` handling). */
export async function fetchSource (url: string, options: LoadConfigOptions = {}): Promise<JsonObject> {
  const doFetch = options.fetch ?? globalThis.fetch
  let res: Response
  try {
    res = await doFetch(url, { signal: options.signal })
  } catch (err: any) {
    throw new ConfigFetchError(`could not fetch configuration from source: ${err.message}`, { cause: err })
  }
  const body = await res.text()
  if (res.status >= 300) {
    throw new ConfigFetchError(`could not fetch configuration from source: unsuccessful request (${res.status}): ${body}`)
  }
  const parsed = parseJsonObject(body, url)
  if (typeof parsed.source === 'string' && parsed.source !== '') {
    throw new InvalidConfigError('a sourced configuration cannot point to another source')
  }
  return parsed
}

function parseJsonObject (text: string, where: string): JsonObject {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (err: any) {
    throw new InvalidConfigError(`error parsing JSON from ${where}: ${err.message}`, { cause: err })
  }
  if (!isObject(parsed)) throw new InvalidConfigError(`error parsing JSON from ${where}: not a JSON object`)
  return parsed
}

/** Freezes plain objects and arrays recursively (typed arrays and class instances are left alone). */
function deepFreeze<T> (value: T): T {
  if (value == null || typeof value !== 'object' || ArrayBuffer.isView(value)) return value
  const proto = Object.getPrototypeOf(value)
  if (proto !== Object.prototype && proto !== Array.prototype && proto !== null) return value
  for (const v of Object.values(value as object)) deepFreeze(v)
  return Object.freeze(value)
}

function pickDatastore (values: Record<string, any>, loaded: Record<string, boolean>, consensus: string, problems: string[]): DatastoreConfig {
  const present = DATASTORE_KINDS.filter((k) => loaded[k])
  if (consensus === 'crdt' && present.length > 1) {
    problems.push(`unknown datastore: more than one datastore section present (${present.join(', ')})`)
  }
  const kind: DatastoreKind = present[0] ?? 'leveldb'
  return { kind, ...values[kind] }
}

async function loadIdentity (dir: string, legacy: IdentityJson | undefined, env: NodeJS.ProcessEnv, problems: string[], notice: (m: string) => void): Promise<Identity | undefined> {
  const path = join(dir, IDENTITY_JSON)
  let json: Partial<IdentityJson>
  if (existsSync(path)) {
    try {
      json = await readIdentityJson(path)
    } catch (err: any) {
      problems.push(...(err.problems ?? [err.message]))
      return undefined
    }
  } else if (legacy != null) {
    // 0.11.0 identity separation: extract and persist the legacy fields.
    await saveIdentity(path, legacy)
    notice(`\nNOTICE: identity information extracted from ${join(dir, SERVICE_JSON)} and saved as ${path}.\n`)
    json = legacy
  } else {
    problems.push(`error loading identity from ${path}: open ${path}: no such file or directory`)
    return undefined
  }
  const before = problems.length
  const id = decodeIdentity(applyIdentityEnv({ id: json.id ?? '', private_key: json.private_key ?? '' }, env), problems)
  for (let i = before; i < problems.length; i++) problems[i] = `error loading identity from ${path}: ${problems[i]}`
  return id
}

/**
 * Loads and validates the configuration and identity of `configDir`.
 * Throws InvalidConfigError listing every problem; ConfigFetchError when a
 * remote source cannot be fetched.
 */
export async function loadConfig (configDir: string, options: LoadConfigOptions = {}): Promise<ClusterConfig> {
  const dir = resolve(configDir)
  const env = options.env ?? process.env
  const notice = options.onNotice ?? ((m: string) => { process.stderr.write(m + '\n') })
  const file = join(dir, SERVICE_JSON)
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (err: any) {
    throw new InvalidConfigError(`could not read ${file}: ${err.code === 'ENOENT' ? 'no such file or directory' : err.message}`, { cause: err })
  }
  let root = parseJsonObject(text, file)
  let source: string | undefined
  if (typeof root.source === 'string' && root.source !== '') {
    source = root.source
    root = await fetchSource(source, options)
  }

  const ctx = parseContext(dir)
  const { values, loaded, legacyIdentity } = parseSections(root, env, ctx)
  const problems = ctx.problems

  let consensus: 'crdt' | 'raft' = 'crdt'
  if (loaded.crdt === loaded.raft) {
    problems.push('could not determine the consensus component: exactly one of consensus.crdt and consensus.raft must be present')
  } else {
    consensus = loaded.raft ? 'raft' : 'crdt'
  }
  const datastore = pickDatastore(values, loaded, consensus, problems)
  if (values.cluster.secret === '') notice('Cluster secret is empty, cluster will start on unprotected network.')
  for (const w of ctx.warnings) notice(w)

  const identity = await loadIdentity(dir, legacyIdentity, env, problems, notice)
  const unique = [...new Set(problems)]
  if (unique.length > 0 || identity == null) throw new InvalidConfigError(unique)

  const cfg: ClusterConfig = {
    configDir: dir,
    ...(source != null ? { source } : {}),
    cluster: values.cluster,
    consensus,
    crdt: values.crdt,
    raft: values.raft,
    restapi: values.restapi,
    pinsvcapi: values.pinsvcapi,
    ipfsproxy: values.ipfsproxy,
    ipfsConnector: loaded.embedded || !loaded.ipfshttp ? 'embedded' : 'ipfshttp',
    ipfshttp: values.ipfshttp,
    embedded: values.embedded,
    stateless: values.stateless,
    pubsubmon: values.pubsubmon,
    balanced: values.balanced,
    disk: values.disk,
    numpin: values.numpin,
    pinqueue: values.pinqueue,
    tags: values.tags,
    metrics: values.metrics,
    tracing: values.tracing,
    datastore,
    loaded,
    identity: Object.freeze({ ...identity })
  }
  const { identity: ident, ...rest } = cfg
  deepFreeze(rest)
  return Object.freeze({ ...rest, identity: ident })
}
