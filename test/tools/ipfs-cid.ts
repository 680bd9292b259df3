/**
 * Test helper: Debian's `ipfs_cid` (package `ipfs-cid`), a small Go tool printing the CIDs
 * Kubo's `ipfs add` gives a file with its defaults (256 KiB chunks, balanced layout, dag-pb
 * leaves, sha2-256), as CIDv0 and as the same DAG encoded with CIDv1.
 *
 * The binary is taken from PATH when installed (e.g. /usr/bin/ipfs_cid). Otherwise Debian's
 * package is fetched without root: `apt-get download ipfs-cid`, then `dpkg-deb -x` into
 * `node_modules/.cache/ipfs-cid/root/` (found again by later runs). Concurrent test
 * processes each download into a private folder and rename the extracted tree into place:
 * the rename is atomic, the first one wins and the others use its tree.
 *
 * Set `IPFS_CID_BIN_FORCE_DOWNLOAD=1` (or pass `{ forceDownload: true }`) to ignore PATH,
 * which checks the download path on a machine that has the package installed.
 */
import { execFile } from 'node:child_process'
import { constants } from 'node:fs'
import { access, mkdir, mkdtemp, readdir, rename, rm, stat } from 'node:fs/promises'
import { delimiter, dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export interface IpfsCidBinaryOptions {
  /** Ignore an `ipfs_cid` on PATH and use (or fetch) the cached Debian package. */
  forceDownload?: boolean
  /** Where the package is cached; default `<project>/node_modules/.cache/ipfs-cid`. */
  cacheDir?: string
}

const INSTALL_HINT = 'install it with `apt-get install ipfs-cid` (Debian/Ubuntu package ipfs-cid, binary /usr/bin/ipfs_cid)'

interface RunResult { code: number, stdout: string, stderr: string, error?: Error }

function run (file: string, args: string[], cwd?: string): Promise<RunResult> {
  return new Promise((resolvePromise) => {
    execFile(file, args, { cwd, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, LC_ALL: 'C' } }, (error, stdout, stderr) => {
      const code = error == null ? 0 : typeof (error as { code?: unknown }).code === 'number' ? (error as { code: number }).code : -1
      resolvePromise({ code, stdout, stderr, error: error ?? undefined })
    })
  })
}

async function isExecutable (path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK)
    return (await stat(path)).isFile()
  } catch {
    return false
  }
}

async function onPath (name: string): Promise<string | undefined> {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir !== '' && await isExecutable(join(dir, name))) {
      return join(dir, name)
    }
  }
  return undefined
}

/** The project folder: the nearest ancestor of this module holding package.json and node_modules. */
async function projectRoot (): Promise<string> {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (;;) {
    try {
      await access(join(dir, 'package.json'))
      await access(join(dir, 'node_modules'))
      return dir
    } catch {}
    const parent = dirname(dir)
    if (parent === dir) {
      return process.cwd()
    }
    dir = parent
  }
}

/** apt-get's complaints when the package lists are missing or stale. */
const NO_LISTS = /Unable to locate package|has no installation candidate|Can't select candidate|no candidate|Can't find a source to download/i
const APT_LOCKED = /Could not get lock|Unable to lock/i

function failureText (what: string, r: RunResult): string {
  const out = (r.stderr.trim() !== '' ? r.stderr : r.stdout).trim() || r.error?.message || ''
  return `${what} failed (exit ${r.code})${out !== '' ? `: ${out}` : ''}`
}

async function aptListsPresent (): Promise<boolean> {
  try {
    return (await readdir('/var/lib/apt/lists')).some((f) => f.includes('_Packages'))
  } catch {
    return false
  }
}

const sleep = async (ms: number): Promise<void> => await new Promise((resolvePromise) => setTimeout(resolvePromise, ms))

