/**
 * The current DAG heads (blocks with no processed successor), with their heights:
 * kept in memory, mirrored under `h<id>` and updated by each merge transaction.
 */
import { CID } from 'multiformats/cid'
import { cidOfBlockId, range } from './keys.js'
import { readUvarint } from './proto.js'
import type { CrdtStore } from './store.js'

export interface Head {
  cid: CID
  height: number
}

export class Heads {
  private readonly heads = new Map<string, Head>()

  /** Loads the heads stored in `store`. */
  async load (store: CrdtStore): Promise<void> {
    this.heads.clear()
    for await (const [key, value] of store.entries(range('h'))) {
      const id = key.slice(1)
      this.heads.set(id, { cid: cidOfBlockId(id), height: readUvarint(value)[0] })
    }
  }

  get size (): number {
    return this.heads.size
  }

  has (id: string): boolean {
    return this.heads.has(id)
  }

  get (id: string): Head | undefined {
    return this.heads.get(id)
  }

  /** Applies a transaction's changes (`null` removes). */
  apply (changes: Map<string, Head | null>): void {
    for (const [id, h] of changes) {
      if (h == null) this.heads.delete(id)
      else this.heads.set(id, h)
    }
  }

  clear (): void {
    this.heads.clear()
  }

  /** Heads sorted by id (deterministic link order). */
  list (): Array<[string, Head]> {
    return [...this.heads].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
  }

  maxHeight (): number {
    let max = 0
    for (const h of this.heads.values()) if (h.height > max) max = h.height
    return max
  }
}
