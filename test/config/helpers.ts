/** Temp folders and file writers for the config tests. */
import { mkdtemp, writeFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach } from 'node:test'
import { generateIdentityJson } from '../../src/config/index.js'

/** A fresh temp folder. */
export async function tempDir (): Promise<string> {
  return mkdtemp(join(tmpdir(), 'cfg-test-'))
}

/** Removes a temp folder. */
export async function cleanup (dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true })
}

/** A maker of temp folders for the calling test file, all removed after each test. */
export function tempDirsPerTest (): () => Promise<string> {
  const dirs: string[] = []
  afterEach(async () => { await Promise.all(dirs.splice(0).map(cleanup)) })
  return async () => {
    const d = await tempDir()
    dirs.push(d)
    return d
  }
}

/** Writes service.json (and a fresh identity.json unless `identity` is false or given). */
export async function writeConfig (dir: string, service: unknown, identity: unknown = true): Promise<void> {
  await writeFile(join(dir, 'service.json'), JSON.stringify(service, null, 2))
  if (identity === true) await writeFile(join(dir, 'identity.json'), JSON.stringify(await generateIdentityJson()))
  else if (identity !== false) await writeFile(join(dir, 'identity.json'), JSON.stringify(identity))
}

/** Options for quiet loads with a given environment. */
export function quiet (env: NodeJS.ProcessEnv = {}): { env: NodeJS.ProcessEnv, onNotice: (m: string) => void } {
  return { env, onNotice: () => {} }
}
