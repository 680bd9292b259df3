/**
 * The serving side of DAG sync: answers a fetch request with the blocks below its
 * roots, from local blocks only, highest first (a node always comes after the nodes
 * above it that the walk went through), skipping the requester's `have` nodes and what
 * lies below them. Blocks we do not hold are left out: the requester asks elsewhere.
 */
import { CID } from 'multiformats/cid'
import { nodeHeight, readNode } from './dag.js'
import { blockId } from './keys.js'
import { decodeFetchRequest } from './proto.js'
import type { CrdtStore } from './store.js'
import type { AbortOptions } from '../../interface/startable.js'

/** Most blocks one answer carries, whatever the request asks. */
export const SERVE_LIMIT = 1_000_000

interface Item {
  height: number
  id: string
  bytes: Uint8Array
  links: CID[]
}

/** A max-heap by height (ties by id, for a stable order). */
class MaxHeap {
  private readonly items: Item[] = []

  get size (): number {
    return this.items.length
  }

  private above (a: Item, b: Item): boolean {
    return a.height > b.height || (a.height === b.height && a.id > b.id)
  }

  push (item: Item): void {
    const a = this.items
    a.push(item)
    let i = a.length - 1
    while (i > 0) {
      const p = (i - 1) >> 1
      if (!this.above(a[i], a[p])) break
      ;[a[i], a[p]] = [a[p], a[i]]
      i = p
    }
  }

  pop (): Item | undefined {
    const a = this.items
    const top = a[0]
    const last = a.pop()
    if (a.length > 0 && last != null) {
      a[0] = last
      let i = 0
      while (true) {
        const l = 2 * i + 1
        const r = l + 1
        let m = i
        if (l < a.length && this.above(a[l], a[m])) m = l
        if (r < a.length && this.above(a[r], a[m])) m = r
        if (m === i) break
        ;[a[i], a[m]] = [a[m], a[i]]
        i = m
      }
    }
    return top
  }
}

/**
 * Streams the blocks a fetch request asks for (one item per block). Throws
 * CrdtDecodeError for a malformed request.
 */
export async function * serveFetch (store: CrdtStore, request: Uint8Array, options: AbortOptions = {}): AsyncGenerator<Uint8Array> {
  const req = decodeFetchRequest(request)
  const have = new Set<string>()
  for (const h of req.have) {
    try {
      have.add(blockId(CID.decode(h)))
    } catch {}
  }
  const max = req.max > 0 ? Math.min(req.max, SERVE_LIMIT) : SERVE_LIMIT
  const visited = new Set<string>()
  const heap = new MaxHeap()
  const push = (cid: CID): void => {
    const id = blockId(cid)
    if (visited.has(id) || have.has(id)) return
    visited.add(id)
    const bytes = store.block(id)
    if (bytes == null) return
    try {
      const node = readNode(bytes)
      heap.push({ height: nodeHeight(node), id, bytes, links: node.links })
    } catch {}
  }
  for (const r of req.roots) {
    try {
      push(CID.decode(r))
    } catch {}
  }
  let sent = 0
  while (heap.size > 0 && sent < max) {
    options.signal?.throwIfAborted()
    const item = heap.pop() as Item
    yield item.bytes
    sent++
    for (const link of item.links) push(link)
  }
}
