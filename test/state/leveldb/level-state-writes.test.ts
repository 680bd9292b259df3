import { describe, it, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pinWithOpts } from '../../../src/api/common/pin.js'
import { levelState } from '../../../src/state/leveldb/index.js'
import { silentLogger } from '../../../src/util/logger.js'
import { cidOf, fullPin } from '../fixtures.js'
import type { PinsetStore } from '../../../src/state/leveldb/index.js'

const dirs: string[] = []
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true })
})

async function store (path?: string): Promise<{ s: PinsetStore, path: string }> {
  if (path == null) {
    const d = await mkdtemp(join(tmpdir(), 'state-writes-'))
    dirs.push(d)
    path = join(d, 'db')
  }
  const s = levelState({ path })({ logger: silentLogger() })
  await s.start?.()
  return { s, path }
}

describe('leveldb pinset store: concurrent writes', () => {
  it('stores every concurrent add, each readable once its promise resolves', async () => {
    const { s } = await store()
    const pins = await Promise.all(Array.from({ length: 200 }, async (_, i) => await fullPin(i)))
    await Promise.all(pins.map(async (p) => {
      await s.add(p)
      // committed before the caller goes on (the REST API answers only then)
      assert.equal((await s.get(p.cid)).name, p.name)
    }))
    assert.equal(await s.count(), 200)
    await s.stop?.()
  })

  it('keeps the order of concurrent writes to one CID', async () => {
    const { s } = await store()
    const cid = await cidOf(1)
    await Promise.all([
      s.add(pinWithOpts(cid, { name: 'first' })),
      s.add(pinWithOpts(cid, { name: 'second' })),
      s.rm(cid),
      s.add(pinWithOpts(cid, { name: 'last' }))
    ])
    assert.equal((await s.get(cid)).name, 'last')
    await Promise.all([s.add(pinWithOpts(cid, { name: 'again' })), s.rm(cid)])
    assert.equal(await s.has(cid), false)
    await s.stop?.()
  })

  it('finishes the writes it accepted before stop closes the database', async () => {
    const { s, path } = await store()
    const pins = await Promise.all(Array.from({ length: 50 }, async (_, i) => await fullPin(i)))
    const writes = pins.map(async (p) => { await s.add(p) })
    await s.stop?.()
    await Promise.all(writes)
    const { s: s2 } = await store(path)
    assert.equal(await s2.count(), 50)
    await s2.stop?.()
  })

  it('rejects writes after stop', async () => {
    const { s } = await store()
    await s.stop?.()
    await assert.rejects(s.add(await fullPin(1)), { name: 'StateNotStartedError' })
  })
})
