/**
 * The UnixFS importer of an add (Go `adder/ipfsadd`, a trimmed copy of Kubo's coreunix adder,
 * spec adder.md §4).
 */
import { sha256 } from 'multiformats/hashes/sha2'
import { parseChunker } from './chunker.js'
import { MfsDir } from './dir.js'
import { InvalidCidVersionError, InvalidLayoutError, InvalidUploadError } from './errors.js'
import { buildFile } from './file.js'
import { getHasher } from '../../util/hashers.js'
import { directoryData, putPb, symlinkData } from './nodes.js'
import type { Chunker } from './chunker.js'
import type { DagNode, Prefix, PutBlock } from './nodes.js'
import type { AbortOptions } from '../../interface/startable.js'
import type { AddEntry, AddedOutput, BlockSink, ImportOptions } from '../types.js'
import type { CID } from 'multiformats/cid'

/** Options of one import run. */
export interface ImportUnixfsOptions extends AbortOptions {
  /** Receives every output event (spec §4.1) in Go's order; called synchronously. */
  onOutput?: (output: AddedOutput) => void
}

/** Go `progressReaderIncrement`. */
const PROGRESS_INCREMENT = 256 * 1024

/** The validated form of `ImportOptions`. */
interface Resolved {
  prefix: Prefix
  chunker: string
  layout: 'balanced' | 'trickle'
  rawLeaves: boolean
  wrap: boolean
  progress: boolean
}

/**
 * Validates import options as Go's `newIpfsAdder` and the chunker parser do, before any block is built.
 *
 * A CIDv0 prefix cannot carry a multihash other than sha2-256, so `cidVersion: 0` with another
 * hash builds CIDv1 nodes (as Kubo's `add` does). `rawLeaves` is taken as given: the caller
 * applies the rule "cid-version > 0 implies raw leaves unless raw-leaves was given" (spec §2).
 *
 * @throws UnknownHashFunctionError, UnsupportedHashFunctionError, InvalidChunkerError,
 *   InvalidLayoutError, InvalidCidVersionError
 */
export function resolveImportOptions (opts: ImportOptions): Resolved {
  const layout = (opts.layout as string) === '' || opts.layout == null ? 'balanced' : opts.layout
  if (layout !== 'balanced' && layout !== 'trickle') {
    throw new InvalidLayoutError()
  }
  const version = opts.cidVersion ?? 0
  if (version !== 0 && version !== 1) {
    throw new InvalidCidVersionError(`bad CID Version: invalid cid version: ${String(version)}`)
  }
  const hasher = getHasher(opts.hashFun ?? '')
  const chunker = opts.chunker ?? ''
  parseChunker(chunker)
  return {
    prefix: { cidVersion: version === 0 && hasher.code !== sha256.code ? 1 : version, hasher },
    chunker,
    layout,
    rawLeaves: opts.rawLeaves ?? false,
    wrap: opts.wrap ?? false,
    progress: opts.progress ?? false
  }
}

/** Go `filepath.Join` for the clean relative paths of an upload. */
function join (a: string, b: string): string {
  if (a === '') {
    return b
  }
  return b === '' ? a : `${a}/${b}`
}

function dirname (p: string): string {
  const i = p.lastIndexOf('/')
  return i < 0 ? '' : p.slice(0, i)
}

function basename (p: string): string {
  return p.slice(p.lastIndexOf('/') + 1)
}

/** One top-level entry of the upload (Go: one `ipfsAdder.Add(name, node)` call). */
interface Group {
  /** Go `OutputPrefix`: the top-level name ('' when wrapped). */
  top: string
  kind: 'file' | 'directory'
  /** The node of a top-level file or symlink. */
  last?: DagNode
}

/**
 * Imports an upload as UnixFS with Kubo's DAG shapes and CIDs, writing each block to `sink`
 * as it is built (a block equal to one of the last two written is skipped, spec §5.2) and
 * reporting output events through `options.onOutput`. Memory stays bounded by a few chunks
 * per file plus the directory tree's links.
 *
 * @returns the root: a single top-level file's node, a top-level directory's node, or the
 *   wrapping directory's node; with several top-level entries, the last one's (as Go)
 * @throws the errors of `resolveImportOptions`; InvalidUploadError for an empty upload or
 *   clashing names; the sink's errors; the abort reason when `options.signal` aborts
 */
