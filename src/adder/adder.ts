/**
 * The add driver (Go `adder.Adder` with the single DAG service, spec adder §3, §5, §7):
 * imports an upload (UnixFS or CAR), streams its blocks to the allocated destinations and
 * cluster-pins the root.
 */
import * as dagPb from '@ipld/dag-pb'
import { UnixFS } from 'ipfs-unixfs'
import { InvalidArgumentError } from '../interface/errors.js'
import { checkDagComplete, readCar } from './car.js'
import { importUnixfs } from './importer/index.js'
import { SingleDagService } from './single.js'
import type { GetBlock } from './car.js'
import type { BlockStreamFn, QueueLimits } from './destination.js'
import type { AdderCluster } from './single.js'
import type { AddEntry, AddedOutput } from './types.js'
import type { AddParams } from '../api/common/add-params.js'
import type { AbortOptions } from '../interface/startable.js'
import type { ComponentLogger } from '@libp2p/interface'
import type { CID } from 'multiformats/cid'

export type { AdderCluster } from './single.js'

/** What an add needs from the peer. */
export interface AdderComponents {
  /** The local cluster peer ID (replaces empty allocations; the `local` destination). */
  peerId: string
  cluster: AdderCluster
  /**
   * The block stream to a destination peer: the local connector's `blockStream` for the
   * local peer. Throws DestinationUnavailableError for a peer it cannot reach.
   */
  blockStreamTo: (peer: string) => BlockStreamFn
  /** Reads the local blockstore only (`undefined` when missing); needed by `checkDag`. */
  getLocalBlock?: GetBlock
  logger: ComponentLogger
}

/** Options of one add. */
export interface AddOptions extends AbortOptions {
  /** Receives every output event (spec §4.1, §7) in order. */
  onOutput?: (output: AddedOutput) => void
  /** Queue bounds of each destination. */
  limits?: QueueLimits
}

const DAG_PB = 0x70

/**
 * Adds an upload to the cluster: builds the DAG (UnixFS importer, or the blocks of a CAR
 * with `format=car`), streams its blocks to the destinations allocated on the first
 * block, then pins the root through the cluster's pin path (recursive, allocations =
 * destinations) unless `noPin`. When the add fails or `options.signal` aborts, the block
 * streams are stopped and nothing is pinned.
 *
 * @returns the root CID
 * @throws InvalidArgumentError for a bad upload ("cannot wrap a CAR file upload", "expected
 *   CAR file is not of type file", a corrupt CAR, an unsupported `shard=true`);
 *   IncompleteDagError when `checkDag` finds a block missing; BlockPutError when every
 *   destination failed; the importer's, allocation and pin errors; the abort reason
 */
export async function add (upload: AsyncIterable<AddEntry>, params: AddParams, components: AdderComponents, options: AddOptions = {}): Promise<CID> {
  const log = components.logger.forComponent('cluster:adder')
  if (params.shard) throw new InvalidArgumentError('sharded adds (shard=true) are not supported yet')
  if (params.format === 'car' && params.importOptions.wrap) throw new InvalidArgumentError('cannot wrap a CAR file upload')
  options.signal?.throwIfAborted()

  // aborts the destination streams when the add fails, whatever the caller's signal does
  const controller = new AbortController()
  const onAbort = (): void => { controller.abort(options.signal?.reason) }
  options.signal?.addEventListener('abort', onAbort, { once: true })
  const signal = controller.signal

  const service = new SingleDagService({
    peerId: components.peerId,
    cluster: components.cluster,
    pinOptions: { ...params.pinOptions, mode: 'recursive', pinUpdate: undefined },
    local: params.local,
    noPin: params.noPin,
    blockStreamTo: components.blockStreamTo,
    limits: options.limits,
    // our importer hashes every node it builds; a CAR's blocks are verified by the destination
    hashedInProcess: params.format !== 'car',
    log
  }, { signal })

  try {
    let root: CID
    let beforePin: (() => Promise<void>) | undefined
    if (params.format === 'car') {
      root = await addCar(upload, service, options.onOutput, signal)
      if (params.checkDag) {
        beforePin = async () => {
          const get = components.getLocalBlock
          if (get == null) throw new Error('check-dag is not available: no local blockstore')
          if (service.allocations().length > 0 && !service.streamsTo(components.peerId)) {
            log('add: check-dag skipped for %s: the blocks were not stored on this peer', root.toString())
            return
          }
          await checkDagComplete(root, get, { signal })
        }
      }
    } else {
      root = await importUnixfs(upload, params.importOptions, service, { signal, onOutput: options.onOutput })
    }
    return await service.finalize(root, { signal, beforePin })
  } catch (err) {
    const reason = err instanceof Error ? err : new Error(String(err))
    service.abort(reason)
    if (!controller.signal.aborted) controller.abort(reason)
    throw err
  } finally {
    options.signal?.removeEventListener('abort', onAbort)
  }
}

/**
 * Go's CAR importer (spec §7): the first entry only, which must be a file holding a CARv1
 * with one root; every block goes to the DAG service; one output event.
 */
async function addCar (upload: AsyncIterable<AddEntry>, service: SingleDagService, onOutput: AddOptions['onOutput'], signal: AbortSignal): Promise<CID> {
  for await (const entry of upload) {
    if (entry.type !== 'file') throw new InvalidArgumentError('expected CAR file is not of type file')
    const car = await readCar(entry.content, { signal })
    let bytes = 0
    let rootBytes: Uint8Array | undefined
    for await (const block of car.blocks) {
      bytes += block.bytes.byteLength
      if (block.cid.equals(car.root)) rootBytes = block.bytes
      await service.put(block, { signal })
    }
    onOutput?.({
      name: entry.path,
      cid: car.root,
      bytes,
      size: rootBytes != null && car.root.code === DAG_PB ? unixfsFileSize(rootBytes) : 0,
      allocations: service.allocations()
    })
    // only the first entry is read (as Go)
    return car.root
  }
  throw new InvalidArgumentError('nothing to add')
}

/** The UnixFS file size of a dag-pb node; 0 when it is not UnixFS. */
function unixfsFileSize (bytes: Uint8Array): number {
  try {
    const node = dagPb.decode(bytes)
    if (node.Data == null) return 0
    return Number(UnixFS.unmarshal(node.Data).fileSize())
  } catch {
    return 0
  }
}
