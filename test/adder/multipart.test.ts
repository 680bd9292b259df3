import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { readMultipart } from '../../src/adder/multipart.js'
import type { MultipartRequest, ReadMultipartOptions } from '../../src/adder/multipart.js'
import type { AddEntry } from '../../src/adder/types.js'

const BOUNDARY = 'b0undary'
const enc = new TextEncoder()
const dec = new TextDecoder()

interface Part { filename?: string, type?: string, disposition?: string, body?: string | Uint8Array }

/** A body as go-ipfs-files' MultiFileReader (form mode) writes it. */
function body (parts: Part[], opts: { close?: boolean } = {}): Uint8Array {
  const pieces: Uint8Array[] = []
  for (const p of parts) {
    const disposition = p.disposition ?? `form-data; name="file"; filename="${p.filename ?? ''}"`
    pieces.push(enc.encode(`--${BOUNDARY}\r\nContent-Disposition: ${disposition}\r\nContent-Type: ${p.type ?? 'application/octet-stream'}\r\n\r\n`))
    pieces.push(typeof p.body === 'string' ? enc.encode(p.body) : p.body ?? new Uint8Array())
    pieces.push(enc.encode('\r\n'))
  }
  if (opts.close !== false) pieces.push(enc.encode(`--${BOUNDARY}--\r\n`))
  return Buffer.concat(pieces)
}

async function * chunked (bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.slice(i, i + size)
}

function request (bytes: Uint8Array, opts: { chunk?: number, type?: string } = {}): MultipartRequest {
  return {
    headers: { 'content-type': opts.type ?? `multipart/form-data; boundary=${BOUNDARY}` },
    stream: chunked(bytes, opts.chunk ?? 5)
  }
}

type Seen = { type: 'file', path: string, text: string } | { type: 'directory', path: string } | { type: 'symlink', path: string, target: string }

/** Reads every entry, consuming file content as the contract requires. */
async function collect (req: MultipartRequest, options?: ReadMultipartOptions): Promise<Seen[]> {
  const out: Seen[] = []
  for await (const entry of readMultipart(req, options)) {
    out.push(await seen(entry))
  }
  return out
}

async function seen (entry: AddEntry): Promise<Seen> {
  if (entry.type !== 'file') return entry
  const chunks: Uint8Array[] = []
  for await (const c of entry.content) chunks.push(c)
  return { type: 'file', path: entry.path, text: dec.decode(Buffer.concat(chunks)) }
}

