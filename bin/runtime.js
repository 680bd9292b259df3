// The project brings Node 24 as the npm package `node` (the machines' Node 20 is end of life and
// breaks Helia/libp2p). When started by an older Node, re-run this program under the bundled one.
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'

const MIN_MAJOR = 22

/**
 * V8 flags of the daemon that only work from the command line (V8 sizes its young
 * generation at start-up): the shebang of bin/ipfs-cluster-service.js carries them, and
 * `npm start` and the benchmarks pass them. Without the cap, V8 grows each semi-space to
 * 64 MB on a large machine, and a listing of a million pins then promotes enough garbage
 * to add ~250 MB of RSS. With 8 MB the young generation stays at 16 MB (see
 * docs/benchmarks.md for the figures). Flags V8 reads at every collection are set at
 * runtime in bin/ipfs-cluster-service.js instead (some do not exist in Node 20's V8, which
 * runs the shebang before the re-exec).
 */
export const DAEMON_NODE_FLAGS = ['--max-semi-space-size=8']

/**
 * glibc's malloc arenas for the daemon: one per thread that allocates by default (up to
 * 8 per core: libuv's pool, LevelDB's compactions, the block writer's worker, …), and the
 * memory freed in each stays resident. A peer joining a cluster of a million pins peaked at
 * ~780 MB with the default and ~575 MB with 2, at the same speed (docs/benchmarks.md).
 * glibc reads the variable at start-up only, so the daemon re-executes itself with it
 * (same process: `process.execve`) unless the operator set it. Ignored by other libcs.
 */
export const DAEMON_MALLOC_ARENA_MAX = '2'

/** The environment a daemon run should have; undefined when it has it already. */
function daemonEnv (args) {
  if (process.platform !== 'linux' || !args.includes('daemon') || process.env.MALLOC_ARENA_MAX != null) return undefined
  return { ...process.env, MALLOC_ARENA_MAX: DAEMON_MALLOC_ARENA_MAX }
}

/** Resolves when the current Node is recent enough; otherwise re-executes and never resolves. */
export function ensureRuntime (script) {
  const major = Number(process.versions.node.split('.')[0])
  const args = process.argv.slice(2)
  const env = daemonEnv(args)
  if (major >= MIN_MAJOR) {
    if (env != null && typeof process.execve === 'function') {
      try {
        process.execve(process.execPath, [process.execPath, ...process.execArgv, script, ...args], env)
      } catch {
        // not replaced (e.g. a permission model): run with the default arenas
      }
    }
    return Promise.resolve()
  }
  const bundled = new URL('../node_modules/node/bin/node', import.meta.url).pathname
  if (!existsSync(bundled)) {
    process.stderr.write(`error : Node.js >= ${MIN_MAJOR} is required (found ${process.version}); run npm ci\n`)
    process.exit(1)
  }
  // the flags this Node was started with (e.g. from the shebang) apply to the real run
  const child = spawn(bundled, [...process.execArgv, script, ...args], { stdio: 'inherit', env: env ?? process.env })
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => { child.kill(sig) })
  child.on('exit', (code, signal) => { process.exit(code ?? (signal != null ? 1 : 0)) })
  return new Promise(() => {})
}
