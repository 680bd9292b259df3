/**
 * A GraphWalker for `helia.pins.add`/`rm` that reads only the local blockstore and visits
 * each block once. Helia's default walkers may go to the network for a missing block
 * (and hang) and yield a block once per link to it, which makes `rm` decrement Helia's
 * per-block pin counts more often than `add` incremented them. Blocks are not read whole
 * where their links can be told otherwise (`localLinks`): Helia's pins only use their CIDs.
 */
import { createUnsafe } from 'multiformats/block'
import { multihashKey } from './dag-walk.js'
import type { LocalLinks } from './local-links.js'
import type { CodecLoader, GraphNode, GraphWalker, GraphWalkerComponents, GraphWalkerFactory, WalkOptions } from '@helia/interface'
import type { CID } from 'multiformats/cid'

const IDENTITY = 0x00

/** Links of an identity CID: its bytes are in the CID. */
async function identityLinks (cid: CID, getCodec: CodecLoader): Promise<CID[]> {
  const block = createUnsafe({ cid, bytes: cid.multihash.digest, codec: await getCodec(cid.code) })
  return [...block.links()].map(([, link]) => link)
}

class LocalWalker implements GraphWalker {
  constructor (private readonly components: GraphWalkerComponents, private readonly links: LocalLinks) {}

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
      const links = cid.multihash.code === IDENTITY ? await identityLinks(cid, this.components.getCodec) : await this.links(cid)
      // a missing block ends this branch; pins are only recorded once their DAG is local
      if (links == null) continue
      if (depth < maxDepth) {
        for (const link of links) queue.push({ cid: link, depth: depth + 1 })
      }
      // re-visits at a smaller depth (limited-depth pins) are walked again but not yielded twice
      // (full paths are not kept: Helia's pins do not use them and they cost memory on deep DAGs);
      // Helia's pins read only `block.cid`
      if (prev == null) yield { block: { cid } as any, depth, path: depth === 0 ? [cid] : [root, cid] }
    }
  }
}

/** Factory for `pins.add(cid, { walker })`, over the links of the local blockstore. */
export function localWalker (links: LocalLinks): GraphWalkerFactory {
  return (components) => new LocalWalker(components, links)
}
