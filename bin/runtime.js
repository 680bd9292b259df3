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

/** Resolves when the current Node is recent enough; otherwise re-executes and never resolves. */
export function ensureRuntime (script) {
  const major = Number(process.versions.node.split('.')[0])
  if (major >= MIN_MAJOR) return Promise.resolve()
  const bundled = new URL('../node_modules/node/bin/node', import.meta.url).pathname
  if (!existsSync(bundled)) {
    process.stderr.write(`error : Node.js >= ${MIN_MAJOR} is required (found ${process.version}); run npm ci\n`)
    process.exit(1)
  }
  // the flags this Node was started with (e.g. from the shebang) apply to the real run
  const child = spawn(bundled, [...process.execArgv, script, ...process.argv.slice(2)], { stdio: 'inherit' })
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => { child.kill(sig) })
  child.on('exit', (code, signal) => { process.exit(code ?? (signal != null ? 1 : 0)) })
  return new Promise(() => {})
}
