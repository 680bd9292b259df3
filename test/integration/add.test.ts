/**
 * `POST /add` against a real daemon (spec rest-api §10, adder.md): multipart uploads of
 * files, directories and CARs, both output framings, `no-pin`, progress events, bad
 * parameters, and interrupted uploads (nothing pinned).
 */
import { carBytes } from '../adder/car-bytes.js'
import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { request } from 'node:http'
import { connect } from 'node:net'
import * as dagPb from '@ipld/dag-pb'
import * as raw from 'multiformats/codecs/raw'
import { CID } from 'multiformats/cid'
import { sha256 } from 'multiformats/hashes/sha2'
import { importUnixfs } from '../../src/adder/importer/index.js'
import { parseAddParams } from '../../src/api/common/add-params.js'
import { Peer } from './harness.js'
import type { AddEntry, AddedBlock } from '../../src/adder/types.js'

/** One part of a Kubo-style multipart upload. */
type Part = { path: string, dir: true } | { path: string, content: Uint8Array | string }

const BOUNDARY = 'test-boundary-4fb1'

function multipart (parts: Part[]): Buffer {
  const chunks: Buffer[] = []
  for (const p of parts) {
    const type = 'dir' in p ? 'application/x-directory' : 'application/octet-stream'
    chunks.push(Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${encodeURIComponent(p.path)}"\r\nContent-Type: ${type}\r\n\r\n`))
    if (!('dir' in p)) chunks.push(Buffer.from(p.content))
    chunks.push(Buffer.from('\r\n'))
  }
  chunks.push(Buffer.from(`--${BOUNDARY}--\r\n`))
  return Buffer.concat(chunks)
}

interface Response { status: number, headers: Record<string, string | string[] | undefined>, body: string, trailers: NodeJS.Dict<string> }

function http (addr: string, method: string, path: string, body?: Buffer, contentType = `multipart/form-data; boundary=${BOUNDARY}`): Promise<Response> {
  const [, , host, , port] = addr.split('/')
  return new Promise((resolve, reject) => {
    const req = request({ host, port: Number(port), path, method, headers: body != null ? { 'Content-Type': contentType } : {} }, (res) => {
      let text = ''
      res.setEncoding('utf8').on('data', (d: string) => { text += d })
      res.on('end', () => { resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text, trailers: res.trailers }) })
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(body)
  })
}

const lines = (body: string): any[] => body.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l))

/** The importer's root for the same entries and query (reference for the daemon's answer). */
async function expectedRoot (parts: Part[], query: string): Promise<CID> {
  const params = parseAddParams(new URLSearchParams(query))
  async function * entries (): AsyncGenerator<AddEntry> {
    for (const p of parts) {
      if ('dir' in p) yield { type: 'directory', path: p.path }
      else yield { type: 'file', path: p.path, content: (async function * () { yield Buffer.from(p.content) })() }
    }
  }
  return await importUnixfs(entries(), params.importOptions, { put: async () => {}, allocations: () => [] })
}

async function car (roots: CID[], blocks: AddedBlock[]): Promise<Buffer> {
  return await carBytes(roots, blocks)
}

async function rawBlock (text: string): Promise<AddedBlock> {
  const bytes = new TextEncoder().encode(text)
  return { cid: CID.createV1(raw.code, await sha256.digest(bytes)), bytes }
}

async function pbBlock (links: AddedBlock[]): Promise<AddedBlock> {
  const bytes = dagPb.encode(dagPb.prepare({ Links: links.map((l, i) => ({ Hash: l.cid, Name: `l${i}`, Tsize: l.bytes.length })) }))
  return { cid: CID.createV0(await sha256.digest(bytes)), bytes }
}