describe('multipart reader', () => {
  it('reads files, directories and symlinks in body order', async () => {
    const bytes = body([
      { filename: 'dir', type: 'application/x-directory' },
      { filename: 'dir%2Fa.txt', body: 'hello\r\n--b0undar not a boundary' },
      { filename: 'dir%2Fsub', type: 'application/x-directory' },
      { filename: 'dir%2Fsub%2Fempty' },
      { filename: 'dir%2Flink', type: 'application/symlink', body: 'sub/empty' }
    ])
    for (const chunk of [1, 3, 64, 1 << 20]) {
      assert.deepEqual(await collect(request(bytes, { chunk })), [
        { type: 'directory', path: 'dir' },
        { type: 'file', path: 'dir/a.txt', text: 'hello\r\n--b0undar not a boundary' },
        { type: 'directory', path: 'dir/sub' },
        { type: 'file', path: 'dir/sub/empty', text: '' },
        { type: 'symlink', path: 'dir/link', target: 'sub/empty' }
      ], `chunk size ${chunk}`)
    }
  })

  it('reads several top-level entries', async () => {
    const bytes = body([{ filename: 'a', body: '1' }, { filename: 'b', body: '2' }])
    assert.deepEqual(await collect(request(bytes)), [
      { type: 'file', path: 'a', text: '1' },
      { type: 'file', path: 'b', text: '2' }
    ])
  })

  it('unescapes url-query-escaped filenames', async () => {
    const bytes = body([{ filename: 'd%C3%A9j%C3%A0+vu%2B%25.txt', body: 'x' }])
    assert.deepEqual(await collect(request(bytes)), [{ type: 'file', path: 'déjà vu+%.txt', text: 'x' }])
  })

  it('takes a filename with an invalid escape literally', async () => {
    const bytes = body([{ filename: '100%zz', body: 'x' }])
    assert.deepEqual(await collect(request(bytes)), [{ type: 'file', path: '100%zz', text: 'x' }])
  })

  it('accepts attachment dispositions and multipart/mixed bodies', async () => {
    const bytes = body([
      { disposition: 'attachment; filename="d"', type: 'application/x-directory' },
      { disposition: 'attachment; filename="d%2Ff"', body: 'content' }
    ])
    const req = request(bytes, { type: `multipart/mixed; boundary="${BOUNDARY}"` })
    assert.deepEqual(await collect(req), [
      { type: 'directory', path: 'd' },
      { type: 'file', path: 'd/f', text: 'content' }
    ])
  })

  it('creates missing parent directories implicitly, once, before their first child', async () => {
    const bytes = body([
      { filename: 'a%2Fb%2Fc.txt', body: 'c' },
      { filename: 'a%2Fb', type: 'application/x-directory' },
      { filename: 'x%2Fy', body: 'y' },
      { filename: 'a%2Fd.txt', body: 'd' }
    ])
    assert.deepEqual(await collect(request(bytes)), [
      { type: 'directory', path: 'a' },
      { type: 'directory', path: 'a/b' },
      { type: 'file', path: 'a/b/c.txt', text: 'c' },
      { type: 'directory', path: 'x' },
      { type: 'file', path: 'x/y', text: 'y' },
      { type: 'file', path: 'a/d.txt', text: 'd' }
    ])
  })

  for (const [name, filename] of [
    ['a .. segment', '..%2Fetc%2Fpasswd'],
    ['a .. segment inside', 'a%2F..%2F..%2Fb'],
    ['an absolute path', '%2Fetc%2Fpasswd'],
    ['an empty segment', 'a%2F%2Fb'],
    ['a trailing slash', 'a%2F'],
    ['a . segment', '.%2Fa'],
    ['a bare ..', '..']
  ]) {
    it(`refuses a path with ${name}`, async () => {
      const bytes = body([{ filename, body: 'x' }])
      await assert.rejects(collect(request(bytes)), (err: Error) => {
        assert.equal(err.name, 'InvalidArgumentError')
        assert.match(err.message, /^invalid path .* in upload/)
        return true
      })
    })
  }

  it('refuses a part without a filename', async () => {
    const bytes = body([{ disposition: 'form-data; name="file"', body: 'x' }])
    await assert.rejects(collect(request(bytes)), { name: 'InvalidArgumentError', message: 'multipart part has no filename' })
  })

  it('refuses a repeated file path', async () => {
    const bytes = body([{ filename: 'a', body: '1' }, { filename: 'a', body: '2' }])
    await assert.rejects(collect(request(bytes)), { name: 'InvalidArgumentError', message: 'duplicate path a in upload' })
  })

  it('refuses an entry under a file', async () => {
    const bytes = body([{ filename: 'a', body: '1' }, { filename: 'a%2Fb', body: '2' }])
    await assert.rejects(collect(request(bytes)), { name: 'InvalidArgumentError', message: 'invalid path a/b in upload: a is not a directory' })
  })

  it('refuses nested multipart parts', async () => {
    const bytes = body([{ filename: 'd', type: 'multipart/mixed; boundary=inner', body: '--inner--\r\n' }])
    await assert.rejects(collect(request(bytes)), (err: Error) => err.name === 'InvalidArgumentError' && err.message.startsWith('nested multipart/mixed parts are not supported'))
  })

  it('refuses a request that is not multipart', async () => {
    await assert.rejects(collect(request(body([]), { type: 'application/json' })),
      { name: 'InvalidArgumentError', message: "request Content-Type isn't multipart/form-data" })
    await assert.rejects(collect({ headers: {}, stream: chunked(new Uint8Array(), 1) }),
      { name: 'InvalidArgumentError', message: "request Content-Type isn't multipart/form-data" })
  })

  it('refuses a multipart request without a boundary', async () => {
    await assert.rejects(collect(request(body([{ filename: 'a' }]), { type: 'multipart/form-data' })),
      { name: 'InvalidArgumentError', message: 'no multipart boundary param in Content-Type' })
  })

  it('refuses an upload with no parts', async () => {
    await assert.rejects(collect(request(body([]))), { name: 'InvalidArgumentError', message: 'empty upload: the multipart body has no parts' })
  })

  it('refuses an empty body', async () => {
    await assert.rejects(collect(request(new Uint8Array())), { name: 'InvalidArgumentError', message: /truncated upload/ })
  })

  it('refuses a body without its closing boundary', async () => {
    const bytes = body([{ filename: 'a', body: 'complete' }, { filename: 'b', body: 'cut short' }], { close: false })
    for (const cut of [0, 4, 30]) {
      await assert.rejects(collect(request(bytes.subarray(0, bytes.length - cut))), { name: 'InvalidArgumentError', message: /truncated upload/ }, `cut ${cut}`)
    }
  })

  it('refuses a body cut inside the part headers', async () => {
    const bytes = body([{ filename: 'a', body: 'x' }])
    await assert.rejects(collect(request(bytes.subarray(0, 30))), { name: 'InvalidArgumentError', message: /truncated upload/ })
  })

  it('refuses a body whose stream fails (client went away)', async () => {
    const bytes = body([{ filename: 'a', body: 'x'.repeat(100) }])
    async function * failing (): AsyncGenerator<Uint8Array> {
      yield bytes.subarray(0, 120)
      throw Object.assign(new Error('aborted'), { code: 'ECONNRESET' })
    }
    const req = { headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` }, stream: failing() }
    await assert.rejects(collect(req), (err: Error) => {
      assert.equal(err.name, 'InvalidArgumentError')
      assert.equal(err.message, 'upload interrupted: aborted')
      assert.equal((err.cause as Error).message, 'aborted')
      return true
    })
  })

  it('refuses more parts than allowed', async () => {
    const bytes = body([{ filename: 'a' }, { filename: 'b' }, { filename: 'c' }])
    await assert.rejects(collect(request(bytes), { limits: { maxParts: 2 } }), { name: 'InvalidArgumentError', message: 'multipart upload too large: MaxParts limit reached' })
  })

  it('refuses a symlink target longer than the limit', async () => {
    const bytes = body([{ filename: 'l', type: 'application/symlink', body: 'x'.repeat(11) }])
    await assert.rejects(collect(request(bytes), { limits: { maxSymlinkTarget: 10 } }), { name: 'InvalidArgumentError', message: 'symlink target of l is longer than 10 bytes' })
  })

  it('skips the unread content of a file when the next entry is requested', async () => {
    const bytes = body([{ filename: 'a', body: 'x'.repeat(1000) }, { filename: 'b', body: 'second' }])
    const out: Seen[] = []
    for await (const entry of readMultipart(request(bytes, { chunk: 16 }))) {
      if (entry.path === 'a' && entry.type === 'file') {
        for await (const _ of entry.content) break // read one chunk only
        out.push({ type: 'directory', path: 'a-skipped' })
      } else {
        out.push(await seen(entry))
      }
    }
    assert.deepEqual(out, [{ type: 'directory', path: 'a-skipped' }, { type: 'file', path: 'b', text: 'second' }])
  })

  it('fails a content read after the next entry was requested', async () => {
    const bytes = body([{ filename: 'a', body: 'first' }, { filename: 'b', body: 'second' }])
    const it = readMultipart(request(bytes))
    const first = (await it.next()).value as AddEntry
    await it.next()
    assert.equal(first.type, 'file')
    if (first.type !== 'file') return
    await assert.rejects(seen(first), { message: 'content of a read after the next entry was requested' })
    await it.return(undefined)
  })

  it('reads the body only as fast as content is consumed (back-pressure)', async () => {
    const size = 64 * 1024
    const total = 256 // 16 MiB file
    let pulled = 0
    const head = enc.encode(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="big"\r\nContent-Type: application/octet-stream\r\n\r\n`)
    async function * source (): AsyncGenerator<Uint8Array> {
      pulled++
      yield head
      for (let i = 0; i < total; i++) {
        pulled++
        yield new Uint8Array(size).fill(i % 251)
      }
      pulled++
      yield enc.encode(`\r\n--${BOUNDARY}--\r\n`)
    }
    const it = readMultipart({ headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` }, stream: source() })
    const entry = (await it.next()).value as AddEntry
    assert.equal(entry.type, 'file')
    if (entry.type !== 'file') return
    const content = entry.content[Symbol.asyncIterator]()
    let bytes = 0
    for (let i = 0; i < 10; i++) bytes += ((await content.next()).value as Uint8Array).byteLength
    assert.ok(pulled <= 12, `pulled ${pulled} chunks to deliver 10`)
    for (let r = await content.next(); r.done !== true; r = await content.next()) bytes += r.value.byteLength
    assert.equal(bytes, size * total)
    assert.equal((await it.next()).done, true)
    assert.equal(pulled, total + 2)
  })

  it('stops with the signal reason when aborted', async () => {
    const controller = new AbortController()
    async function * stalled (): AsyncGenerator<Uint8Array> {
      yield enc.encode(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="a"\r\n\r\nabc`)
      await new Promise(() => {}) // the client never sends the rest
    }
    const it = readMultipart({ headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` }, stream: stalled() }, { signal: controller.signal })
    const entry = (await it.next()).value as AddEntry
    assert.equal(entry.type, 'file')
    if (entry.type !== 'file') return
    const content = entry.content[Symbol.asyncIterator]()
    const reading = (async () => { for (let r = await content.next(); r.done !== true; r = await content.next()); })()
    controller.abort(new Error('stop'))
    await assert.rejects(reading, { message: 'stop' })
  })

  it('reads a request sent by fetch with FormData to an HTTP server', async () => {
    let result: Seen[] | Error = []
    const server = createServer((req, res) => {
      collect({ headers: req.headers, stream: req }).then((r) => { result = r }, (err) => { result = err }).finally(() => res.end())
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    try {
      const form = new FormData()
      form.append('file', new Blob([new Uint8Array(300_000).fill(7)]), 'big.bin')
      form.append('file', new Blob(['hi']), 'two words.txt')
      const { port } = server.address() as AddressInfo
      const res = await fetch(`http://127.0.0.1:${port}/add`, { method: 'POST', body: form, signal: AbortSignal.timeout(10_000) })
      await res.arrayBuffer()
    } finally {
      server.close()
    }
    assert.ok(!(result instanceof Error), String(result))
    const entries = result as Seen[]
    assert.equal(entries.length, 2)
    assert.equal(entries[0].path, 'big.bin')
    assert.equal(entries[0].type === 'file' ? entries[0].text.length : 0, 300_000)
    assert.deepEqual(entries[1], { type: 'file', path: 'two words.txt', text: 'hi' })
  })
})
