/**
 * File DAG layouts, ported from boxo `ipld/unixfs/importer/{balanced,trickle}` and the
 * `DagBuilderHelper`: 174 links per node, trickle with 4 repeats per depth.
 */
import { internalData, putLeaf, putPb, putRaw } from './nodes.js'
import type { FileNode, Prefix, PutBlock } from './nodes.js'

/** boxo `helpers.DefaultLinksPerBlock`. */
export const MAX_LINKS = 174
/** boxo trickle `depthRepeat`. */
const DEPTH_REPEAT = 4

/** What a layout needs to build one file's DAG. */
export interface FileBuildOptions {
  prefix: Prefix
  rawLeaves: boolean
  layout: 'balanced' | 'trickle'
  put: PutBlock
  signal?: AbortSignal
}

/** boxo `DagBuilderHelper`: pulls chunks one ahead so that `done()` is known. */
class DagBuilder {
  private readonly it: AsyncIterator<Uint8Array>
  private next: Uint8Array | undefined
  private primed = false
  private ended = false

  constructor (chunks: AsyncIterable<Uint8Array>, private readonly opts: FileBuildOptions) {
    this.it = chunks[Symbol.asyncIterator]()
  }

  private async prime (): Promise<void> {
    if (!this.primed) {
      this.primed = true
      while (!this.ended) {
        const r = await this.it.next()
        if (r.done === true) {
          this.ended = true
        } else if (r.value.length > 0) {
          this.next = r.value
          return
        }
      }
    }
  }

  async done (): Promise<boolean> {
    await this.prime()
    return this.next == null
  }

  private async take (): Promise<Uint8Array | undefined> {
    await this.prime()
    const data = this.next
    this.next = undefined
    this.primed = false
    return data
  }

  /** boxo `NewLeafDataNode` / `NewLeafNode`. */
  async leaf (type: 'file' | 'raw'): Promise<FileNode> {
    this.opts.signal?.throwIfAborted()
    const data = await this.take()
    const len = data?.length ?? 0
    // boxo `NewLeafNode`: with raw leaves even the empty file (balanced, no chunk) is a raw block
    if (this.opts.rawLeaves) {
      const n = await putRaw(this.opts.prefix, this.opts.put, data ?? new Uint8Array(0))
      return { ...n, fileSize: len }
    }
    const n = await putLeaf(this.opts.prefix, this.opts.put, type, data)
    return { ...n, fileSize: len }
  }

  /** boxo `FSNodeOverDag.Commit` of an internal node. */
  async commit (children: FileNode[]): Promise<FileNode> {
    const links = children.map((c) => ({ Name: '', Tsize: c.size, Hash: c.cid }))
    const n = await putPb(this.opts.prefix, this.opts.put, internalData(children.map((c) => c.fileSize)), links)
    return { ...n, fileSize: children.reduce((a, c) => a + c.fileSize, 0) }
  }

  /** boxo `FillNodeLayer`: up to MAX_LINKS leaves of type raw (trickle). */
  async fillNodeLayer (children: FileNode[]): Promise<void> {
    while (children.length < MAX_LINKS && !(await this.done())) {
      children.push(await this.leaf('raw'))
    }
  }
}

/** boxo balanced `Layout`. */
async function balanced (db: DagBuilder): Promise<FileNode> {
  if (await db.done()) {
    return db.leaf('file')
  }
  let root = await db.leaf('file')
  for (let depth = 1; !(await db.done()); depth++) {
    root = await fillNodeRec(db, [root], depth)
  }
  return root
}

async function fillNodeRec (db: DagBuilder, children: FileNode[], depth: number): Promise<FileNode> {
  while (children.length < MAX_LINKS && !(await db.done())) {
    children.push(depth === 1 ? await db.leaf('file') : await fillNodeRec(db, [], depth - 1))
  }
  return db.commit(children)
}

/** boxo trickle `Layout`. */
async function trickle (db: DagBuilder): Promise<FileNode> {
  return fillTrickleRec(db, -1)
}

async function fillTrickleRec (db: DagBuilder, maxDepth: number): Promise<FileNode> {
  const children: FileNode[] = []
  await db.fillNodeLayer(children)
  for (let depth = 1; maxDepth === -1 || depth < maxDepth; depth++) {
    if (await db.done()) {
      break
    }
    for (let i = 0; i < DEPTH_REPEAT && !(await db.done()); i++) {
      children.push(await fillTrickleRec(db, depth))
    }
  }
  return db.commit(children)
}

/** Builds one file's DAG from its chunks, emitting blocks as they are made; returns the root. */
export async function buildFile (chunks: AsyncIterable<Uint8Array>, opts: FileBuildOptions): Promise<FileNode> {
  const db = new DagBuilder(chunks, opts)
  return opts.layout === 'trickle' ? trickle(db) : balanced(db)
}
