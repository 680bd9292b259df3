/** The pubsub topic of a cluster's CRDT broadcasts. */
import { createHash } from 'node:crypto'
import { base58btc } from 'multiformats/bases/base58'

// multihash code of md5 (0xd5) as a varint, then the digest length
const MD5_PREFIX = [0xd5, 0x01, 0x10]

/**
 * The topic name: base58btc of the MD5 multihash of `clusterName` (spec consensus
 * §3.3; `ipfs-cluster` → `fzhnp2UwTBkgNabrJi1VanzwgN`).
 */
export function crdtTopic (clusterName: string): string {
  const digest = createHash('md5').update(clusterName).digest()
  return base58btc.baseEncode(Uint8Array.from([...MD5_PREFIX, ...digest]))
}
