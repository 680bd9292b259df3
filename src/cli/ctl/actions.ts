/** Helpers shared by command actions: Go `parseMetadata`, `--expire-in`, and `--wait` with its progress line. */
import { parseDurationNs } from '../../util/duration.js'
import { checkErr } from './ctl.js'
import { startWaitProgress } from './progress.js'
import { waitFor } from './wait.js'
import type { Context } from './app.js'
import type { Ctl } from './ctl.js'

type Json = Record<string, any>

/** Go `parseMetadata`: `key=value` items split at the first `=`; exits 1 on an item without `=`. */
export function parseMetadata (ctl: Ctl, list: string[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const s of list) {
    const i = s.indexOf('=')
    if (i < 0) checkErr(ctl, 'parsing metadata', new Error('metadata were not in the format key=value'))
    out[s.slice(0, i)] = s.slice(i + 1)
  }
  return out
}

/** `--expire-in` as an absolute time (now + duration); undefined when unset; exits 1 on a bad duration. */
export function expireAt (ctl: Ctl, c: Context): Date | undefined {
  const text = c.string('expire-in')
  if (text === '') return undefined
  let ns: bigint
  try {
    ns = parseDurationNs(text)
  } catch (err) {
    checkErr(ctl, 'parsing expire-in', err)
  }
  return new Date(Date.now() + Number(ns / 1_000_000n))
}

/** What to wait for. */
export interface WaitStatusOptions {
  cid: string
  target: 'pinned' | 'unpinned'
  /** Peers that must reach the target; ≤ 0 = all. */
  limit: number
  /** ms; ≤ 1 s = no limit. */
  timeout: number
}

/**
 * The ctl's `waitFor`: polls until the target is reached and returns the last
 * status, drawing a progress line on a terminal. A failure prints
 * `error waiting for pin status: …` and exits (62 on deadline).
 */
export async function waitForStatus (ctl: Ctl, opts: WaitStatusOptions): Promise<Json> {
  // on a terminal only: a progress line on stderr, erased before anything else is printed
  const progress = ctl.statusLine != null ? startWaitProgress(ctl.statusLine, opts) : undefined
  let status: Json
  try {
    status = await waitFor(ctl.client, { ...opts, checkFreq: ctl.checkFreq, onStatus: progress?.update })
  } catch (err) {
    progress?.stop()
    checkErr(ctl, 'waiting for pin status', err)
  }
  progress?.stop()
  return status
}
