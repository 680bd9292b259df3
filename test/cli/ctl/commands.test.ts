import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import http from 'node:http'
import https from 'node:https'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fakeServer, run } from './fake-server.js'
import { THREE_PEERS, THREE_PEERS_DOT, TLS_CERT, TLS_KEY } from './fixtures.js'
import type { AddressInfo } from 'node:net'
import type { FakeServer } from './fake-server.js'

const PEER = '12D3KooWQfuu2VkFx1nE7L6XaK9B2C5o7AG7UJxJ1kVBK6r5aSbN'
const PEER2 = '12D3KooWJ6XnqNtHh8t1tyPeMnzE2S7mSs3F1vXcZ2J6N8KpGnTw'
const CID = 'QmYjtig7VJQ6XsnUjqqJvj7QaMcCAwtrgNdahSiFofrE7o'
const CID1 = 'bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi'

const ID = {
  id: PEER,
  addresses: [`/ip4/127.0.0.1/tcp/9096/p2p/${PEER}`, `/ip4/10.0.0.1/tcp/9096/p2p/${PEER}`],
  cluster_peers: [PEER, PEER2],
  cluster_peers_addresses: [],
  version: '1.1.6',
  commit: '',
  rpc_protocol_version: '/ipfscluster/1.0/rpc',
  error: '',
  ipfs: { id: PEER2, addresses: ['/ip4/127.0.0.1/tcp/4001', '/ip4/10.0.0.1/tcp/4001'], error: '' },
  peername: 'peer-a',
  unknown_field: 1
}

const PIN = {
  replication_factor_min: 2,
  replication_factor_max: 3,
  name: 'my-pin',
  mode: 'recursive',
  shard_size: 0,
  user_allocations: null,
  expire_at: '0001-01-01T00:00:00Z',
  metadata: null,
  pin_update: null,
  origins: [],
  cid: CID,
  type: 'pin',
  allocations: [PEER2, PEER],
  max_depth: -1,
  reference: null,
  timestamp: '2024-05-01T10:00:00+02:00'
}

const GPI = {
  cid: CID,
  name: 'my-pin',
  allocations: [],
  origins: [],
  created: '2024-05-01T10:00:00+02:00',
  metadata: { kind: 'text' },
  peer_map: {
    [PEER2]: { peername: '', status: 'pin_error', timestamp: '2024-05-01T10:00:01Z', error: 'context deadline exceeded', attempt_count: 3, priority_pin: false },
    [PEER]: { peername: 'peer-a', ipfs_peer_id: PEER2, status: 'pinned', timestamp: '2024-05-01T10:00:00.123456789+02:00', error: '', attempt_count: 0, priority_pin: false }
  }
}

const STATUS_BLOCK = `${CID} | my-pin:
    > ${PEER2} : PIN_ERROR: context deadline exceeded | 2024-05-01T10:00:01Z | Attempts: 3 | Priority: false
    > peer-a               : PINNED | 2024-05-01T10:00:00.123456789+02:00 | Attempts: 0 | Priority: false
`

const ID_BLOCK = `${PEER} | peer-a | Sees 1 other peers
  > Addresses:
    - /ip4/10.0.0.1/tcp/9096/p2p/${PEER}
    - /ip4/127.0.0.1/tcp/9096/p2p/${PEER}
  > IPFS: ${PEER2}
    - /ip4/10.0.0.1/tcp/4001
    - /ip4/127.0.0.1/tcp/4001
`

function pinned (peers: string[], status = 'pinned'): unknown {
  return { ...GPI, peer_map: Object.fromEntries(peers.map((p) => [p, { peername: '', status, timestamp: '2024-05-01T10:00:00Z', error: '', attempt_count: 0, priority_pin: false }])) }
}

