/** IPFS paths (`/ipfs/<cid>[/…]`, `/ipns/<name>[/…]`, `/ipld/<cid>[/…]`) as boxo's `path.NewPath`. */
import { parseCid } from './cid.js'
import type { CID } from 'multiformats/cid'

export interface IpfsPath {
  namespace: 'ipfs' | 'ipns' | 'ipld'
  /** The root segment (CID string for ipfs/ipld). */
  root: string
  /** Remaining segments. */
  rest: string[]
  /** Root CID for immutable paths. */
  rootCid: CID | undefined
  toString: () => string
}

/** Thrown for text that is not an IPFS path; message like boxo's. */
export class InvalidPathError extends Error {
  static name = 'InvalidPathError'
  constructor (message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'InvalidPathError'
  }
}

/** Parses an IPFS path. Throws InvalidPathError. */
export function parsePath (text: string): IpfsPath {
  const segs = text.split('/')
  if (segs.length < 3 || segs[0] !== '') throw new InvalidPathError(`invalid path "${text}": path does not have enough components`)
  const ns = segs[1]
  if (ns !== 'ipfs' && ns !== 'ipns' && ns !== 'ipld') throw new InvalidPathError(`invalid path "${text}": unsupported path namespace`)
  const root = segs[2]
  if (root === '') throw new InvalidPathError(`invalid path "${text}": path does not have enough components`)
  let rootCid: CID | undefined
  if (ns !== 'ipns') {
    try {
      rootCid = parseCid(root)
    } catch (err: any) {
      throw new InvalidPathError(`invalid path "${text}": invalid cid: ${err.message}`, { cause: err })
    }
  }
  const rest = segs.slice(3).filter((s, i, a) => s !== '' || i < a.length - 1)
  const clean = '/' + [ns, root, ...rest].join('/')
  return { namespace: ns, root, rest, rootCid, toString: () => clean }
}

/** Parses `text`, retrying with `/ipfs/` prepended (a bare CID), as the reference's PinPath. */
export function parsePathOrCid (text: string): IpfsPath {
  try {
    return parsePath(text)
  } catch (err) {
    try {
      return parsePath('/ipfs/' + text)
    } catch {
      throw err
    }
  }
}
