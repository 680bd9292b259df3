import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { nowNs } from '../../../src/util/time.js'
import type { Metric } from '../../../src/interface/types.js'

/** `n` fresh Ed25519 peer IDs. */
export async function peers (n: number): Promise<string[]> {
  const out: string[] = []
  for (let i = 0; i < n; i++) out.push(peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString())
  return out
}

/** A metric valid for `ttlMs` (negative → already expired). */
export function metric (name: string, peer: string, fields: Partial<Metric> = {}, ttlMs = 60_000): Metric {
  return {
    name,
    peer,
    value: '1',
    expire: nowNs() + BigInt(ttlMs) * 1_000_000n,
    valid: true,
    weight: 0n,
    partitionable: false,
    receivedAt: 0n,
    ...fields
  }
}
