import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { generateIdentityJson, loadConfig } from '../../src/config/index.js'
import { GO_FULL, SHARNESS_IDENTITY } from './fixtures.js'
import { quiet, tempDirsPerTest, writeConfig } from './helpers.js'

const dir = tempDirsPerTest()

describe('identity', () => {
  it('generates Ed25519 identities encoded as CAESQ…', async () => {
    const a = await generateIdentityJson()
    const b = await generateIdentityJson()
    assert.match(a.private_key, /^CAESQ[A-Za-z0-9+/]+=*$/)
    assert.notEqual(a.id, b.id)
  })

  it('rejects an ID that does not match the key', async () => {
    const d = await dir()
    const other = await generateIdentityJson()
    const mine = await generateIdentityJson()
    await writeConfig(d, GO_FULL, { id: other.id, private_key: mine.private_key })
    await assert.rejects(loadConfig(d, quiet()), (err: any) =>
      err.name === 'InvalidConfigError' && err.problems.some((p: string) => p.endsWith('identity ID does not match the private_key')))
  })

  it('rejects an undecodable key and a missing identity', async () => {
    const d = await dir()
    const mine = await generateIdentityJson()
    await writeConfig(d, GO_FULL, { id: mine.id, private_key: '!!!' })
    await assert.rejects(loadConfig(d, quiet()), (err: any) => err.problems.some((p: string) => p.includes('error decoding private_key')))
    const d2 = await dir()
    await writeConfig(d2, GO_FULL, false)
    await assert.rejects(loadConfig(d2, quiet()), (err: any) => err.problems.some((p: string) => p.includes('no such file')))
  })

  it('applies CLUSTER_ID and CLUSTER_PRIVATEKEY', async () => {
    const d = await dir()
    await writeConfig(d, GO_FULL)
    const cfg = await loadConfig(d, quiet({ CLUSTER_ID: SHARNESS_IDENTITY.id, CLUSTER_PRIVATEKEY: SHARNESS_IDENTITY.private_key }))
    assert.equal(cfg.identity.id.toString(), SHARNESS_IDENTITY.id)
  })

  it('migrates a legacy identity from the cluster section', async () => {
    const d = await dir()
    const json = structuredClone(GO_FULL) as any
    json.cluster.id = SHARNESS_IDENTITY.id
    json.cluster.private_key = SHARNESS_IDENTITY.private_key
    await writeConfig(d, json, false)
    const notices: string[] = []
    const cfg = await loadConfig(d, { env: {}, onNotice: (m) => notices.push(m) })
    assert.equal(cfg.identity.id.toString(), SHARNESS_IDENTITY.id)
    const written = JSON.parse(await readFile(join(d, 'identity.json'), 'utf8'))
    assert.deepEqual(written, SHARNESS_IDENTITY)
    assert.equal((await stat(join(d, 'identity.json'))).mode & 0o777, 0o600)
    assert.ok(notices.some((n) => n.includes('identity information extracted')))
  })
})
