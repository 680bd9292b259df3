import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { readFile, writeFile } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { spawnSync } from 'node:child_process'
import { acquireLock } from '../../src/config/index.js'
import { tempDirsPerTest } from './helpers.js'

const dir = tempDirsPerTest()

/** A pid that is certainly dead: a child that already exited. */
function deadPid (): number {
  const res = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'])
  return Number(res.stdout.toString())
}

describe('acquireLock', () => {
  it('creates cluster.lock with the pid and removes it on release', async () => {
    const d = await dir()
    const lock = await acquireLock(d)
    assert.equal(await readFile(join(d, 'cluster.lock'), 'utf8'), String(process.pid))
    await lock.release()
    assert.equal(existsSync(join(d, 'cluster.lock')), false)
    await lock.release()
  })

  it('refuses a second acquisition while held', async () => {
    const d = await dir()
    const lock = await acquireLock(d)
    await assert.rejects(acquireLock(d), (err: any) =>
      err.name === 'LockedError' && err.message.includes('cannot acquire lock file') && err.message.includes('Is there another ipfs-cluster-service process running'))
    await lock.release()
    const again = await acquireLock(d)
    await again.release()
  })

  it('takes over a stale lock of a dead process', async () => {
    const d = await dir()
    await writeFile(join(d, 'cluster.lock'), String(deadPid()))
    const lock = await acquireLock(d)
    assert.equal(await readFile(join(d, 'cluster.lock'), 'utf8'), String(process.pid))
    await lock.release()
  })

  it('takes over an empty lock file left by another implementation', async () => {
    const d = await dir()
    await writeFile(join(d, 'cluster.lock'), '')
    const lock = await acquireLock(d)
    await lock.release()
  })
})
