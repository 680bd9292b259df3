/**
 * A GraphWalker for `helia.pins.add`/`rm` that reads only the local blockstore and visits
 * each block once. Helia's default walkers may go to the network for a missing block
 * (and hang) and yield a block once per link to it, which makes `rm` decrement Helia's
 * per-block pin counts more often than `add` incremented them.
 */
import { createUnsafe } from 'multiformats/block'
import { multihashKey } from './dag-walk.js'
import type { GraphNode, GraphWalker, GraphWalkerComponents, GraphWalkerFactory, WalkOptions } from '@helia/interface'
import type { CID } from 'multiformats/cid'

async function readAll (source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = []
  for await (const c of source) chunks.push(c)
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)
}

class LocalWalker implements GraphWalker {
  constructor (private readonly components: GraphWalkerComponents) {}

  async * walk<T = any> (root: CID, options: WalkOptions<T> = {}): AsyncGenerator<GraphNode<T>> {
    const maxDepth = options.depth ?? Infinity
    const seen = new Map<string, number>()
    const queue: Array<{ cid: CID, depth: number }> = [{ cid: root, depth: 0 }]
    while (queue.length > 0) {
      const { cid, depth } = queue.pop() as { cid: CID, depth: number }
      const key = multihashKey(cid)
      const prev = seen.get(key)
      if (prev != null && prev <= depth) continue
      seen.set(key, depth)
      options.signal?.throwIfAborted()
      let bytes: Uint8Array
      try {
        bytes = await readAll(this.components.blockstore.get(cid, { ...options, offline: true } as any))
      } catch (err: any) {
        // a missing block ends this branch; pins are only recorded once their DAG is local
        if (err.name === 'BlockNotFoundWhileOfflineError' || err.name === 'NotFoundError') continue
        throw err
      }
      const block = createUnsafe({ cid, bytes, codec: await this.components.getCodec(cid.code) })
      if (depth < maxDepth) {
        for (const [, link] of block.links()) {
          queue.push({ cid: link, depth: depth + 1 })
        }
      }
      // re-visits at a smaller depth (limited-depth pins) are walked again but not yielded twice
      // (full paths are not kept: Helia's pins do not use them and they cost memory on deep DAGs)
      if (prev == null) yield { block: block as any, depth, path: depth === 0 ? [cid] : [root, cid] }
    }
  }
}

/** Factory for `pins.add(cid, { walker })`. */
export function localWalker (): GraphWalkerFactory {
  return (components) => new LocalWalker(components)
}
