/** Behaviour of a group-commit writer (shared by the state store's and the embedded connector's copies). */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'

type Op = { type: 'put', key: string, value: string } | { type: 'del', key: string }

interface Writer {
  put: (key: string, value: string) => Promise<void>
  del: (key: string) => Promise<void>
  idle: () => Promise<void>
}

/** A fake database recording native calls; each call completes when `step()` is called. */
class FakeDb {
  readonly data = new Map<string, string>()
  readonly calls: Op[][] = []
  private readonly pending: Array<() => void> = []
  failNext = false

  private call (ops: Op[]): Promise<void> {
    this.calls.push(ops)
    const fail = this.failNext
    this.failNext = false
    return new Promise((resolve, reject) => {
      this.pending.push(() => {
        if (fail) {
          reject(new Error('disk full'))
          return
        }
        for (const op of ops) {
          if (op.type === 'put') this.data.set(op.key, op.value)
          else this.data.delete(op.key)
        }
        resolve()
      })
    })
  }

  put = async (key: string, value: string): Promise<void> => { await this.call([{ type: 'put', key, value }]) }
  del = async (key: string): Promise<void> => { await this.call([{ type: 'del', key }]) }
  batch = async (ops: Op[]): Promise<void> => { await this.call(ops) }

  /** Completes the oldest native call. */
  async step (): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve))
    this.pending.shift()?.()
    await new Promise((resolve) => setImmediate(resolve))
  }
}

export function groupWriterSuite (name: string, create: (target: () => FakeDb) => Writer): void {
  describe(`group writer (${name})`, () => {
    it('merges the writes of one event-loop turn, then those that queue behind a running write', async () => {
      const db = new FakeDb()
      const w = create(() => db)
      const done: string[] = []
      const turn = [w.put('a', '1'), w.put('z', '0')].map(async (p, i) => { await p; done.push(`t${i}`) })
      assert.equal(db.calls.length, 0, 'nothing is written before the turn ends')
      await new Promise((resolve) => setImmediate(resolve))
      assert.deepEqual(db.calls, [[{ type: 'put', key: 'a', value: '1' }, { type: 'put', key: 'z', value: '0' }]])
      const rest = [w.put('b', '2'), w.put('c', '3'), w.del('a')].map(async (p, i) => { await p; done.push(`r${i}`) })
      await db.step()
      await Promise.all(turn)
      assert.deepEqual(done, ['t0', 't1'])
      assert.equal(db.calls.length, 2)
      assert.deepEqual(db.calls[1].map((o) => o.key), ['b', 'c', 'a'])
      await db.step()
      await Promise.all(rest)
      assert.deepEqual([...db.data.entries()], [['z', '0'], ['b', '2'], ['c', '3']])
    })

    it('writes a lone operation without a batch', async () => {
      const db = new FakeDb()
      const w = create(() => db)
      const p = w.put('a', '1')
      await db.step()
      await p
      assert.deepEqual(db.calls, [[{ type: 'put', key: 'a', value: '1' }]])
    })

    it('resolves a caller only once its own write is stored', async () => {
      const db = new FakeDb()
      const w = create(() => db)
      let stored = false
      void w.put('a', '1')
      await new Promise((resolve) => setImmediate(resolve))
      const second = w.put('b', '2').then(() => { stored = db.data.has('b') })
      await db.step()
      assert.equal(db.data.has('b'), false)
      await db.step()
      await second
      assert.equal(stored, true)
    })

    it('rejects the callers of a failed write and goes on with the next ones', async () => {
      const db = new FakeDb()
      const w = create(() => db)
      db.failNext = true
      const failed = assert.rejects(w.put('a', '1'), /disk full/)
      await new Promise((resolve) => setImmediate(resolve))
      const later = w.put('b', '2')
      await db.step()
      await failed
      await db.step()
      await later
      assert.deepEqual([...db.data.keys()], ['b'])
    })

    it('rejects when the target is gone and still accepts later writes', async () => {
      let db: FakeDb | undefined
      const w = create(() => { if (db == null) throw new Error('closed'); return db })
      await assert.rejects(w.put('a', '1'), /closed/)
      db = new FakeDb()
      const p = w.put('b', '2')
      await db.step()
      await p
      assert.equal(db.data.get('b'), '2')
    })

    it('idle() waits for the writes accepted so far', async () => {
      const db = new FakeDb()
      const w = create(() => db)
      await w.idle()
      void w.put('a', '1')
      await new Promise((resolve) => setImmediate(resolve))
      void w.put('b', '2')
      let idle = false
      const waiting = w.idle().then(() => { idle = true })
      await db.step()
      assert.equal(idle, false)
      await db.step()
      await waiting
      assert.equal(db.data.size, 2)
    })
  })
}
