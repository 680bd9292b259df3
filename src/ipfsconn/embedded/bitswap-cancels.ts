/**
 * Workaround for @helia/bitswap 4.0.19: its want list never sends CANCEL.
 *
 * `WantList.sendMessages` skips cancelled entries instead of sending them, then drops
 * them from its own list. The remote peer therefore keeps our want in its ledger for
 * good. When that peer later gets the block, it pushes it to us although we stopped
 * wanting it (we drop it), marks the want "sent", and then ignores our next want for
 * the same CID: a pin that once timed out against a connected peer fails again on every
 * retry, even after the peer got the content. With the CANCEL delivered, the peer
 * forgets the want and serves the next one.
 */
import { base64 } from 'multiformats/bases/base64'
import type { BlockBroker } from '@helia/interface'
import type { Logger, PeerId } from '@libp2p/interface'
import type { CID } from 'multiformats/cid'

/** The parts of Helia's bitswap internals this workaround touches. */
interface WantListInternals {
  wants: Map<string, { cid: CID, priority: number, cancel: boolean }>
  peers: Iterable<[PeerId, Set<string>]>
}
interface BitswapInternals {
  wantList?: WantListInternals
  network?: { sendMessage: (peer: PeerId, message: unknown) => Promise<void> }
}

/**
 * Makes the bitswap broker tell a peer when we stop wanting a block we asked it for.
 * Returns false (and changes nothing) when the broker's internals are not the ones
 * this workaround knows.
 */
export function sendWantCancels (broker: BlockBroker, log: Logger): boolean {
  const bitswap = (broker as unknown as { bitswap?: BitswapInternals }).bitswap
  const wantList = bitswap?.wantList
  const network = bitswap?.network
  if (wantList?.wants instanceof Map !== true || wantList?.peers == null || typeof network?.sendMessage !== 'function') {
    return false
  }
  const wants = wantList.wants
  const remove = wants.delete.bind(wants)
  // the want list deletes an entry only once it is cancelled, after its last send; at
  // that point each peer's set still says whether the want had been sent to that peer
  wants.delete = (key: string): boolean => {
    const entry = wants.get(key)
    if (entry?.cancel === true) {
      for (const [peer, sent] of wantList.peers) {
        if (!sent.has(key)) continue
        // the shape of Helia's queued message, keyed as Helia keys it so that a later
        // want for the same CID merged into the same send replaces this cancel
        const message = {
          full: false,
          pendingBytes: 0,
          wantlist: new Map([[base64.encode(entry.cid.multihash.bytes), { cid: entry.cid.bytes, priority: entry.priority, cancel: true }]]),
          blocks: new Map(),
          blockPresences: new Map()
        }
        network.sendMessage(peer, message).catch((err) => {
          log('could not send the bitswap cancel for %c to %p: %e', entry.cid, peer, err)
        })
      }
    }
    return remove(key)
  }
  return true
}
