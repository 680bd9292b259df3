#!/usr/bin/env node
process.title = 'ipfs-cluster-ctl'
const { main } = await import('../dist/src/cli/ctl/index.js')
await main(process.argv.slice(2))
