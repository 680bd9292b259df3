/**
 * The config folder lock: `<dir>/cluster.lock` created exclusively with the
 * owner's pid inside. A lock whose pid is no longer alive is taken over.
 */
import { open, readFile, rm, mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { LockedError } from '../interface/errors.js'

/** Name of the lock file inside the config folder. */
export const LOCK_FILE = 'cluster.lock'

/** A held lock. */
export interface FolderLock {
  /** Removes the lock file; safe to call twice. */
  release: () => Promise<void>
}

function alive (pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false
  try {
    process.kill(pid, 0)
    return true
  } catch (err: any) {
    // EPERM: the process exists but belongs to someone else
    return err.code === 'EPERM'
  }
}

async function tryCreate (path: string): Promise<boolean> {
  try {
    const fh = await open(path, 'wx', 0o600)
    try {
      await fh.writeFile(String(process.pid))
    } finally {
      await fh.close()
    }
    return true
  } catch (err: any) {
    if (err.code === 'EEXIST') return false
    throw err
  }
}

/**
 * Acquires the lock of `dir` (created with mode 0700 if missing). Throws
 * LockedError when a live process holds it.
 */
export async function acquireLock (dir: string): Promise<FolderLock> {
  await mkdir(dir, { recursive: true, mode: 0o700 })
  const path = join(dir, LOCK_FILE)
  for (let attempt = 0; attempt < 3; attempt++) {
    if (await tryCreate(path)) {
      let released = false
      return {
        release: async () => {
          if (released) return
          released = true
          await rm(path, { force: true })
        }
      }
    }
    let owner = NaN
    try {
      owner = Number.parseInt((await readFile(path, 'utf8')).trim(), 10)
    } catch (err: any) {
      if (err.code === 'ENOENT') continue
      throw err
    }
    if (alive(owner)) {
      throw new LockedError(
        `cannot acquire lock file ${path}: someone else has the lock (pid ${owner}). ` +
        'Is there another ipfs-cluster-service process running in this folder? ' +
        `Otherwise remove the lock file ${path}, or make sure that the config folder is writable for the user running ipfs-cluster-service.`
      )
    }
    // stale: the owner died without releasing it
    await rm(path, { force: true })
  }
  throw new LockedError(`cannot acquire lock file ${path}: it keeps being recreated. Is there another ipfs-cluster-service process running in this folder? Otherwise remove the lock file`)
}
