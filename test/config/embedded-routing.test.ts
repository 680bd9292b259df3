import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { initConfig, loadConfig } from '../../src/config/index.js'
import { GO_FULL } from './fixtures.js'
import { quiet, tempDirsPerTest, writeConfig } from './helpers.js'

const dir = tempDirsPerTest()

function withEmbedded (embedded: Record<string, unknown>): unknown {
  const json = structuredClone(GO_FULL) as any
  json.ipfs_connector.embedded = embedded
  return json
}

describe('ipfs_connector.embedded.routing', () => {
  it('is written by init as "dht"', async () => {
    const d = await dir()
    await initConfig(d, { env: {} })
    const root = JSON.parse(await readFile(join(d, 'service.json'), 'utf8'))
    assert.equal(root.ipfs_connector.embedded.routing, 'dht')
    assert.equal((await loadConfig(d, quiet())).embedded.routing, 'dht')
  })

  it('defaults to "dht" in configs written before the key existed', async () => {
    const d = await dir()
    await writeConfig(d, withEmbedded({ repo_folder: 'ipfs' }))
    assert.equal((await loadConfig(d, quiet())).embedded.routing, 'dht')
    await writeConfig(d, withEmbedded({ routing: '' }))
    assert.equal((await loadConfig(d, quiet())).embedded.routing, 'dht')
  })

  it('takes "dhtclient" and "none" from the file and CLUSTER_EMBEDDED_ROUTING from the environment', async () => {
    const d = await dir()
    await writeConfig(d, withEmbedded({ routing: 'none' }))
    assert.equal((await loadConfig(d, quiet())).embedded.routing, 'none')
    assert.equal((await loadConfig(d, quiet({ CLUSTER_EMBEDDED_ROUTING: 'dhtclient' }))).embedded.routing, 'dhtclient')
  })

  it('refuses an unknown value', async () => {
    const d = await dir()
    await writeConfig(d, withEmbedded({ routing: 'auto' }))
    await assert.rejects(loadConfig(d, quiet()), (err: any) => {
      assert.equal(err.name, 'InvalidConfigError')
      assert.ok(err.problems.includes('embedded.routing must be one of "dht", "dhtclient", "none", not "auto"'), err.message)
      return true
    })
  })
})