describe('POST /add', () => {
  let peer: Peer
  let peerId: string
  before(async () => {
    peer = await Peer.init()
    await peer.start()
    peerId = await peer.id()
  })
  after(async () => {
    await peer?.destroy()
  })

  const isPinned = async (cid: string): Promise<boolean> => (await http(peer.restAddr, 'GET', `/allocations/${cid}`)).status === 200
  const statusOf = async (cid: string, want: string): Promise<string> => {
    let status = ''
    for (let i = 0; i < 100; i++) {
      const r = await http(peer.restAddr, 'GET', `/pins/${cid}`)
      status = r.status === 200 ? JSON.parse(r.body).peer_map[peerId]?.status : `http ${r.status}`
      if (status === want) return status
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    return status
  }

  it('adds a file as the importer would, streams its output and pins it', async () => {
    const parts: Part[] = [{ path: 'hello.txt', content: 'hello cluster add\n' }]
    const r = await http(peer.restAddr, 'POST', '/add?name=greeting', multipart(parts))
    assert.equal(r.status, 200, r.body)
    assert.equal(r.headers['content-type'], 'application/json')
    assert.equal(r.headers['cache-control'], 'no-cache')
    assert.equal(r.headers.connection, 'close')
    assert.equal(r.headers['x-chunked-output'], '1')
    assert.equal(r.headers.trailer, 'X-Stream-Error')
    assert.equal(r.trailers['x-stream-error'], undefined)
    const root = (await expectedRoot(parts, '')).toString()
    assert.equal(r.body, `{"name":"hello.txt","cid":"${root}","size":26,"allocations":["${peerId}"]}\n`)
    assert.equal(await statusOf(root, 'pinned'), 'pinned')
    const pin = JSON.parse((await http(peer.restAddr, 'GET', `/allocations/${root}`)).body)
    assert.equal(pin.name, 'greeting')
    assert.equal(pin.mode, 'recursive')
  })

  it('adds a nested directory with its outputs in Kubo order', async () => {
    const parts: Part[] = [
      { path: 'tree', dir: true },
      { path: 'tree/a.txt', content: randomBytes(1000) },
      { path: 'tree/sub', dir: true },
      { path: 'tree/sub/b.bin', content: randomBytes(300_000) },
      { path: 'tree/sub/empty', dir: true }
    ]
    const r = await http(peer.restAddr, 'POST', '/add', multipart(parts))
    assert.equal(r.status, 200, r.body)
    const out = lines(r.body)
    assert.deepEqual(out.map((o) => o.name), ['tree/a.txt', 'tree/sub/b.bin', 'tree/sub/empty', 'tree/sub', 'tree'])
    const root = (await expectedRoot(parts, '')).toString()
    assert.equal(out.at(-1).cid, root)
    assert.equal(await statusOf(root, 'pinned'), 'pinned')
  })

  it('wraps the upload in a directory named ""', async () => {
    const parts: Part[] = [{ path: 'x.txt', content: 'x' }, { path: 'y.txt', content: 'y' }]
    const r = await http(peer.restAddr, 'POST', '/add?wrap-with-directory=true', multipart(parts))
    const out = lines(r.body)
    assert.deepEqual(out.map((o) => o.name), ['x.txt', 'y.txt', ''])
    const root = (await expectedRoot(parts, 'wrap-with-directory=true')).toString()
    assert.equal(out.at(-1).cid, root)
    assert.equal(await statusOf(root, 'pinned'), 'pinned')
  })

  it('builds CIDv1 with raw leaves', async () => {
    const parts: Part[] = [{ path: 'big.bin', content: randomBytes(600_000) }]
    const q = 'cid-version=1&raw-leaves=true'
    const r = await http(peer.restAddr, 'POST', `/add?${q}`, multipart(parts))
    const out = lines(r.body)
    const root = (await expectedRoot(parts, q)).toString()
    assert.ok(root.startsWith('bafy'))
    assert.equal(out.at(-1).cid, root)
    assert.equal(await statusOf(root, 'pinned'), 'pinned')
  })

  it('answers one JSON array with stream-channels=false', async () => {
    const parts: Part[] = [{ path: 'd', dir: true }, { path: 'd/f', content: 'f' }]
    const r = await http(peer.restAddr, 'POST', '/add?stream-channels=false', multipart(parts))
    assert.equal(r.status, 200, r.body)
    assert.equal(r.headers['x-chunked-output'], undefined)
    assert.equal(r.headers.connection, 'close')
    const arr = JSON.parse(r.body)
    assert.ok(Array.isArray(arr))
    assert.deepEqual(arr.map((o: any) => o.name), ['d/f', 'd'])
    assert.equal(arr[1].cid, (await expectedRoot(parts, '')).toString())
  })

  it('answers 500 error JSON when a buffered add fails', async () => {
    const r = await http(peer.restAddr, 'POST', '/add?stream-channels=false&chunker=size-0', multipart([{ path: 'f', content: 'f' }]))
    assert.equal(r.status, 500, r.body)
    assert.equal(JSON.parse(r.body).code, 500)
  })

  it('puts the blocks but does not pin with no-pin', async () => {
    const parts: Part[] = [{ path: 'nopin.txt', content: randomBytes(100) }]
    const r = await http(peer.restAddr, 'POST', '/add?no-pin=true', multipart(parts))
    const root = (await expectedRoot(parts, '')).toString()
    assert.equal(lines(r.body)[0].cid, root)
    assert.equal(await isPinned(root), false)
    assert.doesNotMatch((await peer.ctl(['pin', 'ls'])).stdout, new RegExp(root))
  })

  it('emits progress events with progress=true', async () => {
    const parts: Part[] = [{ path: 'p.bin', content: randomBytes(600_000) }]
    const r = await http(peer.restAddr, 'POST', '/add?progress=true', multipart(parts))
    const out = lines(r.body)
    const progress = out.filter((o) => o.cid === null)
    // every 256 KiB read (at network chunk boundaries) and at the end of the file
    assert.ok(progress.length >= 3, r.body)
    assert.equal(progress.at(-1).bytes, 600000)
    assert.ok(progress[0].bytes >= 262144 && progress[0].bytes < 524288)
    assert.ok(progress.every((o) => o.name === ''))
    assert.equal(out.at(-1).name, 'p.bin')
  })

  it('refuses bad parameters with 400 before reading the body', async () => {
    const r = await http(peer.restAddr, 'POST', '/add?wrap-with-directory=maybe', multipart([{ path: 'f', content: 'f' }]))
    assert.equal(r.status, 400)
    assert.equal(r.body, '{"code":400,"message":"parameter wrap-with-directory invalid"}\n')
    const v = await http(peer.restAddr, 'POST', '/add?cid-version=2', multipart([{ path: 'f', content: 'f' }]))
    assert.equal(v.status, 400)
    assert.equal(JSON.parse(v.body).message, 'bad CID Version: unknown CID version: 2')
    const ct = await http(peer.restAddr, 'POST', '/add', Buffer.from('{}'), 'application/json')
    assert.equal(ct.status, 400)
    assert.equal(ct.body, '{"code":400,"message":"request Content-Type isn\'t multipart/form-data"}\n')
  })

  describe('format=car', () => {
    it('imports a one-root CAR, reports it once and pins it', async () => {
      const leaf1 = await rawBlock('car leaf one')
      const leaf2 = await rawBlock('car leaf two')
      const root = await pbBlock([leaf1, leaf2])
      const body = await car([root.cid], [root, leaf1, leaf2])
      const r = await http(peer.restAddr, 'POST', '/add?format=car', multipart([{ path: 'dag.car', content: body }]))
      assert.equal(r.status, 200, r.body)
      assert.equal(r.trailers['x-stream-error'], undefined)
      const bytes = root.bytes.length + leaf1.bytes.length + leaf2.bytes.length
      assert.equal(r.body, `{"name":"dag.car","cid":"${root.cid.toString()}","bytes":${bytes},"allocations":["${peerId}"]}\n`)
      assert.equal(await statusOf(root.cid.toString(), 'pinned'), 'pinned')
    })

    it('fails a CAR with two roots', async () => {
      const a = await rawBlock('root a')
      const b = await rawBlock('root b')
      const r = await http(peer.restAddr, 'POST', '/add?format=car', multipart([{ path: 'two.car', content: await car([a.cid, b.cid], [a, b]) }]))
      assert.equal(r.status, 200)
      assert.equal(r.trailers['x-stream-error'], 'only CAR files with a single root are supported')
      assert.equal(await isPinned(a.cid.toString()), false)
    })

    it('fails a CAR with a corrupt block', async () => {
      const good = await rawBlock('a good block')
      const body = await car([good.cid], [{ cid: good.cid, bytes: new TextEncoder().encode('a bad! block') }])
      const r = await http(peer.restAddr, 'POST', '/add?format=car', multipart([{ path: 'bad.car', content: body }]))
      assert.match(r.trailers['x-stream-error'] ?? '', /does not match its CID/)
      assert.equal(await isPinned(good.cid.toString()), false)
    })

    it('refuses wrapping a CAR', async () => {
      const a = await rawBlock('wrapped')
      const r = await http(peer.restAddr, 'POST', '/add?format=car&wrap-with-directory=true', multipart([{ path: 'w.car', content: await car([a.cid], [a]) }]))
      assert.equal(r.trailers['x-stream-error'], 'cannot wrap a CAR file upload')
    })

    it('refuses an incomplete DAG with check-dag=true and pins nothing', async () => {
      const present = await rawBlock('present leaf')
      const missing = await rawBlock(`missing leaf ${Math.random()}`)
      const root = await pbBlock([present, missing])
      const body = await car([root.cid], [root, present])
      const r = await http(peer.restAddr, 'POST', '/add?format=car&check-dag=true&stream-channels=false', multipart([{ path: 'part.car', content: body }]))
      assert.equal(r.status, 400, r.body)
      assert.equal(JSON.parse(r.body).message, `CAR is missing block ${missing.cid.toString()} under root ${root.cid.toString()}`)
      assert.equal(await isPinned(root.cid.toString()), false)
    })
  })

  describe('interrupted uploads', () => {
    it('pins nothing when the body is truncated', async () => {
      const parts: Part[] = [{ path: 'trunc.bin', content: randomBytes(400_000) }]
      const full = multipart(parts)
      const r = await http(peer.restAddr, 'POST', '/add', full.subarray(0, full.length - 200_000))
      assert.equal(r.status, 200)
      assert.match(r.trailers['x-stream-error'] ?? '', /truncated/)
      assert.equal(await isPinned((await expectedRoot(parts, '')).toString()), false)
    })

    it('pins nothing when the client goes away mid-upload', async () => {
      const parts: Part[] = [{ path: 'gone.bin', content: randomBytes(2_000_000) }]
      const full = multipart(parts)
      const [, , host, , port] = peer.restAddr.split('/')
      const sock = connect(Number(port), host)
      await new Promise<void>((resolve) => sock.once('connect', () => resolve()))
      sock.write(`POST /add HTTP/1.1\r\nHost: ${host}\r\nContent-Type: multipart/form-data; boundary=${BOUNDARY}\r\nContent-Length: ${full.length}\r\n\r\n`)
      sock.write(full.subarray(0, 1_000_000))
      // the response headers come at once (stream-channels=true): the add is under way
      await new Promise<void>((resolve) => sock.once('data', () => resolve()))
      sock.destroy()
      await new Promise((resolve) => setTimeout(resolve, 500))
      assert.equal(await isPinned((await expectedRoot(parts, '')).toString()), false)
      // the daemon keeps serving adds
      const ok = await http(peer.restAddr, 'POST', '/add', multipart([{ path: 'after.txt', content: 'still here' }]))
      assert.equal(ok.status, 200)
      assert.equal(ok.trailers['x-stream-error'], undefined)
    })
  })
})
