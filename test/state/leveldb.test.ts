import { describe, it, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { levelState } from '../../src/state/leveldb/index.js'
import { silentLogger } from '../../src/util/logger.js'
import { cidOf, fullPin } from './fixtures.js'
import { storeSuite } from './suite.js'
import { pinWithOpts } from '../../src/api/common/pin.js'

const dirs: string[] = []
async function tempDir (): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'state-test-'))
  dirs.push(d)
  return d
}
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true })
})

storeSuite('leveldb', {
  create: async () => {
    const s = levelState({ path: join(await tempDir(), 'db') })({ logger: silentLogger() })
    await s.start?.()
    return s
  },
  destroy: async (s) => { await s.stop?.() }
})

describe('leveldb pinset store lifecycle', () => {
  it('keeps pins across a stop and a new start', async () => {
    const path = join(await tempDir(), 'db')
    const s1 = levelState({ path })({ logger: silentLogger() })
    await s1.start?.()
    const pin = await fullPin(7)
    await s1.add(pin)
    await s1.stop?.()
    await s1.stop?.()

    const s2 = levelState({ path })({ logger: silentLogger() })
    await s2.start?.()
    await s2.start?.()
    const got = await s2.get(pin.cid)
    assert.equal(got.name, pin.name)
    assert.equal(await s2.count(), 1)
    await s2.stop?.()
  })

  it('refuses work before start', async () => {
    const s = levelState({ path: join(await tempDir(), 'db') })({ logger: silentLogger() })
    await assert.rejects(s.add(pinWithOpts(await cidOf(1))), { name: 'StateNotStartedError' })
    await s.stop?.()
  })

  it('reports a store opened twice as locked', async () => {
    const path = join(await tempDir(), 'db')
    const s1 = levelState({ path })({ logger: silentLogger() })
    await s1.start?.()
    const s2 = levelState({ path })({ logger: silentLogger() })
    await assert.rejects(async () => { await s2.start?.() }, { name: 'LockedError' })
    await s1.stop?.()
  })

  it('writes a large batch import in chunks', async () => {
    const s = levelState({ path: join(await tempDir(), 'db'), batchSize: 10_000 })({ logger: silentLogger() })
    await s.start?.()
    const b = s.batch()
    for (let i = 0; i < 25_000; i++) await b.add(pinWithOpts(await cidOf(i)))
    assert.equal(await s.count(), 20_000)
    await b.commit()
    assert.equal(await s.count(), 25_000)
    await s.stop?.()
  })
})
