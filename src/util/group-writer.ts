/**
 * Group commit for LevelDB writes: while one write is in flight, the writes that
 * arrive are gathered and go to disk together as one batch. Each caller's promise
 * resolves only once its own write is in the database, so "committed before the
 * answer" holds; what changes is that concurrent requests share one native call
 * (each native call is a thread-pool round trip that costs the event loop more
 * than the write itself).
 */

/** One buffered operation, in LevelDB batch form. */
export type GroupOp<K, V> = { type: 'put', key: K, value: V } | { type: 'del', key: K }

/** The two native calls the writer needs (a classic-level database has both). */
export interface GroupWriterTarget<K, V> {
  put: (key: K, value: V) => Promise<void>
  del: (key: K) => Promise<void>
  batch: (ops: Array<GroupOp<K, V>>) => Promise<void>
}

interface Waiter {
  resolve: () => void
  reject: (err: Error) => void
}

/**
 * Serialises writes to one database in arrival order, merging those that queue up
 * behind a running write. Operations on one key keep their order (a batch applies
 * its operations in order), so the last write wins as it would one by one.
 */
export class GroupWriter<K, V> {
  private ops: Array<GroupOp<K, V>> = []
  private waiters: Waiter[] = []
  private draining = false
  private idleWaiters: Array<() => void> = []
  private readonly target: () => GroupWriterTarget<K, V>

  /** `target` is read at each write, so a closed store fails the writes that follow. */
  constructor (target: () => GroupWriterTarget<K, V>) {
    this.target = target
  }

  put (key: K, value: V): Promise<void> {
    return this.push({ type: 'put', key, value })
  }

  del (key: K): Promise<void> {
    return this.push({ type: 'del', key })
  }

  /** Resolves once every write accepted so far is done (for an orderly close). */
  async idle (): Promise<void> {
    if (!this.draining) return
    await new Promise<void>((resolve) => { this.idleWaiters.push(resolve) })
  }

  private push (op: GroupOp<K, V>): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.ops.push(op)
      this.waiters.push({ resolve, reject })
      if (!this.draining) {
        this.draining = true
        // the first write waits for the end of this event-loop turn: the requests read
        // in the same turn then share it, instead of each paying a native call
        setImmediate(() => { void this.drain() })
      }
    })
  }

  private async drain (): Promise<void> {
    try {
      while (this.ops.length > 0) {
        const ops = this.ops
        const waiters = this.waiters
        this.ops = []
        this.waiters = []
        try {
          const target = this.target()
          if (ops.length === 1) {
            const op = ops[0]
            await (op.type === 'put' ? target.put(op.key, op.value) : target.del(op.key))
          } else {
            await target.batch(ops)
          }
        } catch (err: any) {
          const e = err instanceof Error ? err : new Error(String(err))
          for (const w of waiters) w.reject(e)
          continue
        }
        for (const w of waiters) w.resolve()
      }
    } finally {
      // set synchronously after the last emptiness check: a later push starts a new drain
      this.draining = false
      for (const w of this.idleWaiters.splice(0)) w()
    }
  }
}
