/**
 * Offline state commands (Go `cmd/ipfs-cluster-service/state.go`). The pinset is
 * streamed; an import is validated completely before the existing state is replaced,
 * so a bad file changes nothing (the reference cleans first and may lose the state).
 */
import { createReadStream, createWriteStream } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { isPeerId } from '../api/common/cid.js'
import { pinFromJson } from '../api/common/codec.js'
import { loadConfig } from '../config/index.js'
import { crdtConsensus } from '../consensus/crdt/index.js'
import { levelState } from '../state/leveldb/index.js'
import { crdtPath } from './peer.js'
import { jsonValues } from '../util/json-stream.js'
import { silentLogger } from '../util/logger.js'
import type { StateImportOptions } from '../cli/service/delegate.js'
import type { CrdtConsensus } from '../consensus/crdt/index.js'
import type { Pin } from '../interface/types.js'
import type { PinsetStore } from '../state/leveldb/index.js'

/**
 * Opens the pinset and, for a CRDT configuration, the CRDT store offline (spec consensus
 * §3.7): no broadcaster, no fetching; writes create local DAG nodes that the peer
 * announces when it next runs.
 */
async function withState<T> (cfgDir: string, fn: (state: PinsetStore, crdt: CrdtConsensus | undefined) => Promise<T>): Promise<T> {
  const cfg = await loadConfig(cfgDir)
  const logger = silentLogger()
  const state = levelState({ path: cfg.datastore.path })({ logger })
  await state.start?.()
  const crdt = cfg.consensus === 'crdt'
    ? crdtConsensus({ path: crdtPath(cfg.datastore.path), clusterName: cfg.crdt.clusterName })({ peerId: cfg.identity.id.toString(), state, logger })
    : undefined
  try {
    await crdt?.start?.()
    return await fn(state, crdt)
  } finally {
    await crdt?.stop?.()
    await state.stop?.()
  }
}

/** Writes the pinset as NDJSON, one Pin per line, to `file` or `stdout`. */
export async function stateExport (cfgDir: string, opts: { file?: string, stdout?: (text: string) => void }): Promise<void> {
  await withState(cfgDir, async (state) => {
    const out = opts.file != null ? createWriteStream(opts.file, { mode: 0o600 }) : undefined
    const write = async (text: string): Promise<void> => {
      if (out == null) {
        (opts.stdout ?? ((t: string) => process.stdout.write(t)))(text)
      } else if (!out.write(text)) {
        await new Promise<void>((resolve) => { out.once('drain', () => { resolve() }) })
      }
    }
    let buf = ''
    for await (const { json } of state.listJson()) {
      buf += json + '\n'
      if (buf.length > 65_536) { await write(buf); buf = '' }
    }
    if (buf !== '') await write(buf)
    if (out != null) await new Promise<void>((resolve, reject) => { out.end(); out.on('finish', resolve); out.on('error', reject) })
  })
}

/** Thrown for an import file that is not a stream of Pin objects. */
export class InvalidImportError extends Error {
  static name = 'InvalidImportError'
  constructor (message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'InvalidImportError'
  }
}

function decodePin (text: string, n: number, opts: StateImportOptions, allocations: string[]): Pin {
  let pin: Pin
  try {
    pin = pinFromJson(JSON.parse(text))
  } catch (err: any) {
    throw new InvalidImportError(`error decoding pin ${n}: ${err.message}`, { cause: err })
  }
  if (opts.rmin > 0) pin.replicationFactorMin = opts.rmin
  if (opts.rmax > 0) pin.replicationFactorMax = opts.rmax
  if (allocations.length > 0) pin.allocations = allocations
  pin.userAllocations = undefined
  return pin
}

async function * pins (source: () => AsyncIterable<Uint8Array | string>, opts: StateImportOptions, allocations: string[]): AsyncGenerator<Pin> {
  let n = 0
  for await (const text of jsonValues(source())) yield decodePin(text, ++n, opts, allocations)
}

/** Replaces the pinset with the pins read from `file` (or stdin). Nothing changes on a bad file. */
export async function stateImport (cfgDir: string, opts: StateImportOptions): Promise<void> {
  const allocations = opts.allocations.map((a) => a.trim()).filter(isPeerId)
  let spool: string | undefined
  let file = opts.file
  if (file == null) {
    // stdin can be read once: keep a copy so that it is validated before anything is replaced
    spool = await mkdtemp(join(cfgDir, '.import-'))
    file = join(spool, 'stdin.json')
    await pipeline(opts.stdin, createWriteStream(file))
  }
  const path = file
  try {
    // first pass: the whole file must decode
    for await (const _ of pins(() => createReadStream(path), opts, allocations)) {} // eslint-disable-line no-unused-vars
    await withState(cfgDir, async (state, crdt) => {
      if (crdt != null) {
        // as Go: the CRDT store and the pinset are cleaned, then the pins go in as deltas
        // (up to 1 MiB each) that other peers merge once this peer announces its heads
        await crdt.clean()
        await crdt.importPins(pins(() => createReadStream(path), opts, allocations))
        return
      }
      await state.clean()
      const batch = state.batch()
      for await (const pin of pins(() => createReadStream(path), opts, allocations)) await batch.add(pin)
      await batch.commit()
    })
  } finally {
    if (spool != null) await rm(spool, { recursive: true, force: true })
  }
}

/** Removes every pin of the pinset. */
export async function stateCleanup (cfgDir: string): Promise<void> {
  await withState(cfgDir, async (state, crdt) => {
    if (crdt != null) await crdt.clean()
    else await state.clean()
  })
}
