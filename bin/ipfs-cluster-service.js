#!/usr/bin/env node
import { ensureRuntime } from './runtime.js'
await ensureRuntime(new URL(import.meta.url).pathname)
// Process title lets `pgrep ipfs-cluster-s` find the daemon, as the reference's scripts do.
process.title = 'ipfs-cluster-service'
const { main } = await import('../dist/src/cli/service/index.js')
await main(process.argv.slice(2))