describe('ctl commands against a fake REST API', () => {
  let srv: FakeServer
  const h = (): string[] => ['--host', srv.host]

  before(async () => {
    srv = await fakeServer({
      'GET /id': { body: ID },
      'GET /version': { body: { version: '1.1.6' } },
      'GET /peers': { items: [ID, { id: PEER2, error: 'dial backoff', ipfs: {} }] },
      'DELETE /peers/12D3KooWQfuu2VkFx1nE7L6XaK9B2C5o7AG7UJxJ1kVBK6r5aSbN': { status: 204 },
      'GET /allocations': (req) => ((req.url ?? '').includes('filter=meta-pin') ? { items: [], trailerErrors: ['boom', 'bang'] } : {
        items: [
          PIN,
          { ...PIN, cid: CID1, name: '', mode: 'direct', max_depth: 0, replication_factor_min: -1, replication_factor_max: -1, allocations: [], metadata: { a: 'b' }, expire_at: '2024-06-01T12:30:00+01:00', timestamp: '2024-05-01T10:00:00.5Z' },
          { ...PIN, type: 'shard-pin', max_depth: 1, allocations: null, timestamp: '0001-01-01T00:00:00Z' }
        ]
      }),
      [`GET /allocations/${CID}`]: { body: PIN },
      [`GET /allocations/${CID1}`]: { status: 404, body: { code: 404, message: 'pin is not part of the pinset' } },
      [`GET /pins/${CID}`]: { body: GPI },
      [`GET /pins/${CID1}`]: { status: 500, body: { code: 500, message: 'broken' } },
      'GET /pins': (req) => ((req.url ?? '').includes('filter=pinned') ? { items: [] } : { items: [GPI, GPI], trailerErrors: ['peer down'] }),
      [`POST /pins/${CID}/recover`]: { body: GPI },
      'POST /pins/recover': { items: [] },
      [`POST /pins/ipfs/${CID}`]: { body: PIN },
      [`POST /pins/ipfs/${CID1}`]: { body: { ...PIN, cid: CID1 } },
      [`DELETE /pins/ipfs/${CID}`]: { body: PIN },
      'GET /health/graph': { body: THREE_PEERS },
      'GET /monitor/metrics': { body: ['freespace', 'ping'] },
      'GET /monitor/metrics/freespace': { raw: `[{"name":"freespace","peer":"${PEER}","value":"54321000000","expire":${BigInt(Date.now() + 24_500) * 1_000_000n},"valid":true,"weight":54321000000,"partitionable":false,"received_at":1714550400123456789}]` },
      'GET /health/alerts': { body: null },
      'GET /health/bandwidth': { body: { '/ipfs/id/1.0.0': { total_in: 1500, total_out: 54321000, rate_in: 12.5, rate_out: 0.125 }, '/a': { total_in: 5, total_out: 0, rate_in: 0, rate_out: 0 } } },
      'POST /ipfs/gc': { body: { peer_map: { [PEER2]: { peer: PEER2, peername: 'peer-b', keys: [{ key: CID }, { key: null, error: 'link not found' }] }, [PEER]: { peer: PEER, peername: '', keys: null, error: 'ipfs down' } } } }
    })
  })

  after(async () => { await srv.close() })

  it('prints the ID block', async () => {
    const r = await run([...h(), 'id'])
    assert.equal(r.stdout, ID_BLOCK)
    assert.equal(r.code, 0)
  })

  it('prints JSON in Go key order with 4-space indent, unknown fields dropped and missing ones zeroed', async () => {
    const r = await run([...h(), '--enc=json', 'id'])
    const want = { ...ID } as Record<string, unknown>
    delete want.unknown_field
    assert.equal(r.stdout, JSON.stringify(want, null, 4) + '\n')
    const p = await run([...h(), '--enc', 'json', 'peers', 'ls'])
    const docs = p.stdout.split('\n}\n').filter((d) => d !== '').map((d) => JSON.parse(d + '}'))
    assert.equal(docs.length, 2)
    assert.deepEqual(Object.keys(docs[1]), ['id', 'addresses', 'cluster_peers', 'cluster_peers_addresses', 'version', 'commit', 'rpc_protocol_version', 'error', 'ipfs', 'peername'])
    assert.deepEqual(docs[1].ipfs, { addresses: null, error: '' })
  })

  it('accepts single-dash global flags', async () => {
    const r = await run(['-host', srv.host, '-enc', 'json', 'version'])
    assert.equal(r.stdout, '{\n    "version": "1.1.6"\n}\n')
  })

  it('prints one ID block per peer, errors on one line', async () => {
    const r = await run([...h(), 'peers', 'ls'])
    assert.equal(r.stdout, ID_BLOCK + `${PEER2} | ERROR: dial backoff\n`)
  })

  it('removes peers and validates their IDs locally', async () => {
    const ok = await run([...h(), 'peers', 'rm', PEER])
    assert.equal(ok.code, 0)
    assert.equal(ok.stdout, '')
    const n = srv.requests.length
    const bad = await run([...h(), 'peers', 'rm', 'XXXinvalid-peerXXX'])
    assert.equal(bad.code, 1)
    assert.match(bad.stderr, /^error parsing peer ID: /)
    assert.equal(srv.requests.length, n)
  })

  it('prints pin lines for everywhere, allocations, direct, depth, metadata, expiry and timestamps', async () => {
    const r = await run([...h(), 'pin', 'ls'])
    assert.equal(r.stdout, [
      `${CID} | my-pin | PIN | Repl. Factor: 2--3 | Allocations: [${PEER2} ${PEER}] | Recursive | Metadata: no | Exp: ∞ | Added: 2024-05-01 10:00:00`,
      `${CID1} |  | PIN-DIRECT | Repl. Factor: -1 | Allocations: [everywhere] | Direct | Metadata: yes | Exp: 2024-06-01 12:30:00 | Added: 2024-05-01 10:00:00`,
      `${CID} | my-pin | SHARD-PIN | Repl. Factor: 2--3 | Allocations: [] | Recursive-1 | Metadata: no | Exp: ∞ | Added: unknown`
    ].join('\n') + '\n')
    assert.equal(srv.requests.at(-1)?.url, '/allocations?filter=all')
  })

  it('sends the pin ls filter as the Go client does', async () => {
    const cases: Array<[string, string]> = [
      ['pin,shard-pin', 'pin%2Cshard-pin'], ['all,foo', 'pin%2Cmeta-pin%2Cclusterdag-pin%2Cshard-pin'], ['', 'all'], ['foo', ''], ['shard-pin,pin', 'pin%2Cshard-pin']
    ]
    for (const [flag, sent] of cases) {
      await run([...h(), 'pin', 'ls', '--filter', flag])
      assert.equal(srv.requests.at(-1)?.url, `/allocations?filter=${sent}`, flag)
    }
  })

  it('prints stream items before the trailer error and exits 2', async () => {
    const r = await run([...h(), 'pin', 'ls', '--filter=meta-pin'])
    assert.equal(r.code, 2)
    assert.equal(r.stdout, 'An error occurred:\n  Code: 500\n  Message: boom; bang\n')
    const s = await run([...h(), 'status'])
    assert.equal(s.code, 2)
    assert.equal(s.stdout, STATUS_BLOCK + STATUS_BLOCK + 'An error occurred:\n  Code: 500\n  Message: peer down\n')
    const j = await run([...h(), '--enc=json', 'status'])
    assert.ok(j.stdout.endsWith('}\n{\n    "code": 500,\n    "message": "peer down"\n}\n'))
  })

  it('prints one pin for pin ls <cid> and the error block with exit 2 for a missing pin', async () => {
    const ok = await run([...h(), 'pin', 'ls', CID])
    assert.match(ok.stdout, /^QmYjtig7VJQ6XsnUjqqJvj7QaMcCAwtrgNdahSiFofrE7o \| my-pin \| PIN \| /)
    const missing = await run([...h(), 'pin', 'ls', CID1])
    assert.equal(missing.code, 2)
    assert.equal(missing.stdout, 'An error occurred:\n  Code: 404\n  Message: pin is not part of the pinset\n')
    assert.doesNotMatch(missing.stdout, new RegExp(CID1))
  })

  it('fails with exit 1 on invalid CIDs without contacting the server', async () => {
    const n = srv.requests.length
    for (const args of [['status', 'XXXinvalid-CIDXXX'], ['pin', 'ls', 'XXXinvalid-CIDXXX'], ['recover', 'XXXinvalid-CIDXXX']]) {
      const r = await run([...h(), ...args])
      assert.equal(r.code, 1, args.join(' '))
      assert.match(r.stderr, /^error parsing cid: /)
    }
    assert.equal(srv.requests.length, n)
  })

  it('prints status blocks ordered by peer ID with padded labels', async () => {
    const r = await run([...h(), 'status', CID])
    assert.equal(r.stdout, STATUS_BLOCK)
    assert.equal(srv.requests.at(-1)?.url, `/pins/${CID}?local=false`)
    await run([...h(), 'status', '--local', CID])
    assert.equal(srv.requests.at(-1)?.url, `/pins/${CID}?local=true`)
  })

  it('prints the empty status before the error for a single CID', async () => {
    const r = await run([...h(), 'status', CID1])
    assert.equal(r.code, 2)
    assert.equal(r.stdout, 'b:\nAn error occurred:\n  Code: 500\n  Message: broken\n')
  })

  it('builds status queries for all, several CIDs and filters', async () => {
    await run([...h(), 'status', '--filter', 'pinned'])
    assert.equal(srv.requests.at(-1)?.url, '/pins?local=false&filter=pinned&cids=')
    await run([...h(), 'status', 'QmYjtig7VJQ6XsnUjqqJvj7QaMcCAwtrgNdahSiFofrE7o', 'bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi', '--local'])
    assert.equal(srv.requests.at(-1)?.url, `/pins?local=true&filter=&cids=${CID},${CID1}`)
    await run([...h(), 'status', '--filter', 'error'])
    assert.equal(srv.requests.at(-1)?.url, '/pins?local=false&filter=error&cids=')
    await run([...h(), 'status', '--filter', 'queued,bogus'])
    assert.equal(srv.requests.at(-1)?.url, '/pins?local=false&filter=queued&cids=')
    const bad = await run([...h(), 'status', '--filter', 'bogus'])
    assert.equal(bad.code, 1)
    assert.equal(bad.stderr, 'error parsing filter flag: invalid filter name\n')
  })

  it('prints nothing and exits 0 for an empty stream (204)', async () => {
    const r = await run([...h(), 'status', '--filter', 'pinned'])
    assert.equal(r.stdout, '')
    assert.equal(r.code, 0)
    const rec = await run([...h(), 'recover'])
    assert.equal(rec.stdout, '')
    assert.equal(rec.code, 0)
    assert.equal(srv.requests.at(-1)?.url, '/pins/recover?local=false')
  })

  it('recovers one CID', async () => {
    const r = await run([...h(), 'recover', CID, '--local'])
    assert.equal(r.stdout, STATUS_BLOCK)
    assert.equal(srv.requests.at(-1)?.url, `/pins/${CID}/recover?local=true`)
    assert.equal(srv.requests.at(-1)?.method, 'POST')
  })

  it('pins with the canonical pin-option query and prints the status after the pause', async () => {
    const r = await run([...h(), 'pin', 'add', CID, '--name', 'my pin', '--rmin', '2', '-rmax=3', '--allocations', ` ${PEER}, ${PEER2}`,
      '--metadata', 'kind=text', '--metadata', 'a=b=c', '--mode', 'direct'])
    assert.equal(r.code, 0, r.stderr)
    const post = srv.requests.at(-2)
    assert.equal(post?.method, 'POST')
    assert.equal(post?.url, `/pins/ipfs/${CID}?meta-a=b%3Dc&meta-kind=text&mode=direct&name=my+pin&replication-max=3&replication-min=2&shard-size=0&user-allocations=${PEER}%2C${PEER2}`)
    assert.equal(srv.requests.at(-1)?.url, `/pins/${CID}?local=false`)
    assert.equal(r.stdout, STATUS_BLOCK)
  })

  it('sends the default pin query, -r for both factors and expire-at with a local offset', async () => {
    await run([...h(), 'pin', 'add', '--no-status', `/ipfs/${CID}`])
    assert.equal(srv.requests.at(-1)?.url, `/pins/ipfs/${CID}?mode=recursive&name=&replication-max=0&replication-min=0&shard-size=0&user-allocations=`)
    await run([...h(), 'pin', 'add', '--ns', '-r', '4', '--expire-in', '1h', CID])
    assert.match(srv.requests.at(-1)?.url ?? '', new RegExp(`^/pins/ipfs/${CID}\\?expire-at=\\d{4}-\\d\\d-\\d\\dT\\d\\d%3A\\d\\d%3A\\d\\d(\\.\\d+)?(Z|%2B\\d\\d%3A\\d\\d|-\\d\\d%3A\\d\\d)&mode=recursive&name=&replication-max=4&replication-min=4&`))
  })

  it('prints the pin line with --no-status, after the positional argument', async () => {
    const r = await run([...h(), 'pin', 'add', CID, '--no-status'])
    assert.equal(r.stdout, `${CID} | my-pin | PIN | Repl. Factor: 2--3 | Allocations: [${PEER2} ${PEER}] | Recursive | Metadata: no | Exp: ∞ | Added: 2024-05-01 10:00:00\n`)
  })

  it('treats arguments after -- as positional', async () => {
    const r = await run([...h(), 'pin', 'add', '--', '--no-status'])
    assert.equal(r.code, 1)
    assert.match(r.stderr, /^error : invalid path "\/ipfs\/--no-status": /)
  })

  it('rejects bad allocations, metadata and expire-in locally', async () => {
    let r = await run([...h(), 'pin', 'add', '--allocations', `${PEER},nope`, CID])
    assert.equal(r.stderr, 'error decoding allocations: some peer IDs could not be decoded\n')
    assert.equal(r.code, 1)
    r = await run([...h(), 'pin', 'add', '--metadata', 'novalue', CID])
    assert.equal(r.stderr, 'error parsing metadata: metadata were not in the format key=value\n')
    r = await run([...h(), 'pin', 'add', '--expire-in', 'soon', CID])
    assert.equal(r.stderr, 'error parsing expire-in: time: invalid duration "soon"\n')
  })

  it('unpins by path and updates pins', async () => {
    const r = await run([...h(), 'pin', 'rm', '--ns', CID])
    assert.equal(r.code, 0)
    assert.equal(srv.requests.at(-1)?.method, 'DELETE')
    assert.equal(srv.requests.at(-1)?.url, `/pins/ipfs/${CID}`)
    const u = await run([...h(), 'pin', 'update', '--ns', '-n', 'new', CID, CID1])
    assert.equal(u.code, 0, u.stderr)
    assert.equal(srv.requests.at(-1)?.url, `/pins/ipfs/${CID1}?mode=recursive&name=new&pin-update=${CID}&replication-max=0&replication-min=0&shard-size=0&user-allocations=`)
    const bad = await run([...h(), 'pin', 'update', 'nope', CID1])
    assert.equal(bad.code, 1)
    assert.match(bad.stderr, /^error parsing from Cid: /)
  })

  it('draws the health graph in DOT, to stdout or a file', async () => {
    const r = await run([...h(), '--enc=json', 'health', 'graph'])
    assert.equal(r.stdout, THREE_PEERS_DOT)
    const dir = await mkdtemp(join(tmpdir(), 'ctl-graph-'))
    try {
      const f = await run([...h(), 'health', 'graph', '-f', join(dir, 'g.dot')])
      assert.equal(f.stdout, '')
      assert.equal(await readFile(join(dir, 'g.dot'), 'utf8'), THREE_PEERS_DOT)
      const bad = await run([...h(), 'health', 'graph', '--file', join(dir, 'no', 'g.dot')])
      assert.equal(bad.code, 1)
      assert.equal(bad.stderr, `error creating output file: open ${join(dir, 'no', 'g.dot')}: no such file or directory\n`)
    } finally {
      await rm(dir, { recursive: true })
    }
  })

  it('prints metric names, metric lines with human sizes and relative expiry, and keeps int64 exact in JSON', async () => {
    const names = await run([...h(), 'health', 'metrics'])
    assert.equal(names.stdout, 'freespace\nping\n')
    const m = await run([...h(), 'health', 'metrics', 'freespace'])
    assert.match(m.stdout, new RegExp(`^${PEER} \\| freespace: 54 GB \\| Expires in: (23|24) seconds from now\\n$`))
    const j = await run([...h(), '--enc=json', 'health', 'metrics', 'freespace'])
    assert.match(j.stdout, /^\[\n {4}\{\n {8}"name": "freespace",\n/)
    assert.match(j.stdout, /"received_at": 1714550400123456789\n/)
  })

  it('prints alerts (null → nothing / null) and bandwidth lines', async () => {
    const a = await run([...h(), 'health', 'alerts'])
    assert.equal(a.stdout, '')
    assert.equal(a.code, 0)
    const aj = await run([...h(), '--enc=json', 'health', 'alerts'])
    assert.equal(aj.stdout, 'null\n')
    const b = await run([...h(), 'health', 'bandwidth'])
    assert.equal(b.stdout,
      '                       /a: In:     5 B. Out:     0 B. RateIn: 0.00B/s. RateOut: 0.00B/s\n' +
      '           /ipfs/id/1.0.0: In:  1.5 kB. Out:   54 MB. RateIn: 12.50B/s. RateOut: 0.12B/s\n')
  })

  it('prints the ipfs gc report ordered by peer ID', async () => {
    const r = await run([...h(), 'ipfs', 'gc', '--local'])
    assert.equal(srv.requests.at(-1)?.url, '/ipfs/gc?local=true')
    assert.equal(r.stdout, `${PEER2}\n  > CIDs:\n    - ${CID}\n    - ERROR: link not found\n${PEER} | ERROR: ipfs down\n  > CIDs:\n`.replace(PEER2 + '\n', 'peer-b         \n'))
  })

  it('reports the error block for an unknown route and keeps JSON errors on stdout', async () => {
    const j = await run(['--host', srv.host, '--enc=json', 'pin', 'ls', CID1])
    assert.equal(j.stdout, '{\n    "code": 404,\n    "message": "pin is not part of the pinset"\n}\n')
    assert.equal(j.code, 2)
  })
})

describe('ctl transport', () => {
  it('reports connection errors with Code: 0 and exit 1', async () => {
    const s = http.createServer()
    await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve))
    const port = (s.address() as AddressInfo).port
    await new Promise<void>((resolve) => s.close(() => { resolve() }))
    const r = await run(['--host', `/ip4/127.0.0.1/tcp/${port}`, 'pin', 'add', '--ns', CID])
    assert.equal(r.code, 1)
    assert.equal(r.stdout, `An error occurred:\n  Code: 0\n  Message: Post "http://127.0.0.1:${port}/pins/ipfs/${CID}?mode=recursive&name=&replication-max=0&replication-min=0&shard-size=0&user-allocations=": dial tcp 127.0.0.1:${port}: connect: connection refused\n`)
  })

  it('fails over to the next host on connection errors', async () => {
    const srv = await fakeServer({ 'GET /version': { body: { version: '1.1.6' } } })
    try {
      const r = await run(['--host', `/ip4/127.0.0.1/tcp/1,${srv.host}`, 'version'])
      assert.equal(r.stdout, '1.1.6\n')
      assert.equal(r.code, 0)
    } finally {
      await srv.close()
    }
  })

  it('sends basic auth from the flag or CLUSTER_CREDENTIALS, and switches to https without --force-http', async () => {
    const srv = await fakeServer({
      'GET /id': (req) => (req.headers.authorization === 'Basic ' + Buffer.from('user:pa:ss').toString('base64')
        ? { body: ID }
        : { status: 401, body: { code: 401, message: 'unauthorized: no auth provided' } })
    })
    try {
      const ok = await run(['--host', srv.host, '--basic-auth', 'user:pa:ss', '--force-http', 'id'])
      assert.equal(ok.stdout, ID_BLOCK)
      const env = await run(['--host', srv.host, '-f', 'id'], { env: { CLUSTER_CREDENTIALS: 'user:pa:ss' } })
      assert.equal(env.stdout, ID_BLOCK)
      const none = await run(['--host', srv.host, 'id'])
      assert.equal(none.code, 2)
      assert.equal(none.stdout, 'An error occurred:\n  Code: 401\n  Message: unauthorized: no auth provided\n')
      const userOnly = await run(['--host', srv.host, '--basic-auth', 'user', '--force-http', 'id'])
      assert.equal(srv.requests.at(-1)?.headers.authorization, 'Basic ' + Buffer.from('user:').toString('base64'))
      assert.equal(userOnly.code, 2)
      const tls = await run(['--host', srv.host, '--basic-auth', 'user:pa:ss', 'id'])
      assert.equal(tls.code, 1)
      assert.match(tls.stdout, new RegExp(`^An error occurred:\\n  Code: 0\\n  Message: Get "https://127\\.0\\.0\\.1:${srv.port}/id": `))
    } finally {
      await srv.close()
    }
  })

  it('uses https, verifying certificates unless --no-check-certificate', async () => {
    const s = https.createServer({ key: TLS_KEY, cert: TLS_CERT }, (req, res) => { res.end(JSON.stringify({ version: '1.1.6-tls' })) })
    await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve))
    const port = (s.address() as AddressInfo).port
    try {
      const ok = await run(['--https', '--no-check-certificate', '--host', `/ip4/127.0.0.1/tcp/${port}`, 'version'])
      assert.equal(ok.stdout, '1.1.6-tls\n')
      const bad = await run(['-s', '--host', `/ip4/127.0.0.1/tcp/${port}`, 'version'])
      assert.equal(bad.code, 1)
      assert.equal(bad.stdout, `An error occurred:\n  Code: 0\n  Message: Get "https://127.0.0.1:${port}/version": tls: failed to verify certificate: x509: certificate signed by unknown authority\n`)
    } finally {
      s.closeAllConnections()
      await new Promise<void>((resolve) => s.close(() => { resolve() }))
    }
  })

  it('times out requests with --timeout', async () => {
    const s = http.createServer(() => { /* never answers */ })
    await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve))
    const port = (s.address() as AddressInfo).port
    try {
      const r = await run(['--host', `/ip4/127.0.0.1/tcp/${port}`, '-t', '1', 'version'])
      assert.equal(r.code, 1)
      assert.equal(r.stdout, `An error occurred:\n  Code: 0\n  Message: Get "http://127.0.0.1:${port}/version": context deadline exceeded (Client.Timeout exceeded while awaiting headers)\n`)
    } finally {
      s.closeAllConnections()
      await new Promise<void>((resolve) => s.close(() => { resolve() }))
    }
  })

  it('talks to a unix socket host', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ctl-sock-'))
    const sock = join(dir, 'api.sock')
    const s = http.createServer((req, res) => { res.end(JSON.stringify({ version: `via ${req.url ?? ''}` })) })
    await new Promise<void>((resolve) => s.listen(sock, resolve))
    try {
      const r = await run(['--host', `/unix${sock}`, 'version'])
      assert.equal(r.stdout, 'via /version\n')
      const missing = await run(['--host', `/unix${sock}.nope`, 'version'])
      assert.equal(missing.stdout, `An error occurred:\n  Code: 0\n  Message: Get "http+unix://restapi/version": dial unix ${sock}.nope: connect: no such file or directory\n`)
    } finally {
      await new Promise<void>((resolve) => s.close(() => { resolve() }))
      await rm(dir, { recursive: true })
    }
  })
})

