/** Content that needs no network: identity-hashed blocks (raw leaves and dag-pb directories). */
import { CID } from 'multiformats/cid'
import { identity } from 'multiformats/hashes/identity'
import * as dagPb from '@ipld/dag-pb'
import { UnixFS } from 'ipfs-unixfs'

const RAW = 0x55

/** An identity CID of raw bytes (the text's UTF-8). */
export function identityCid (text: string): CID {
  return CID.createV1(RAW, identity.digest(new TextEncoder().encode(text)))
}

/** An identity-hashed UnixFS directory node linking `entries` by name. */
export function identityDir (entries: Record<string, CID>): CID {
  const node = dagPb.prepare({
    Data: new UnixFS({ type: 'directory' }).marshal(),
    Links: Object.entries(entries).map(([Name, Hash]) => ({ Name, Hash, Tsize: 0 }))
  })
  return CID.createV1(dagPb.code, identity.digest(dagPb.encode(node)))
}

/** Parses the concatenated pretty JSON documents that `--enc=json` prints for streams. */
export function jsonDocs (text: string): any[] {
  const out: any[] = []
  let depth = 0
  let start = -1
  let inStr = false
  let esc = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (inStr) {
      if (esc) esc = false
      else if (c === '\\') esc = true
      else if (c === '"') inStr = false
      continue
    }
    if (c === '"') inStr = true
    else if (c === '{' || c === '[') { if (depth++ === 0) start = i }
    else if (c === '}' || c === ']') { if (--depth === 0) out.push(JSON.parse(text.slice(start, i + 1))) }
  }
  return out
}
