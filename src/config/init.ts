/**
 * `initConfig`: writes a default service.json, a new identity.json (only if
 * absent) and the peerstore file, as `ipfs-cluster-service init` does.
 */
import { mkdir, writeFile, chmod } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { InvalidConfigError } from '../interface/errors.js'
import { multiaddrError, parseContext, peerIdError } from './fields.js'
import { applySectionEnv, renderSections, serviceJsonText } from './manager.js'
import type { SectionValues } from './manager.js'
import { SECTIONS } from './registry.js'
import type { SectionName } from './registry.js'
import type { DatastoreKind } from './sections/datastore.js'
import { decodeClusterSecret, generateClusterSecret } from './secret.js'
import { applyIdentityEnv, decodeIdentity, generateIdentityJson, saveIdentity } from './identity.js'
import { writePeerstore, peerIdOfAddr } from './peerstore.js'
import { randomizePorts } from './random-ports.js'
import { IDENTITY_JSON, SERVICE_JSON } from './load.js'

/** Options of initConfig. */
export interface InitConfigOptions {
  /** @default 'crdt' */
  consensus?: 'crdt' | 'raft'
  /** Datastore section written for CRDT. @default 'leveldb' */
  datastore?: DatastoreKind
  /** Remote configuration URL: only `{"source": url}` is saved. */
  source?: string
  /** A user-provided hex secret (replaces the generated one). */
  secret?: string
  /** Peer multiaddresses (with `/p2p/<id>`) for the peerstore, trusted peers and init peerset. */
  peers?: string[]
  /** Replace listen ports with free random ones. */
  randomPorts?: boolean
  /** Environment used for overrides. @default process.env */
  env?: NodeJS.ProcessEnv
}

/** What initConfig wrote. */
export interface InitConfigResult {
  configPath: string
  identityPath: string
  /** False when identity.json existed and was kept. */
  identityCreated: boolean
  peerstorePath: string
  /** Number of peerstore entries written. */
  peerCount: number
}

const ALWAYS: SectionName[] = ['cluster', 'restapi', 'pinsvcapi', 'ipfsproxy', 'embedded', 'stateless', 'pubsubmon', 'balanced', 'disk', 'pinqueue', 'tags', 'metrics', 'tracing']

/**
 * Writes the configuration files into `configDir` (created 0700). Throws
 * InvalidConfigError for bad options (peers, secret, environment values).
 */
export async function initConfig (configDir: string, opts: InitConfigOptions = {}): Promise<InitConfigResult> {
  const dir = resolve(configDir)
  const env = opts.env ?? process.env
  const consensus = opts.consensus ?? 'crdt'
  const datastore = opts.datastore ?? 'leveldb'
  const include = new Set<SectionName>([...ALWAYS, consensus])
  if (consensus === 'crdt') include.add(datastore)

  const ctx = parseContext(dir)
  const values = {} as SectionValues
  for (const codec of SECTIONS) {
    if (include.has(codec.key)) values[codec.key] = codec.defaults(ctx)
  }
  values.cluster.secret = generateClusterSecret()

  if (opts.randomPorts === true) {
    const [cl, rest, proxy, pinsvc, swarm] = await randomizePorts([
      values.cluster.listenMultiaddress,
      values.restapi.httpListenMultiaddress,
      values.ipfsproxy.listenMultiaddress,
      values.pinsvcapi.httpListenMultiaddress,
      values.embedded.swarmListenMultiaddress
    ])
    values.cluster.listenMultiaddress = cl
    values.restapi.httpListenMultiaddress = rest
    values.ipfsproxy.listenMultiaddress = proxy
    values.pinsvcapi.httpListenMultiaddress = pinsvc
    values.embedded.swarmListenMultiaddress = swarm
  }

  const ordered = [...SECTIONS.filter((c) => c.key !== 'cluster'), ...SECTIONS.filter((c) => c.key === 'cluster')]
  for (const codec of ordered) {
    if (include.has(codec.key)) values[codec.key] = applySectionEnv(codec, values[codec.key], env, ctx)
  }

  if (opts.secret != null) {
    try {
      decodeClusterSecret(opts.secret)
      values.cluster.secret = opts.secret.toLowerCase()
    } catch (err: any) {
      ctx.problems.push(`parsing user-provided secret: ${err.message}`)
    }
  }

  const peers = (opts.peers ?? []).map((p) => p.trim()).filter((p) => p !== '')
  const peerIds: string[] = []
  for (const addr of peers) {
    const e = multiaddrError(addr)
    const id = peerIdOfAddr(addr)
    if (e != null) ctx.problems.push(`parsing peer multiaddress: ${addr}: ${e}`)
    else if (id == null || peerIdError(id) != null) ctx.problems.push(`getting AddrInfos from peer multiaddresses: ${addr}: invalid p2p multiaddr`)
    else if (!peerIds.includes(id)) peerIds.push(id)
  }
  if (peers.length > 0) {
    if (values.crdt != null) {
      values.crdt.trustAll = false
      values.crdt.trustedPeers = peerIds
    }
    if (values.raft != null) values.raft.initPeerset = peerIds
  }

  for (const codec of SECTIONS) {
    if (include.has(codec.key)) codec.validate(values[codec.key], ctx)
  }
  if (ctx.problems.length > 0) throw new InvalidConfigError([...new Set(ctx.problems)])

  await mkdir(dir, { recursive: true, mode: 0o700 })
  const configPath = join(dir, SERVICE_JSON)
  const root = opts.source != null && opts.source !== '' ? { source: opts.source } : renderSections(values, include)
  await writeFile(configPath, serviceJsonText(root), { mode: 0o600 })
  await chmod(configPath, 0o600)

  const identityPath = join(dir, IDENTITY_JSON)
  const identityCreated = !existsSync(identityPath)
  if (identityCreated) {
    const ident = applyIdentityEnv(await generateIdentityJson(), env)
    const problems: string[] = []
    if (decodeIdentity(ident, problems) == null) throw new InvalidConfigError(problems.map((p) => `applying environment variables to the identity: ${p}`))
    await saveIdentity(identityPath, ident)
  }

  const peerstorePath = values.cluster.peerstorePath as string
  await writePeerstore(peerstorePath, peers)
  return { configPath, identityPath, identityCreated, peerstorePath, peerCount: peers.length }
}
