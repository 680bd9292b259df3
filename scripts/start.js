#!/usr/bin/env node
// `npm start`: initialise a config on first run, then run the daemon (embedded IPFS).
import { existsSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { spawnSync, spawn } from 'node:child_process'
import { DAEMON_NODE_FLAGS } from '../bin/runtime.js'

const dir = process.env.IPFS_CLUSTER_PATH ?? join(homedir(), '.ipfs-cluster')
const bin = new URL('../bin/ipfs-cluster-service.js', import.meta.url).pathname
if (!existsSync(join(dir, 'service.json'))) {
  const r = spawnSync(process.execPath, [bin, '--config', dir, 'init'], { stdio: 'inherit' })
  if (r.status !== 0) process.exit(r.status ?? 1)
}
const child = spawn(process.execPath, [...DAEMON_NODE_FLAGS, bin, '--config', dir, 'daemon', ...process.argv.slice(2)], { stdio: 'inherit' })
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => { child.kill(sig) })
child.on('exit', (code, signal) => { process.exit(code ?? (signal != null ? 1 : 0)) })
