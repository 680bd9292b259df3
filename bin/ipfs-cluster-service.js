#!/usr/bin/env -S node --max-semi-space-size=8
// The shebang's V8 flags are DAEMON_NODE_FLAGS (bin/runtime.js): keep both the same.
import { ensureRuntime } from './runtime.js'
await ensureRuntime(new URL(import.meta.url).pathname)
// Process title lets `pgrep ipfs-cluster-s` find the daemon, as the reference's scripts do.
process.title = 'ipfs-cluster-service'
// Buffers (ArrayBuffers) count against V8's global heap limit instead of forcing a full
// collection every few MB of them: an `add` streams its whole upload through buffers, and
// without this a 512 MiB add ran ~400 full collections (a third of the daemon's CPU).
// Also read at each collection (set here: Node 20's V8, which runs the shebang, lacks it).
const { setFlagsFromString } = await import('node:v8')
setFlagsFromString('--external-memory-accounted-in-global-limit')
// Old generation: collect once it grew by 30 % (src/daemon/heap-tuning.ts says why).
const { tuneHeapForDaemon } = await import('../dist/src/daemon/heap-tuning.js')
tuneHeapForDaemon()
const { main } = await import('../dist/src/cli/service/index.js')
await main(process.argv.slice(2))
