/**
 * The text of a status item (`status`, `recover` listings) straight from its decoded
 * JSON: `formatGlobalPinInfo(normGlobalPinInfo(v))` without building the normalised
 * document. Listings print one block per pin (a million at times), and normalising
 * each (sorted copies, time regexps) cost more than parsing it.
 */
import { formatGlobalPinInfo, padRight } from './format.js'
import { normCid, normGlobalPinInfo, normInt, normObject, normStatus, normString, normTime } from './normalize.js'

const byteSort = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

// consecutive items repeat the peer label and the time: remember the last of each
let lastLabel = ''
let lastPadded = padRight('', 20)
let lastTimeIn: unknown = ''
let lastTimeOut = normTime('')

function padded (label: string): string {
  if (label !== lastLabel) {
    lastPadded = padRight(label, 20)
    lastLabel = label
  }
  return lastPadded
}

function timeText (v: unknown): string {
  if (v !== lastTimeIn || typeof v !== 'string') {
    lastTimeOut = normTime(v)
    lastTimeIn = v
  }
  return lastTimeOut
}

/** `formatGlobalPinInfo(normGlobalPinInfo(v))`. */
export function formatStatusItem (v: unknown): string {
  const o = normObject(v)
  const pm = o.peer_map
  const peers = pm != null && typeof pm === 'object' && !Array.isArray(pm) ? Object.keys(pm) : []
  // the normaliser's sorted copy drops a `__proto__` key: leave such documents to it
  if (peers.includes('__proto__')) return formatGlobalPinInfo(normGlobalPinInfo(v))
  if (peers.length > 1) peers.sort(byteSort)
  let s = normCid(o.cid) ?? 'b'
  const name = normString(o.name)
  if (name !== '') s += ` | ${name}`
  s += ':\n'
  for (const k of peers) {
    const e = normObject((pm as Record<string, unknown>)[k])
    const peername = normString(e.peername)
    const error = normString(e.error)
    s += `    > ${padded(peername !== '' ? peername : k)} : ${normStatus(e.status).toUpperCase()}`
    if (error !== '') s += `: ${error}`
    s += ` | ${timeText(e.timestamp)} | Attempts: ${normInt(e.attempt_count)} | Priority: ${String(e.priority_pin === true)}\n`
  }
  return s
}
