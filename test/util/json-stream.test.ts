import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { jsonValues } from '../../src/util/json-stream.js'

async function split (chunks: string[]): Promise<string[]> {
  const out: string[] = []
  for await (const v of jsonValues((async function * () { yield * chunks })())) out.push(v)
  return out
}

describe('json value stream', () => {
  it('splits NDJSON and pretty-printed values across chunk borders', async () => {
    const text = '{"a":"x}\\"{"}\n{\n  "b": [1, {"c": 2}]\n}  {"d":null}'
    for (let cut = 1; cut < text.length; cut += 3) {
      assert.deepEqual(await split([text.slice(0, cut), text.slice(cut)]), ['{"a":"x}\\"{"}', '{\n  "b": [1, {"c": 2}]\n}', '{"d":null}'])
    }
  })
  it('yields scalars so that callers can reject them', async () => {
    assert.deepEqual(await split(['not exactly json\n']), ['not', 'exactly', 'json'])
  })
  it('rejects a truncated value', async () => {
    await assert.rejects(split(['{"a": 1']), { name: 'JsonStreamError' })
  })
})
