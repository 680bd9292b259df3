/** IPFS paths as boxo's `path.NewPath` validates and cleans them (used by `pin add/rm/update`). */
import { posix } from 'node:path'
import { parseCid } from '../../api/common/cid.js'

/** Go's `cid.Decode` error text for a string (as far as the JS decoder tells). */
export function cidError (s: string): string | undefined {
  if (s.length < 2) return 'cid too short'
  try {
    parseCid(s)
    return undefined
  } catch (err: any) {
    return String(err?.message ?? err)
  }
}

/** Decodes a CID argument (Go `api.DecodeCid`) and returns its canonical string. Throws Error. */
export function decodeCid (s: string): string {
  if (s.length < 2) throw new Error('cid too short')
  return parseCid(s).toString()
}

function segments (str: string): string[] {
  let s = posix.normalize(str)
  if (s === '.') return []
  s = s.replace(/^\/+/, '').replace(/\/+$/, '')
  return s === '' ? [] : s.split('/')
}

/** boxo `NewPath`: the cleaned path (trailing slash kept) or an Error `invalid path "…": …`. */
export function newPath (str: string): string {
  const segs = segments(str)
  const invalid = (why: string): Error => new Error(`invalid path ${JSON.stringify(str)}: ${why}`)
  if (!str.startsWith('/') || segs.length < 2 || segs[1] === '') throw invalid('path does not have enough components')
  let cleaned = '/' + segs.join('/')
  if (str.endsWith('/')) cleaned += '/'
  switch (segs[0]) {
    case 'ipfs': case 'ipld': {
      const e = cidError(segs[1])
      if (e != null) throw invalid(e)
      return cleaned
    }
    case 'ipns': return cleaned
    default: throw invalid(`unknown namespace: ${JSON.stringify(segs[0])}`)
  }
}

/** The client's `PinPath` rule: a path, else `/ipfs/<arg>`; the second error is reported. */
export function toIpfsPath (arg: string): string {
  try {
    return newPath(arg)
  } catch {
    return newPath('/ipfs/' + arg)
  }
}
