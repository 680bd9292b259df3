/**
 * The walk over the state that `statusAll`, `recoverAll` and the catch-up walk share: pages
 * of up to STATUS_PAGE items, with what the state tells of each item and the IPFS pin type
 * of the local ones, asked once per page. Memory stays bounded by the page (Go holds a map
 * of every IPFS pin).
 */
import { isRemoteJson, lightCid, lightPin } from './light-pin.js'
import type { LightPin } from './light-pin.js'
import type { AbortOptions } from '../../interface/startable.js'
import type { ReadOnlyState } from '../../interface/state.js'
import type { IPFSPinStatus, PeerIdString } from '../../interface/types.js'
import type { CID } from 'multiformats/cid'

/** State items per IPFS pin lookup (store pages are split to it). */
export const STATUS_PAGE = 512

/** What the state alone tells about an item. */
export type ItemKind = 'sharded' | 'remote' | 'local'

/** A page of state items; `types` is set for the local items when IPFS was asked. */
export interface StatePage {
  pins: LightPin[]
  kinds: ItemKind[]
  types: Array<IPFSPinStatus | undefined>
}

/** The IPFS pin types of `cids`, in order. */
export type PinTypes = (cids: CID[], options: AbortOptions) => Promise<IPFSPinStatus[]>

/** `items` in arrays of up to `size` (for states without `listJsonPages`). */
async function * pagesOf<T> (items: AsyncIterable<T>, size: number): AsyncGenerator<T[]> {
  let page: T[] = []
  for await (const item of items) {
    page.push(item)
    if (page.length === size) {
      yield page
      page = []
    }
  }
  if (page.length > 0) yield page
}

/** The state in pages; IPFS is asked about the local items when `pinTypes` is given. */
export async function * statePages (st: ReadOnlyState, peerId: PeerIdString, pinTypes: PinTypes | undefined, options: AbortOptions): AsyncGenerator<StatePage> {
  const pages = st.listJsonPages?.(options) ?? pagesOf(st.listJson(options), STATUS_PAGE)
  for await (const storePage of pages) {
    for (let start = 0; start < storePage.length; start += STATUS_PAGE) {
      const entries = storePage.length <= STATUS_PAGE ? storePage : storePage.slice(start, start + STATUS_PAGE)
      const pins = new Array<LightPin>(entries.length)
      const kinds = new Array<ItemKind>(entries.length)
      const types = new Array<IPFSPinStatus | undefined>(entries.length)
      const local: CID[] = []
      for (let i = 0; i < entries.length; i++) {
        const entry = entries[i]
        const p = lightPin(entry)
        const kind = entry.type === 'meta-pin' ? 'sharded' : isRemoteJson(p.json, peerId) ? 'remote' : 'local'
        if (kind === 'local' && pinTypes != null) {
          p.cid = lightCid(p)
          local.push(p.cid)
        }
        pins[i] = p
        kinds[i] = kind
      }
      if (local.length > 0 && pinTypes != null) {
        const answers = await pinTypes(local, options)
        let next = 0
        for (let i = 0; i < pins.length; i++) if (kinds[i] === 'local') types[i] = answers[next++]
      }
      yield { pins, kinds, types }
    }
  }
}