describe('ctl --wait', () => {
  it('polls until every peer is pinned (remote ignored) and prints the last status', async () => {
    const srv = await fakeServer({
      [`POST /pins/ipfs/${CID}`]: { body: { ...PIN, replication_factor_min: -1 } },
      [`GET /pins/${CID}`]: (_req, n) => ({ body: n < 2 ? pinned([PEER, PEER2], 'pinning') : { ...(pinned([PEER]) as object), peer_map: { ...(pinned([PEER]) as any).peer_map, [PEER2]: { peername: 'b', status: 'remote', timestamp: '2024-05-01T10:00:00Z', error: '', attempt_count: 0, priority_pin: false } } } })
    })
    try {
      const r = await run(['--host', srv.host, 'pin', 'add', '--wait', CID])
      assert.equal(r.code, 0, r.stderr)
      assert.equal(srv.requests.filter((q) => q.method === 'GET').length, 3)
      assert.match(r.stdout, /PINNED/)
      assert.match(r.stdout, /> b {20}: REMOTE/)
    } finally {
      await srv.close()
    }
  })

  it('stops when the wait limit of peers is reached', async () => {
    const srv = await fakeServer({
      [`POST /pins/ipfs/${CID}`]: { body: PIN },
      [`GET /pins/${CID}`]: { body: { ...GPI, peer_map: { [PEER]: { peername: '', status: 'pinned' }, [PEER2]: { peername: '', status: 'pinning' } } } }
    })
    try {
      const r = await run(['--host', srv.host, 'pin', 'add', '--wait', '--wl', '1', CID])
      assert.equal(r.code, 0, r.stderr)
      assert.match(r.stdout, /PINNING/)
    } finally {
      await srv.close()
    }
  })

  it('fails when a peer reports an error status', async () => {
    const srv = await fakeServer({
      [`DELETE /pins/ipfs/${CID}`]: { body: PIN },
      [`GET /pins/${CID}`]: { body: pinned([PEER], 'unpin_error') }
    })
    try {
      const r = await run(['--host', srv.host, 'pin', 'rm', '-w', CID])
      assert.equal(r.code, 1)
      assert.equal(r.stderr, 'error waiting for pin status: error has occurred while attempting to reach status: unpinned\n')
    } finally {
      await srv.close()
    }
  })

  it('exits 62 when --wait-timeout expires', async () => {
    const srv = await fakeServer({
      [`POST /pins/ipfs/${CID}`]: { body: PIN },
      [`GET /pins/${CID}`]: { body: pinned([PEER], 'pinning') }
    })
    try {
      const r = await run(['--host', srv.host, 'pin', 'add', '--wait', '--wait-timeout', '1010ms', CID])
      assert.equal(r.code, 62)
      assert.equal(r.stderr, 'error waiting for pin status: context deadline exceeded\n')
      assert.equal(r.stdout, '')
    } finally {
      await srv.close()
    }
  })
})
