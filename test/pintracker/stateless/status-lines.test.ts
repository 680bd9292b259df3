import { describe, it, afterEach } from 'node:test'
import assert from 'node:assert/strict'
import { CID_TEXT, globalPinInfoFromPinInfo, globalPinInfoToJson, pinInfoLine } from '../../../src/api/common/codec.js'
import { goJson } from '../../../src/util/gojson.js'
import { collect, localPin, remotePin, setup, stopAll } from './helpers.js'
import type { PinInfoWithCidText } from '../../../src/api/common/codec.js'

describe('stateless tracker: statusAll items as REST lines', () => {
  afterEach(stopAll)

  for (const keyless of [false, true]) {
    it(`give the same line as the object encoders${keyless ? ' (state without key bytes)' : ''}`, async () => {
      const pins = [
        await localPin(1, { name: 'plain' }),
        await localPin(2, { name: '<b>&"quoted"\\ ünï ✓', metadata: { z: '1', a: '<2>', 10: 'x' } as Record<string, string> }),
        await localPin(3, { mode: 'direct', origins: ['/ip4/1.2.3.4/tcp/4001'] }),
        await remotePin(4),
        { ...(await localPin(5)), type: 'meta-pin' as const }
      ]
      const h = await setup({}, pins, { keyless })
      h.ipfs.pinned.set(pins[0].cid.toString(), { cid: pins[0].cid, type: 'recursive' })
      h.ipfs.pinned.set(pins[2].cid.toString(), { cid: pins[2].cid, type: 'direct' })
      const infos = await collect(h.tracker.statusAll(0)) as PinInfoWithCidText[]
      assert.equal(infos.length, pins.length)
      for (const i of infos) {
        assert.equal(pinInfoLine(i), goJson(globalPinInfoToJson(globalPinInfoFromPinInfo(i))))
        const text = i[CID_TEXT]
        if (text !== undefined) assert.equal(text, i.cid.toString())
        assert.ok(pins.some((p) => p.cid.equals(i.cid)))
      }
      // v0 and v1 stored texts both give the text without encoding
      assert.ok(infos.every((i) => i[CID_TEXT] !== undefined))
    })
  }
})
