/**
 * `npm run bench`: runs every benchmark in turn, each in its own process (JSON lines on
 * stdout). BENCH_ONLY=run|add|cluster picks one (comma-separated names allowed).
 */
import { spawn } from 'node:child_process'
import { join } from 'node:path'

const BENCHES = ['run', 'add', 'cluster']
const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim()).filter(Boolean)
const dir = new URL('.', import.meta.url).pathname

let failed = false
for (const name of BENCHES) {
  if (only != null && only.length > 0 && !only.includes(name)) continue
  const code = await new Promise<number>((resolve) => {
    const child = spawn(process.execPath, [join(dir, `${name}.js`)], { stdio: 'inherit' })
    child.on('close', (c) => { resolve(c ?? 1) })
  })
  if (code !== 0) {
    process.stderr.write(`bench ${name} failed (exit ${code})\n`)
    failed = true
  }
}
if (failed) process.exitCode = 1
