/**
 * The daemon's old-generation growth policy, and a lighter one while data streams through.
 *
 * A listing of millions of pins leaves JS objects behind: with V8's dynamic growth the old
 * generation may grow up to 4x between full collections, hundreds of MB of garbage kept
 * resident, so the daemon collects once it grew by 30 % (`--heap-growing-percent=30`).
 * An `add` is the opposite case: its garbage is buffers (upload reads, chunks), freed at
 * every collection whatever the policy, but its live buffers (queues, writes in flight)
 * alone fill a 30 % headroom: it ran a full collection every ~15 MB of upload, and a
 * 256 MiB add took 1.1–1.5 s of daemon CPU instead of ~0.6 s. While any such stream
 * runs, the old generation may double (the flag is read at every collection, so the
 * change applies from the next one). V8's dynamic policy (0) is no help there: under a
 * high allocation rate it picks its minimum growth.
 */
import v8 from 'node:v8'

/** The daemon's growth percentage (0 = V8's dynamic factor). */
export const DAEMON_HEAP_GROWING_PERCENT = 30

let tuned = false
let streams = 0

/** Sets the daemon's policy (bin/ipfs-cluster-service.js, once at start). */
export function tuneHeapForDaemon (): void {
  v8.setFlagsFromString(`--heap-growing-percent=${DAEMON_HEAP_GROWING_PERCENT}`)
  tuned = true
}

/**
 * Runs `fn` with 100 % old-generation growth (buffer-heavy work such as an add); nested
 * and concurrent calls share it, the daemon's policy comes back when the last one ends.
 * A no-op in processes that did not call `tuneHeapForDaemon` (tests, tools).
 */
export async function withBufferHeavyWork<T> (fn: () => Promise<T>): Promise<T> {
  if (!tuned) return await fn()
  if (streams++ === 0) v8.setFlagsFromString('--heap-growing-percent=100')
  try {
    return await fn()
  } finally {
    if (--streams === 0) v8.setFlagsFromString(`--heap-growing-percent=${DAEMON_HEAP_GROWING_PERCENT}`)
  }
}
