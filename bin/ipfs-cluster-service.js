#!/usr/bin/env node
import { ensureRuntime } from './runtime.js'
await ensureRuntime(new URL(import.meta.url).pathname)
// Process title lets `pgrep ipfs-cluster-s` find the daemon, as the reference's scripts do.
process.title = 'ipfs-cluster-service'
// Cap V8's young generation: under load it grows to ~128 MB per semi-space and is not given
// back, which is most of the daemon's RSS peak while streaming large listings.
const { setFlagsFromString } = await import('node:v8')
setFlagsFromString('--max-semi-space-size=16')
const { main } = await import('../dist/src/cli/service/index.js')
await main(process.argv.slice(2))
