/**
 * Progress lines of `--wait` and of `add` uploads: one self-updating line on
 * stderr, drawn only when stderr is a terminal (the Go ctl prints nothing
 * meanwhile, so stdout and non-terminal stderr stay byte-identical to it).
 */
import { formatDuration } from '../../util/duration.js'
import { humanBytes } from './humanize.js'

type Json = Record<string, any>

/** What the status line needs of `process.stderr` (a fake one in tests). */
export interface TtyStream {
  isTTY?: boolean
  /** Terminal width; longer lines are cut so that `\r` can redraw them. */
  columns?: number
  write: (text: string) => unknown
}

/** Moves to the start of the line and erases it. */
export const CLEAR_LINE = '\r\x1b[K'

/** Whether a status line can be drawn: a TTY whose TERM understands `\x1b[K`. */
export function isTerminal (stream: TtyStream | undefined, env: NodeJS.ProcessEnv = {}): stream is TtyStream {
  return stream?.isTTY === true && env.TERM !== 'dumb'
}

/** One line of text that is redrawn in place and erased before other output. */
export class StatusLine {
  private text = ''

  /** `now` is the clock of elapsed times, in ms. */
  constructor (readonly stream: TtyStream, readonly now: () => number = Date.now) {}

  /** Whether the line is on screen. */
  get shown (): boolean { return this.text !== '' }

  /** Replaces the line (nothing is written when the text is unchanged). */
  draw (text: string): void {
    const cols = this.stream.columns ?? 0
    const line = cols > 1 && text.length >= cols ? text.slice(0, cols - 1) : text
    if (line === this.text) return
    this.stream.write(`\r${line}\x1b[K`)
    this.text = line
  }

  /** Erases the line if it is shown. */
  clear (): void {
    if (this.text === '') return
    this.stream.write(CLEAR_LINE)
    this.text = ''
  }
}

/** What a progress line says. */
export interface WaitProgressState {
  cid: string
  target: 'pinned' | 'unpinned'
  /** Peers that must reach the target; 0 = all. */
  limit: number
  /** Wait limit in ms; ≤ 1 s means none. */
  timeout: number
  elapsed: number
  /** The last polled global pin info, if any. */
  status?: Json
}

/**
 * The text of the progress line, counting peers as `statusReached` does:
 * `waiting for <cid> to be pinned: 1/3 peers, 1 pinning, 1 pin_queued (12s / 2m0s)`.
 */
export function waitProgressText (s: WaitProgressState): string {
  const secs = Math.floor(Math.max(0, s.elapsed) / 1000) * 1000
  const time = s.timeout > 1000 ? `${formatDuration(secs)} / ${formatDuration(s.timeout)}` : formatDuration(secs)
  const head = `waiting for ${s.cid} to be ${s.target}`
  if (s.status == null) return `${head} (${time})`
  const statuses = Object.values((s.status.peer_map ?? {}) as Record<string, Json>).map((p) => String(p.status))
  const ignored = (st: string): boolean => st === 'remote' && s.target === 'pinned' && s.limit <= 0
  const done = statuses.filter((st) => st === s.target).length
  const need = s.limit > 0 ? Math.min(s.limit, statuses.length) : statuses.filter((st) => !ignored(st)).length
  const others = new Map<string, number>()
  for (const st of statuses) {
    if (st !== s.target && !ignored(st)) others.set(st, (others.get(st) ?? 0) + 1)
  }
  const rest = [...others].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([st, n]) => `, ${n} ${st}`).join('')
  return `${head}: ${done}/${need} peers${rest} (${time})`
}

/** Options of a progress display. */
export interface WaitProgressInit extends Omit<WaitProgressState, 'elapsed' | 'status'> {
  /** Redraw period (elapsed time) in ms. @default 1000 */
  tick?: number
}

/** A running progress display: `update` with every polled status, `stop` when done. */
export interface WaitProgress {
  update: (status: Json) => void
  stop: () => void
}

/** Draws the progress of a wait on `line` until stopped (which erases it). */
export function startWaitProgress (line: StatusLine, init: WaitProgressInit): WaitProgress {
  const start = line.now()
  let status: Json | undefined
  let stopped = false
  const render = (): void => {
    if (!stopped) line.draw(waitProgressText({ ...init, elapsed: line.now() - start, status }))
  }
  const timer = setInterval(render, init.tick ?? 1000)
  timer.unref()
  render()
  return {
    update: (s) => { status = s; render() },
    stop: () => {
      if (stopped) return
      stopped = true
      clearInterval(timer)
      line.clear()
    }
  }
}

/** What the upload progress line of `add` says. */
export interface UploadProgressState {
  /** File bytes read and handed to the request so far. */
  sent: number
  /** Bytes of all files, when known (not for URLs). */
  total?: number
  /** Time since the upload started, in ms. */
  elapsed: number
}

const BAR_WIDTH = 20

/**
 * The text of the upload progress line: bytes, a bar, percentage, average rate
 * and time left, e.g. `adding 6.3 MB / 21 MB [=====>              ] 30% 2.1 MB/s ETA 7s`.
 * Without a known total only the bytes and the rate are shown.
 */
export function uploadProgressText (s: UploadProgressState): string {
  const rate = s.elapsed > 0 ? s.sent * 1000 / s.elapsed : 0
  const speed = `${humanBytes(Math.round(rate))}/s`
  if (s.total == null) return `adding ${humanBytes(s.sent)} ${speed}`
  const frac = s.total > 0 ? Math.min(1, s.sent / s.total) : 1
  const fill = Math.floor(frac * BAR_WIDTH)
  const bar = fill >= BAR_WIDTH ? '='.repeat(BAR_WIDTH) : '='.repeat(fill) + '>' + ' '.repeat(BAR_WIDTH - fill - 1)
  let text = `adding ${humanBytes(s.sent)} / ${humanBytes(s.total)} [${bar}] ${Math.floor(frac * 100)}% ${speed}`
  if (rate > 0 && s.sent < s.total) text += ` ETA ${formatDuration(Math.ceil((s.total - s.sent) / rate) * 1000)}`
  return text
}

/** A running upload progress display: `add` the bytes sent, `stop` when done. */
export interface UploadProgress {
  add: (n: number) => void
  stop: () => void
}

/** Options of an upload progress display. */
export interface UploadProgressInit {
  total?: number
  /** Redraw period in ms. @default 200 */
  tick?: number
}

/** Draws the progress of an upload on `line` until stopped (which erases it). */
export function startUploadProgress (line: StatusLine, init: UploadProgressInit = {}): UploadProgress {
  const start = line.now()
  let sent = 0
  let stopped = false
  const render = (): void => {
    if (!stopped) line.draw(uploadProgressText({ sent, total: init.total, elapsed: line.now() - start }))
  }
  const timer = setInterval(render, init.tick ?? 200)
  timer.unref()
  render()
  return {
    add: (n) => { sent += n },
    stop: () => {
      if (stopped) return
      stopped = true
      clearInterval(timer)
      line.clear()
    }
  }
}
