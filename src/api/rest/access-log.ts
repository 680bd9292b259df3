/** Apache common log lines, as gorilla/handlers' LoggingHandler writes them. */
import type { IncomingMessage } from 'node:http'

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const pad = (n: number): string => String(n).padStart(2, '0')

/** `02/Jan/2006:15:04:05 -0700` in local time. */
export function commonLogTime (d: Date): string {
  const off = -d.getTimezoneOffset()
  const sign = off < 0 ? '-' : '+'
  const a = Math.abs(off)
  return `${pad(d.getDate())}/${MONTHS[d.getMonth()]}/${d.getFullYear()}:${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())} ` +
    `${sign}${pad(Math.floor(a / 60))}${pad(a % 60)}`
}

/** gorilla's `appendQuoted`: quotes and backslashes escaped, control bytes as \xNN. */
function quoted (s: string): string {
  return s.replace(/[\\"\x00-\x1f\x7f]/g, (c) => {
    if (c === '\\' || c === '"') return '\\' + c
    if (c === '\n') return '\\n'
    if (c === '\r') return '\\r'
    if (c === '\t') return '\\t'
    return '\\x' + c.charCodeAt(0).toString(16).padStart(2, '0')
  })
}

/** `host - - [time] "METHOD uri HTTP/x.y" status size` (no trailing newline). */
export function commonLogLine (req: IncomingMessage, started: Date, status: number, size: number): string {
  const host = req.socket?.remoteAddress ?? '@'
  return `${host} - - [${commonLogTime(started)}] "${quoted(req.method ?? '')} ${quoted(req.url ?? '')} HTTP/${req.httpVersion}" ${status} ${size}`
}