export async function importUnixfs (entries: AsyncIterable<AddEntry>, opts: ImportOptions, sink: BlockSink, options: ImportUnixfsOptions = {}): Promise<CID> {
  const cfg = resolveImportOptions(opts)
  const { prefix } = cfg
  const signal = options.signal
  const emit = (o: AddedOutput): void => { options.onOutput?.(o) }

  const lastTwo: Array<CID | undefined> = [undefined, undefined]
  const put: PutBlock = async (block) => {
    signal?.throwIfAborted()
    if (lastTwo[1]?.equals(block.cid) === true || lastTwo[0]?.equals(block.cid) === true) {
      return
    }
    lastTwo[0] = lastTwo[1]
    lastTwo[1] = block.cid
    await sink.put(block, { signal })
  }

  let root: MfsDir | undefined
  // Go `mfs.NewEmptyRoot`: the empty root directory is written when first needed
  const mfsRoot = async (): Promise<MfsDir> => {
    if (root == null) {
      await putPb(prefix, put, directoryData(), [])
      root = new MfsDir()
    }
    return root
  }
  // mfs.Mkdir with Mkparents; touches every directory on the way (their nodes change)
  const mkdirp = async (path: string): Promise<MfsDir> => {
    let dir = await mfsRoot()
    dir.touch()
    if (path === '') {
      return dir
    }
    for (const seg of path.split('/')) {
      dir = await dir.mkdir(seg, prefix, put)
      dir.touch()
    }
    return dir
  }

  const chunker: Chunker = parseChunker(cfg.chunker)
  const importFile = async (rel: string, content: AsyncIterable<Uint8Array>): Promise<DagNode> => {
    const source = cfg.progress ? withProgress(content, rel, emit) : content
    return buildFile(chunker(source), { prefix, rawLeaves: cfg.rawLeaves, layout: cfg.layout, put, signal })
  }
  const importSymlink = async (target: string): Promise<DagNode> => putPb(prefix, put, symlinkData(target), [])

  // Go `addNode`: place the node in the tree, then report it. Go re-adds the node to the DAG
  // service here (and the root again at the end, `PinRoot`); those duplicates are not
  // re-sent, as block bytes are not kept once written
  const addNode = async (group: Group, rel: string, node: DagNode): Promise<void> => {
    if (rel === '') {
      const r = await mfsRoot()
      r.touch()
      r.addChild(node.cid.toString(), node)
      group.last = node
    } else {
      const dir = await mkdirp(dirname(rel))
      dir.addChild(basename(rel), node)
    }
    emit({ name: join(group.top, rel), cid: node.cid, size: node.size, allocations: sink.allocations() })
  }

  // Go `outputDirs`: directories depth-first, children before parents, in link order
  const outputDirs = async (path: string, dir: MfsDir, group: Group): Promise<void> => {
    for (const name of dir.names()) {
      const child = dir.children.get(name)
      if (child instanceof MfsDir && !child.outputDone) {
        await outputDirs(join(path, name), child, group)
        child.outputDone = true
      }
    }
    const node = await dir.flush(prefix, put)
    emit({ name: join(group.top, path), cid: node.cid, size: node.size, allocations: sink.allocations() })
  }

  // Go `AddAllAndPin` after the entries: pick the root, report directories, flush, re-add the root
  const finish = async (group: Group): Promise<CID> => {
    const r = await mfsRoot()
    const rootNode = await r.flush(prefix, put)
    if (group.kind === 'file' && group.last != null) {
      return group.last.cid
    }
    await outputDirs('', r, group)
    return rootNode.cid
  }

  let group: Group | undefined
  let result: CID | undefined
  for await (const entry of entries) {
    signal?.throwIfAborted()
    const slash = entry.path.indexOf('/')
    const top = cfg.wrap ? '' : (slash < 0 ? entry.path : entry.path.slice(0, slash))
    const rel = cfg.wrap ? entry.path : (slash < 0 ? '' : entry.path.slice(slash + 1))
    if (group == null || group.top !== top || (!cfg.wrap && rel === '')) {
      if (group != null) {
        result = await finish(group)
      }
      group = { top, kind: !cfg.wrap && rel === '' && entry.type !== 'directory' ? 'file' : 'directory' }
    }
    if (group.kind === 'file' && rel !== '') {
      throw new InvalidUploadError(`${entry.path}: parent ${top} is not a directory`)
    }
    switch (entry.type) {
      case 'directory':
        await mkdirp(rel)
        break
      case 'file':
        await addNode(group, rel, await importFile(rel, entry.content))
        break
      case 'symlink':
        await addNode(group, rel, await importSymlink(entry.target))
        break
    }
  }
  if (group == null) {
    throw new InvalidUploadError('nothing to add')
  }
  result = await finish(group)
  return result
}

async function * withProgress (content: AsyncIterable<Uint8Array>, name: string, emit: (o: AddedOutput) => void): AsyncGenerator<Uint8Array> {
  let bytes = 0
  let last = 0
  for await (const chunk of content) {
    bytes += chunk.length
    if (bytes - last >= PROGRESS_INCREMENT) {
      last = bytes
      emit({ name, bytes })
    }
    yield chunk
  }
  emit({ name, bytes })
}
