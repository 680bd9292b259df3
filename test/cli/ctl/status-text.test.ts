import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { formatGlobalPinInfo } from '../../../src/cli/ctl/format.js'
import { normGlobalPinInfo } from '../../../src/cli/ctl/normalize.js'
import { formatStatusItem } from '../../../src/cli/ctl/status-text.js'

const entry = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  peername: 'peer-one',
  ipfs_peer_id: '12D3KooWHf4tTXw8KyJBXLBAuSzMdNcEE4FtYkKXCUVhz1zUBoHn',
  status: 'pinned',
  timestamp: '2024-03-01T10:20:30Z',
  error: '',
  attempt_count: 0,
  priority_pin: false,
  ...over
})

const doc = (over: Record<string, unknown> = {}, peers: Record<string, unknown> = { '12D3KooWPeer': entry() }): Record<string, unknown> => ({
  cid: 'bafkqacaaaaaaaaaaaaaa',
  name: 'bench-0',
  allocations: [],
  origins: [],
  created: '2024-03-01T10:20:30Z',
  metadata: null,
  peer_map: peers,
  ...over
})

describe('ctl: status text straight from JSON', () => {
  it('prints what formatGlobalPinInfo(normGlobalPinInfo(v)) prints', () => {
    const cases: unknown[] = [
      doc(),
      doc({ name: '' }),
      doc({ cid: '' }),
      doc({ cid: null, name: 'ünï <&>' }),
      doc({}, {}),
      doc({ peer_map: null }),
      doc({ peer_map: [] }),
      doc({}, {
        zPeer: entry({ peername: '' }),
        aPeer: entry({ status: 'pin_error', error: 'boom', attempt_count: 3, priority_pin: true }),
        10: entry({ peername: 'a-very-long-peer-name-beyond-twenty' }),
        9: entry({ status: 'made_up', timestamp: '2024-03-01T10:20:30.120000000+02:00' })
      }),
      doc({}, { p: entry({ timestamp: '' }) }),
      doc({}, { p: entry({ timestamp: 5, attempt_count: 2.7, priority_pin: 'yes' }) }),
      doc({}, { p: entry({ attempt_count: 123456789012345678901234567890n }) }),
      doc({}, { p: 'not an object' }),
      doc({}, { p: entry({ peername: 'ü' }), q: entry({ peername: 'ü' }) }),
      JSON.parse('{"cid":"b","peer_map":{"__proto__":{"peername":"x","status":"pinned"},"b":{"peername":"y"}}}'),
      {},
      null,
      'text',
      [1, 2]
    ]
    for (const v of cases) {
      assert.equal(formatStatusItem(v), formatGlobalPinInfo(normGlobalPinInfo(v)), JSON.stringify(v, (_k, x) => typeof x === 'bigint' ? String(x) : x))
    }
  })

  it('follows changes of the label and time between items (both are remembered)', () => {
    for (const [name, ts] of [['a', '2024-01-01T00:00:00Z'], ['b', '2024-01-01T00:00:00Z'], ['b', '2024-01-01T00:00:01+01:00'], ['a', '']]) {
      const v = doc({}, { p: entry({ peername: name, timestamp: ts }) })
      assert.equal(formatStatusItem(v), formatGlobalPinInfo(normGlobalPinInfo(v)))
    }
  })
})
