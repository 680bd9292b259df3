import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { CID } from 'multiformats/cid'
import { base36 } from 'multiformats/bases/base36'
import { base58btc } from 'multiformats/bases/base58'
import * as raw from 'multiformats/codecs/raw'
import { identity } from 'multiformats/hashes/identity'
import { sha256 } from 'multiformats/hashes/sha2'
import { parseCid } from '../../../src/api/common/cid.js'
import {
  CID_TEXT, baseXDecoder, canonicalCidBytes, globalPinInfoFromPinInfo, globalPinInfoLine, globalPinInfoToJson,
  jsonString, pinInfoLine
} from '../../../src/api/common/codec.js'
import { goJson } from '../../../src/util/gojson.js'
import type { PinInfoWithCidText } from '../../../src/api/common/codec.js'
import type { GlobalPinInfo, PinInfo } from '../../../src/interface/types.js'

const PEER = '12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA'
const IPFS = '12D3KooWHf4tTXw8KyJBXLBAuSzMdNcEE4FtYkKXCUVhz1zUBoHn'

/** The reference encoding of a local listing line. */
const reference = (p: PinInfo): string => goJson(globalPinInfoToJson(globalPinInfoFromPinInfo(p)))

async function cidOf (i: number): Promise<CID> {
  const digest = await sha256.digest(new TextEncoder().encode(`codec-${i}`))
  return i % 2 === 0 ? CID.createV0(digest) : CID.createV1(raw.code, digest)
}

function info (cid: CID, over: Partial<PinInfo> = {}): PinInfo {
  const t = new Date('2024-03-01T10:20:30Z')
  return {
    cid,
    name: 'a pin',
    peer: PEER,
    allocations: [],
    origins: [],
    created: t,
    metadata: undefined,
    peerName: 'peer-one',
    ipfsPeerId: IPFS,
    ipfsPeerAddresses: ['/ip4/127.0.0.1/tcp/4001'],
    status: 'pinned',
    timestamp: t,
    error: '',
    attemptCount: 0,
    priorityPin: false,
    ...over
  }
}

const STRINGS = [
  '', 'plain', 'a "quoted" \\ back', '<script>&amp;</script>', 'ünïcödé ✓ 漢字', 'emoji 😀', 'lone \ud800 surrogate',
  'line\nbreak\ttab\u0001ctl', 'sep \u2028 \u2029', '\u007f del', 'x'.repeat(300)
]

