/** Behaviour every pinset store shares (LevelDB and memory). */
import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { pinToJson } from '../../src/api/common/codec.js'
import { pinWithOpts } from '../../src/api/common/pin.js'
import { goJson } from '../../src/util/gojson.js'
import { cidOf, compareBytes, fullPin } from './fixtures.js'
import type { PinsetStore } from '../../src/state/types.js'

export interface StoreHarness {
  create: () => Promise<PinsetStore>
  destroy: (store: PinsetStore) => Promise<void>
}

async function collect<T> (it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = []
  for await (const x of it) out.push(x)
  return out
}

export function storeSuite (name: string, h: StoreHarness): void {
  describe(`${name} pinset store`, () => {
    let store: PinsetStore
    before(async () => { store = await h.create() })
    after(async () => { await h.destroy(store) })

    it('reads back a pin in its stored form (second precision, no user allocations)', async () => {
      await store.clean()
      const pin = await fullPin(1)
      await store.add(pin)
      const got = await store.get(pin.cid)
      assert.equal(got.cid.toString(), pin.cid.toString())
      assert.ok(got.cid.equals(pin.cid))
      assert.equal(got.name, pin.name)
      assert.equal(got.type, 'pin')
      assert.equal(got.maxDepth, -1)
      assert.equal(got.mode, 'recursive')
      assert.equal(got.replicationFactorMin, 1)
      assert.equal(got.replicationFactorMax, 3)
      assert.deepEqual(got.allocations, pin.allocations)
      assert.deepEqual(got.origins, pin.origins)
      assert.deepEqual(got.metadata, { a: '1', b: '2' })
      assert.equal(got.userAllocations, undefined)
      assert.equal(got.reference?.toString(), pin.reference?.toString())
      assert.equal(got.timestamp?.toISOString(), '2026-05-01T10:20:30.000Z')
      assert.equal(got.expireAt?.toISOString(), '2030-01-02T03:04:05.000Z')
    })

    it('throws PinNotFoundError for an absent pin and tells presence with has', async () => {
      await store.clean()
      const pin = pinWithOpts(await cidOf(2))
      await assert.rejects(store.get(pin.cid), { name: 'PinNotFoundError', message: 'pin is not part of the pinset' })
      assert.equal(await store.has(pin.cid), false)
      await store.add(pin)
      assert.equal(await store.has(pin.cid), true)
    })

    it('overwrites on add and accepts rm of an absent pin', async () => {
      await store.clean()
      const pin = pinWithOpts(await cidOf(3), { name: 'first' })
      await store.add(pin)
      await store.add({ ...pin, name: 'second', maxDepth: 0, mode: 'direct' })
      const got = await store.get(pin.cid)
      assert.equal(got.name, 'second')
      assert.equal(got.mode, 'direct')
      assert.equal(await store.count(), 1)
      await store.rm(pin.cid)
      await store.rm(pin.cid)
      assert.equal(await store.has(pin.cid), false)
      assert.equal(await store.count(), 0)
    })

    it('lists pins and their JSON in key order with the stored encoding', async () => {
      await store.clean()
      const pins = await Promise.all([0, 1, 2, 3, 4, 5, 6].map(async (i) => await fullPin(i)))
      pins[2].type = 'meta-pin'
      pins[3].type = 'shard-pin'
      pins[3].maxDepth = 1
      pins[4].type = 'clusterdag-pin'
      pins[4].maxDepth = 0
      for (const p of pins) await store.add(p)
      const expected = [...pins].sort((a, b) => compareBytes(a.cid.bytes, b.cid.bytes))

      const listed = await collect(store.list())
      assert.deepEqual(listed.map((p) => p.cid.toString()), expected.map((p) => p.cid.toString()))
      assert.deepEqual(listed.map((p) => p.type), expected.map((p) => p.type))

      const json = await collect(store.listJson())
      assert.deepEqual(json.map((e) => e.type), expected.map((p) => p.type))
      assert.deepEqual(json.map((e) => e.json), expected.map((p) => goJson(pinToJson(p, { stored: true }))))
      assert.deepEqual(json.map((e) => Buffer.from(e.key).toString('hex')), expected.map((p) => Buffer.from(p.cid.bytes).toString('hex')))
      // the escaped name proves Go-style JSON
      assert.match(json[0].json, /name \\u003c\d\\u003e \\u0026 co/)
    })

    it('writes a batch only on commit or when the batch is full', async () => {
      await store.clean()
      const batch = store.batch({ size: 1000 })
      const first = pinWithOpts(await cidOf(0))
      await batch.add(first)
      assert.equal(await store.has(first.cid), false)
      for (let i = 1; i < 2500; i++) await batch.add(pinWithOpts(await cidOf(i)))
      await batch.rm(first.cid)
      assert.ok(await store.count() < 2500)
      await batch.commit()
      assert.equal(await store.count(), 2499)
      assert.equal(await store.has(first.cid), false)
    })

    it('cleans everything', async () => {
      for (let i = 0; i < 10; i++) await store.add(pinWithOpts(await cidOf(i)))
      await store.clean()
      assert.equal(await store.count(), 0)
      assert.deepEqual(await collect(store.list()), [])
    })

    it('lists a large pinset completely, and stops early when the caller does', async () => {
      await store.clean()
      const batch = store.batch()
      const n = 5000
      for (let i = 0; i < n; i++) await batch.add(pinWithOpts(await cidOf(i)))
      await batch.commit()
      let count = 0
      let prev: Uint8Array | undefined
      for await (const e of store.listJson()) {
        if (prev != null) assert.ok(compareBytes(prev, e.key) < 0)
        prev = e.key
        count++
      }
      assert.equal(count, n)
      let seen = 0
      for await (const _ of store.list()) {
        if (++seen === 10) break
      }
      assert.equal(seen, 10)
      // a listing does not see writes made after it began
      const it = store.listJson()
      await it.next()
      await store.add(pinWithOpts(await cidOf(n + 1)))
      let rest = 1
      for await (const _ of it) rest++
      assert.equal(rest, n)
    })

    it('rejects listing with an aborted signal', async () => {
      await store.add(pinWithOpts(await cidOf(1)))
      const signal = AbortSignal.abort()
      await assert.rejects(collect(store.list({ signal })), { name: 'AbortError' })
    })
  })
}
