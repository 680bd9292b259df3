#!/usr/bin/env node
import { ensureRuntime } from './runtime.js'
await ensureRuntime(new URL(import.meta.url).pathname)
process.title = 'ipfs-cluster-ctl'
const { main } = await import('../dist/src/cli/ctl/index.js')
await main(process.argv.slice(2))