describe('codec: status lines written directly', () => {
  it('jsonString escapes exactly as goJson', () => {
    for (const s of STRINGS) assert.equal(jsonString(s), goJson(s), JSON.stringify(s))
  })

  it('pinInfoLine is byte-identical to goJson(globalPinInfoToJson(globalPinInfoFromPinInfo(p)))', async () => {
    const cid = await cidOf(1)
    const v0 = await cidOf(2)
    const cases: PinInfo[] = [
      info(cid),
      info(v0),
      info(cid, { allocations: undefined, origins: undefined, created: undefined, timestamp: undefined }),
      info(cid, { allocations: [PEER, 'other<&>'], origins: ['/ip4/1.2.3.4/tcp/4001/p2p/' + IPFS] }),
      info(cid, { metadata: { z: '1', a: '<b>', 'ü': 'ö', 10: 'ten', 9: 'nine', '': 'empty' } as Record<string, string> }),
      info(cid, { metadata: {} }),
      info(cid, { ipfsPeerId: '', ipfsPeerAddresses: [] }),
      info(cid, { status: 'unexpectedly_unpinned', error: 'the item should be pinned but it is not' }),
      info(cid, { status: 'pin_error', error: 'failed: <&> "x"', attemptCount: 3, priorityPin: true }),
      info(cid, { created: new Date('2024-03-01T10:20:30.123Z'), timestamp: new Date('2024-03-01T10:20:30.120Z') }),
      info(cid, { created: new Date(Number.NaN) }),
      info(cid, { attemptCount: Number.NaN }),
      ...STRINGS.map((s) => info(cid, { name: s, peerName: s, error: s })),
      // shapes the fast path leaves to the object encoders
      info(cid, { peer: '__proto__' }),
      info(cid, { name: undefined as unknown as string }),
      info(cid, { attemptCount: 2n as unknown as number }),
      info(cid, { allocations: [1, null] as unknown as string[] }),
      info(cid, { peerName: 5 as unknown as string })
    ]
    for (const p of cases) assert.equal(pinInfoLine(p), reference(p))
  })

  it('uses the CID text a producer attached, and the CID otherwise', async () => {
    const cid = await cidOf(3)
    const p: PinInfoWithCidText = { ...info(cid), [CID_TEXT]: cid.toString() }
    assert.equal(pinInfoLine(p), reference(p))
    p[CID_TEXT] = undefined
    assert.equal(pinInfoLine(p), reference(p))
    assert.equal(pinInfoLine(info(undefined as unknown as CID)), reference(info(undefined as unknown as CID)))
  })

  it('follows changes of the peer between lines (the peer head is remembered)', async () => {
    const cid = await cidOf(5)
    const addrs = ['/ip4/127.0.0.1/tcp/4001']
    const a = info(cid, { ipfsPeerAddresses: addrs })
    assert.equal(pinInfoLine(a), reference(a))
    addrs.push('/ip4/10.0.0.1/tcp/4001')
    assert.equal(pinInfoLine(a), reference(a))
    for (const over of [{ peerName: 'other' }, { ipfsPeerId: 'x' }, { peer: 'QmPeer' }]) {
      const b = info(cid, { ...over, ipfsPeerAddresses: addrs })
      assert.equal(pinInfoLine(b), reference(b))
    }
  })

  it('writes times in the local zone, as formatTime', async () => {
    const cid = await cidOf(7)
    const tz = process.env.TZ
    try {
      for (const zone of ['UTC', 'America/New_York', 'Asia/Kolkata']) {
        process.env.TZ = zone
        const p = info(cid, { created: new Date('2024-07-01T10:20:30Z'), timestamp: new Date('2024-01-01T10:20:30Z') })
        assert.equal(pinInfoLine(p), reference(p))
      }
    } finally {
      if (tz == null) delete process.env.TZ
      else process.env.TZ = tz
    }
  })

  it('globalPinInfoLine is byte-identical to goJson(globalPinInfoToJson(g))', async () => {
    const cid = await cidOf(9)
    const one = globalPinInfoFromPinInfo(info(cid, { name: '<x>', metadata: { k: 'v' } }))
    const two: GlobalPinInfo = { ...one, peerMap: new Map([...one.peerMap, ['QmOther', { ...one.peerMap.get(PEER)!, status: 'remote' }]]) }
    const none: GlobalPinInfo = { ...one, cid: undefined, peerMap: new Map() }
    for (const g of [one, two, none]) assert.equal(globalPinInfoLine(g), goJson(globalPinInfoToJson(g)))
  })
})

describe('codec: CID bytes of canonical CID text', () => {
  it('equals parseCid(text).bytes for v0 and v1 CIDs', async () => {
    const cids: CID[] = []
    for (let i = 0; i < 50; i++) cids.push(await cidOf(i))
    for (let i = 0; i < 20; i++) {
      const b = new Uint8Array(8)
      new DataView(b.buffer).setBigUint64(0, BigInt(i * 7919))
      cids.push(CID.createV1(raw.code, identity.digest(b)))
    }
    for (const c of cids) assert.deepEqual(canonicalCidBytes(c.toString()), parseCid(c.toString()).bytes)
  })

  it('refuses other spellings, which callers then parse', async () => {
    const v1 = await cidOf(1)
    const v0 = await cidOf(2)
    for (const text of [
      v1.toString(base36), v1.toString().toUpperCase(), v1.toString().slice(0, -1), v1.toString() + 'a',
      v0.toV1().toString(base58btc), 'Qm' + 'x'.repeat(44), 'b', '', 'bafy!'
    ]) {
      assert.equal(canonicalCidBytes(text), undefined, text)
    }
  })

  it('baseXDecoder decodes as multiformats does, leading zeros included', () => {
    const decode = baseXDecoder('0123456789abcdefghijklmnopqrstuvwxyz')
    for (const bytes of [[0], [0, 0, 1], [1, 2, 3], [255, 255, 255, 255, 255, 255, 255, 255, 255], [0, 255, 0, 1]]) {
      const b = Uint8Array.from(bytes)
      assert.deepEqual(decode(base36.encode(b), 1), base36.decode(base36.encode(b)))
    }
    for (let n = 1; n < 64; n += 7) {
      const b = Uint8Array.from({ length: n }, (_, i) => (i * 37 + n) & 0xff)
      assert.deepEqual(decode(base36.encode(b), 1), b)
    }
    assert.equal(decode('kABC', 1), undefined)
  })
})
