/**
 * Gives memory back to the system once the daemon is idle after a burst of work.
 *
 * Why: pinning or listing a large pinset allocates at a high rate; V8 then grows its
 * young generation to its maximum (~130 MB on a machine with 24 GB) and lets garbage
 * pile up in the old generation, and keeps both when the work stops, because it only
 * collects when allocating. An idle peer that had recovered 100,000 pins kept ~300 MB
 * of RSS that way, of which ~50 MB was live. When the event loop has been idle for a
 * whole check interval and the V8 heap grew well beyond its size after the last
 * reduction (or the process's anonymous memory did: V8 pools freed pages outside its
 * heap size), one memory-reducing collection (the one the inspector's
 * `HeapProfiler.collectGarbage` runs: it also shrinks the young generation and
 * releases pooled pages) brings the RSS back near that of a fresh daemon.
 * It costs one pause of ~50-100 ms per burst, taken only when nothing else runs.
 */
import { readFileSync } from 'node:fs'
import { performance } from 'node:perf_hooks'
import v8 from 'node:v8'
import type { Logger } from '@libp2p/interface'
import type { Session } from 'node:inspector/promises'
import type { EventLoopUtilization } from 'node:perf_hooks'

export interface MemoryReducerInit {
  /** How often idleness and heap size are checked (ms). @default 1_000 */
  interval?: number
  /** Heap (or anonymous RSS) growth since the last reduction that is worth a collection. @default 24 MiB (idle 1M-pin daemons were left 40 MB above their floor at 48) */
  threshold?: number
  /** Event-loop utilisation (0..1) below which an interval counts as idle. @default 0.05 */
  idleUtilization?: number
}

/** A running reducer. */
export interface MemoryReducer {
  stop: () => void
}

/**
 * A memory-reducing full collection through an in-process inspector session, opened
 * at the first collection (a daemon that never needs one never opens it).
 */
function reducingCollector (): { collect: () => Promise<void>, close: () => void } {
  let session: Session | undefined
  return {
    collect: async () => {
      if (session == null) {
        const { Session } = await import('node:inspector/promises')
        session = new Session()
        session.connect()
      }
      await session.post('HeapProfiler.collectGarbage')
    },
    close: () => {
      session?.disconnect()
      session = undefined
    }
  }
}

/**
 * Anonymous resident memory (Linux `RssAnon`), else the whole RSS. V8 keeps the pages
 * a full collection freed in a pool that its heap size does not count: only the
 * process's memory shows them.
 */
export function anonymousRss (): number {
  try {
    const m = /RssAnon:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'latin1'))
    if (m != null) return Number(m[1]) * 1024
  } catch {}
  return process.memoryUsage.rss()
}

/** Starts checking; the timer does not keep the process alive. */
export function startMemoryReducer (init: MemoryReducerInit = {}, log?: Logger): MemoryReducer {
  const interval = init.interval ?? 1_000
  const threshold = init.threshold ?? 24 * 1024 * 1024
  const idle = init.idleUtilization ?? 0.05
  const collector = reducingCollector()
  let baseline = v8.getHeapStatistics().total_heap_size
  let anonBaseline = anonymousRss()
  let last: EventLoopUtilization = performance.eventLoopUtilization()
  let running = false
  const timer = setInterval(() => {
    const now = performance.eventLoopUtilization()
    const elu = performance.eventLoopUtilization(now, last)
    last = now
    if (running || elu.utilization >= idle) return
    const before = v8.getHeapStatistics().total_heap_size
    const anonBefore = anonymousRss()
    if (before < baseline + threshold && anonBefore < anonBaseline + threshold) return
    running = true
    const t0 = performance.now()
    collector.collect().then(() => {
      baseline = v8.getHeapStatistics().total_heap_size
      // native memory that no collection frees only triggers again once it grew further
      anonBaseline = anonymousRss()
      log?.('idle: heap %d MB -> %d MB, anonymous RSS %d MB -> %d MB in %d ms', Math.round(before / 2 ** 20),
        Math.round(baseline / 2 ** 20), Math.round(anonBefore / 2 ** 20), Math.round(anonBaseline / 2 ** 20),
        Math.round(performance.now() - t0))
    }, (err) => {
      // e.g. a Node built without the inspector: no point in trying again
      log?.('memory reduction unavailable: %s', err?.message ?? err)
      clearInterval(timer)
    }).finally(() => {
      running = false
      // the collection itself is not work to judge the next interval by
      last = performance.eventLoopUtilization()
    })
  }, interval)
  timer.unref()
  return {
    stop: () => {
      clearInterval(timer)
      collector.close()
    }
  }
}
