// The project brings Node 24 as the npm package `node` (the machines' Node 20 is end of life and
// breaks Helia/libp2p). When started by an older Node, re-run this program under the bundled one.
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'

const MIN_MAJOR = 22

/** Resolves when the current Node is recent enough; otherwise re-executes and never resolves. */
export function ensureRuntime (script) {
  const major = Number(process.versions.node.split('.')[0])
  if (major >= MIN_MAJOR) return Promise.resolve()
  const bundled = new URL('../node_modules/node/bin/node', import.meta.url).pathname
  if (!existsSync(bundled)) {
    process.stderr.write(`error : Node.js >= ${MIN_MAJOR} is required (found ${process.version}); run npm ci\n`)
    process.exit(1)
  }
  const child = spawn(bundled, [script, ...process.argv.slice(2)], { stdio: 'inherit' })
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => { child.kill(sig) })
  child.on('exit', (code, signal) => { process.exit(code ?? (signal != null ? 1 : 0)) })
  return new Promise(() => {})
}
