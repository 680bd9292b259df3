import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey, peerIdFromString } from '@libp2p/peer-id'
import { blake2b } from '@noble/hashes/blake2.js'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { DistanceChecker } from '../../src/cluster/distance.js'

const newPeer = async (): Promise<string> => peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString()
const cidOf = async (i: number): Promise<CID> => CID.createV1(raw.code, await sha256.digest(new TextEncoder().encode(`d-${i}`)))
const all = (): boolean => true

describe('distance checker (StateSync closest peer)', () => {
  it('makes exactly one peer of a cluster the closest for each CID, the one with the smallest XOR distance', async () => {
    const peers = await Promise.all([1, 2, 3, 4].map(newPeer))
    const checkers = peers.map((p) => new DistanceChecker(p, peers, all))
    const wins = new Map<string, number>()
    for (let i = 0; i < 200; i++) {
      const cid = await cidOf(i)
      const closest = peers.filter((_, j) => checkers[j].isClosest(cid))
      assert.equal(closest.length, 1)
      // the winner by the definition: smallest BLAKE2b-256(cid) XOR BLAKE2b-256(peer id), big-endian
      const c = blake2b(cid.bytes, { dkLen: 32 })
      const dist = (p: string): string => Buffer.from(blake2b(peerIdBytes(p), { dkLen: 32 }).map((b, k) => b ^ c[k])).toString('hex')
      const expected = [...peers].sort((a, b) => dist(a) < dist(b) ? -1 : 1)[0]
      assert.equal(closest[0], expected)
      wins.set(closest[0], (wins.get(closest[0]) ?? 0) + 1)
    }
    // every peer gets a share
    assert.equal(wins.size, 4)
  })

  it('leaves untrusted and excluded peers out, and is always closest alone', async () => {
    const [a, b] = await Promise.all([newPeer(), newPeer()])
    const cids = await Promise.all(Array.from({ length: 50 }, async (_, i) => await cidOf(i)))
    const alone = new DistanceChecker(a, [a], all)
    const untrusting = new DistanceChecker(a, [a, b], (p) => p !== b)
    const excluding = new DistanceChecker(a, [a, b], all, b)
    const both = new DistanceChecker(a, [a, b], all)
    for (const cid of cids) {
      assert.equal(alone.isClosest(cid), true)
      assert.equal(untrusting.isClosest(cid), true)
      assert.equal(excluding.isClosest(cid), true)
    }
    assert.ok(cids.some((cid) => !both.isClosest(cid)))
  })
})

function peerIdBytes (p: string): Uint8Array {
  // the peer ID's binary form (its multihash), as Go's peer.ID bytes
  return peerIdFromString(p).toMultihash().bytes
}