/** `apt-get download ipfs-cid` into `dir`, running `apt-get update` once as root when the lists are missing. */
async function aptDownload (dir: string, failures: string[]): Promise<string | undefined> {
  let updated = false
  const deadline = Date.now() + 120_000
  for (;;) {
    const r = await run('apt-get', ['download', 'ipfs-cid'], dir)
    const deb = (await readdir(dir)).find((f) => f.endsWith('.deb'))
    if (r.code === 0 && deb != null) {
      return join(dir, deb)
    }
    failures.push(failureText('apt-get download ipfs-cid', r))
    const listsMissing = NO_LISTS.test(r.stderr) || !(await aptListsPresent())
    const root = typeof process.getuid === 'function' && process.getuid() === 0
    if (!listsMissing || !root || updated || (r.error as { code?: unknown } | undefined)?.code === 'ENOENT') {
      return undefined
    }
    // another test process may be running `apt-get update` at the same time: wait for it
    const u = await run('apt-get', ['update'])
    if (u.code !== 0) {
      failures.push(failureText('apt-get update', u))
      if (APT_LOCKED.test(u.stderr) && Date.now() < deadline) {
        await sleep(2000)
        continue
      }
    }
    updated = true
  }
}

async function download (cacheDir: string): Promise<string> {
  const installed = join(cacheDir, 'root')
  const binary = join(installed, 'usr', 'bin', 'ipfs_cid')
  if (await isExecutable(binary)) {
    return binary
  }
  await mkdir(cacheDir, { recursive: true })
  const work = await mkdtemp(join(cacheDir, `tmp-${process.pid}-`))
  const failures: string[] = []
  try {
    const deb = await aptDownload(work, failures)
    if (deb != null) {
      const extracted = join(work, 'root')
      const x = await run('dpkg-deb', ['-x', deb, extracted])
      if (x.code !== 0) {
        failures.push(failureText(`dpkg-deb -x ${deb}`, x))
      } else if (!(await isExecutable(join(extracted, 'usr', 'bin', 'ipfs_cid')))) {
        failures.push(`${deb} has no usr/bin/ipfs_cid`)
      } else {
        try {
          await rename(extracted, installed)
        } catch (err) {
          // another process renamed its tree first: use that one
          const code = (err as NodeJS.ErrnoException).code
          if (code !== 'ENOTEMPTY' && code !== 'EEXIST') {
            failures.push(`rename into ${installed}: ${(err as Error).message}`)
          }
        }
        if (await isExecutable(binary)) {
          return binary
        }
      }
    }
  } finally {
    await rm(work, { recursive: true, force: true })
  }
  throw new Error(`ipfs_cid not found on PATH and Debian's ipfs-cid package could not be fetched into ${cacheDir}; ` +
    `${INSTALL_HINT}.\n${failures.join('\n')}`)
}

const memo = new Map<string, Promise<string>>()

/**
 * Path of the `ipfs_cid` binary: from PATH, else from Debian's package downloaded into the
 * cache folder. Cached per process: later calls return at once.
 *
 * @throws Error saying to `apt-get install ipfs-cid` when neither works
 */
export async function ipfsCidBinary (options: IpfsCidBinaryOptions = {}): Promise<string> {
  const force = options.forceDownload ?? process.env.IPFS_CID_BIN_FORCE_DOWNLOAD === '1'
  const cacheDir = resolve(options.cacheDir ?? join(await projectRoot(), 'node_modules', '.cache', 'ipfs-cid'))
  const key = `${force ? 'download' : 'path'}:${cacheDir}`
  let p = memo.get(key)
  if (p == null) {
    p = (async () => (force ? undefined : await onPath('ipfs_cid')) ?? await download(cacheDir))()
    memo.set(key, p)
    // a failure is not cached: a later call tries again
    p.catch(() => { if (memo.get(key) === p) memo.delete(key) })
  }
  return await p
}

/** Kubo's default CIDs of a file, as printed by `ipfs_cid <path>`. */
export async function ipfsCid (path: string, options: IpfsCidBinaryOptions = {}): Promise<{ v0: string, v1: string }> {
  const bin = await ipfsCidBinary(options)
  const r = await run(bin, [path])
  if (r.code !== 0) {
    throw new Error(failureText(`${bin} ${path}`, r))
  }
  const line = r.stdout.split('\n').find((l) => l.trim().startsWith('{'))
  if (line == null) {
    throw new Error(`${bin} ${path} printed no JSON line: ${JSON.stringify(r.stdout)}`)
  }
  const out = JSON.parse(line) as { CIDv0?: unknown, CIDv1?: unknown }
  if (typeof out.CIDv0 !== 'string' || typeof out.CIDv1 !== 'string') {
    throw new Error(`${bin} ${path} printed an unexpected line: ${line}`)
  }
  return { v0: out.CIDv0, v1: out.CIDv1 }
}
