import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { lstat, mkdir, mkdtemp, rm, symlink, writeFile, chmod } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { main } from '../../../src/cli/ctl/index.js'
import { cleanPath, goFileModeString, ReadBufferPool } from '../../../src/cli/ctl/multipart.js'
import { uploadProgressText } from '../../../src/cli/ctl/progress.js'
import { fakeServer, run } from './fake-server.js'
import type { FakeServer, Recorded } from './fake-server.js'
import type { TtyStream } from '../../../src/cli/ctl/progress.js'

const PEER = '12D3KooWQfuu2VkFx1nE7L6XaK9B2C5o7AG7UJxJ1kVBK6r5aSbN'
const PEER2 = '12D3KooWJ6XnqNtHh8t1tyPeMnzE2S7mSs3F1vXcZ2J6N8KpGnTw'
const CID_A = 'QmYjtig7VJQ6XsnUjqqJvj7QaMcCAwtrgNdahSiFofrE7o'
const CID_B = 'bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi'
const CID_W = 'QmUNLLsPACCz1vLxQVkXqqLX5R1X345qqfHbsf67hvA3Nn'

/** The query the Go client sends with every default. */
const DEFAULT_QUERY = 'chunker=size-262144&cid-version=0&format=unixfs&hash=sha2-256&hidden=false&layout=&local=false' +
  '&mode=recursive&name=&no-pin=false&nocopy=false&progress=false&raw-leaves=false&recursive=false&replication-max=0' +
  '&replication-min=0&shard=false&shard-size=104857600&stream-channels=true&user-allocations=&wrap-with-directory=false'

const OUTPUTS = [
  { name: 'dir/a.txt', cid: CID_A, size: 12 },
  { name: 'dir', cid: CID_B, size: 70, allocations: [PEER2, PEER] },
  { name: '', cid: CID_W, size: 121 }
]

interface Part { headers: string[], body: Buffer }

/** Splits a Go multipart body into parts, checking the exact framing. */
function parseMultipart (body: Buffer, boundary: string): Part[] {
  const text = body.toString('latin1')
  assert.ok(text.startsWith(`--${boundary}\r\n`), 'starts with the first boundary')
  assert.ok(text.endsWith(`\r\n--${boundary}--\r\n`), 'ends with the closing boundary')
  const inner = text.slice(`--${boundary}\r\n`.length, -`\r\n--${boundary}--\r\n`.length)
  return inner.split(`\r\n--${boundary}\r\n`).map((raw) => {
    const i = raw.indexOf('\r\n\r\n')
    return { headers: raw.slice(0, i).split('\r\n'), body: Buffer.from(raw.slice(i + 4), 'latin1') }
  })
}

function boundaryOf (req: Recorded): string {
  const m = /^multipart\/form-data; boundary=([0-9a-f]{60})$/.exec(String(req.headers['content-type']))
  assert.ok(m != null, `content type ${String(req.headers['content-type'])}`)
  return m[1]
}

/** The Content-Disposition the Go client writes for a path (mode and mtime from lstat). */
async function disposition (path: string, filename: string): Promise<string> {
  const st = await lstat(path, { bigint: true })
  const perm = Number(st.mode) & 0o777
  const mode = st.isSymbolicLink() ? 0o777 + 2 ** 27 : st.isDirectory() ? perm + 2 ** 31 : perm
  const sec = st.mtimeNs / 1_000_000_000n
  const nsec = st.mtimeNs % 1_000_000_000n
  const params = `mode=0${mode.toString(8)}&mtime=${sec}${nsec > 0n ? `&mtime-nsecs=${nsec}` : ''}`
  return `Content-Disposition: form-data; name="file?${params}"; filename="${filename}"`
}

const enc = (s: string): string => encodeURIComponent(s).replace(/%20/g, '+')

describe('ctl add', () => {
  let srv: FakeServer
  let dir: string
  let routes: Record<string, unknown>
  const h = (): string[] => ['--host', srv.host]
  const lastAdd = (): Recorded => srv.requests.filter((r) => r.method === 'POST' && r.url.startsWith('/add?')).at(-1) as Recorded

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ctl-add-'))
    await writeFile(join(dir, 'small.bin'), 'hello\n')
    await mkdir(join(dir, 'tree', 'sub'), { recursive: true })
    await mkdir(join(dir, 'tree', '.git'))
    await writeFile(join(dir, 'tree', 'b.txt'), 'bbb')
    await writeFile(join(dir, 'tree', 'a b é.txt'), 'aaa')
    await writeFile(join(dir, 'tree', '.hidden'), 'h')
    await writeFile(join(dir, 'tree', '.git', 'HEAD'), 'ref')
    await writeFile(join(dir, 'tree', 'sub', 'c.txt'), 'ccc')
    await writeFile(join(dir, 'tree', 'Z.txt'), 'zzz')
    await symlink('b.txt', join(dir, 'tree', 'link'))
    routes = {
      'POST /add': { items: OUTPUTS },
      [`GET /allocations/${CID_W}`]: { body: { cid: CID_W, replication_factor_min: 1, replication_factor_max: 2 } },
      [`GET /pins/${CID_W}`]: (_req: unknown, n: number) => ({ body: { cid: CID_W, peer_map: { [PEER]: { status: n < 1 ? 'pinning' : 'pinned' }, [PEER2]: { status: 'pin_queued' } } } })
    }
    srv = await fakeServer(routes as any)
  })

  after(async () => {
    await srv.close()
    await rm(dir, { recursive: true, force: true })
  })

  describe('request', () => {
    it('sends every add parameter with the Go client defaults', async () => {
      const r = await run([...h(), 'add', join(dir, 'small.bin')])
      assert.equal(r.code, 0, r.stderr)
      assert.equal(lastAdd().url, `/add?${DEFAULT_QUERY}`)
      assert.equal(lastAdd().headers['transfer-encoding'], 'chunked')
    })

    it('maps the flags to query parameters', async () => {
      const r = await run([...h(), 'add', '--name', 'my name', '--rmin', '2', '--rmax', '3', '--local', '--no-pin', '--layout', 'trickle',
        '--chunker', 'rabin-1-2-3', '--raw-leaves', '-H', '-w', '--metadata', 'kind=text', '--metadata', 'a=b=c',
        '--allocs', `${PEER},nope,${PEER2}`, '--format', 'unixfs', join(dir, 'small.bin')])
      assert.equal(r.code, 0, r.stderr)
      assert.equal(lastAdd().url, '/add?chunker=rabin-1-2-3&cid-version=0&format=unixfs&hash=sha2-256&hidden=true&layout=trickle' +
        '&local=true&meta-a=b%3Dc&meta-kind=text&mode=recursive&name=my+name&no-pin=true&nocopy=false&progress=false&raw-leaves=true' +
        `&recursive=false&replication-max=3&replication-min=2&shard=false&shard-size=104857600&stream-channels=true&user-allocations=${PEER}%2C${PEER2}` +
        '&wrap-with-directory=true')
    })

    it('derives cid-version from --hash, raw-leaves from cid-version, and wraps several paths', async () => {
      await run([...h(), 'add', '--hash', 'sha3-512', join(dir, 'small.bin')])
      assert.match(lastAdd().url, /&cid-version=1&.*&hash=sha3-512&.*&raw-leaves=true&/)
      await run([...h(), 'add', '--cid-version', '1', join(dir, 'small.bin')])
      assert.match(lastAdd().url, /&cid-version=1&.*&hash=sha2-256&.*&raw-leaves=true&/)
      await run([...h(), 'add', join(dir, 'small.bin'), join(dir, 'small.bin')])
      assert.match(lastAdd().url, /&wrap-with-directory=true$/)
      assert.match(lastAdd().url, /&recursive=false&/)
    })

    it('sends expire-at for --expire-in', async () => {
      await run([...h(), 'add', '--expire-in', '1h', join(dir, 'small.bin')])
      const at = new URL(lastAdd().url, 'http://x').searchParams.get('expire-at')
      assert.ok(at != null)
      assert.ok(Math.abs(Date.parse(at) - Date.now() - 3_600_000) < 60_000)
    })

    it('uploads a file as one form-data part with its mode, mtime and escaped absolute path', async () => {
      const path = join(dir, 'small.bin')
      await run([...h(), 'add', path])
      const req = lastAdd()
      const parts = parseMultipart(req.body as Buffer, boundaryOf(req))
      assert.deepEqual(parts.map((p) => p.headers), [[
        `Abspath-Encoded: ${enc(path)}`,
        await disposition(path, 'small.bin'),
        'Content-Type: application/octet-stream'
      ]])
      assert.equal(parts[0].body.toString(), 'hello\n')
    })

    it('walks a directory in lexical order, skipping hidden entries and sending symlinks', async () => {
      const t = join(dir, 'tree')
      await run([...h(), 'add', '-r', t])
      const req = lastAdd()
      const parts = parseMultipart(req.body as Buffer, boundaryOf(req))
      const names = parts.map((p) => /filename="([^"]*)"/.exec(p.headers.join('\n'))?.[1])
      assert.deepEqual(names, ['tree', 'tree%2FZ.txt', `tree%2F${enc('a b é.txt')}`, 'tree%2Fb.txt', 'tree%2Flink', 'tree%2Fsub', 'tree%2Fsub%2Fc.txt'])
      const types = parts.map((p) => p.headers.find((l) => l.startsWith('Content-Type: ')))
      assert.deepEqual(types, ['application/x-directory', 'application/octet-stream', 'application/octet-stream', 'application/octet-stream',
        'application/symlink', 'application/x-directory', 'application/octet-stream'].map((t) => `Content-Type: ${t}`))
      assert.deepEqual(parts[0].headers, [await disposition(t, 'tree'), 'Content-Type: application/x-directory'])
      assert.deepEqual(parts[4].headers, [await disposition(join(t, 'link'), 'tree%2Flink'), 'Content-Type: application/symlink'])
      assert.equal(parts[0].body.length, 0)
      assert.equal(parts[4].body.toString(), 'b.txt')
      assert.equal(Buffer.from(parts[2].body).toString(), 'aaa')
      assert.equal(parts[6].headers[0], `Abspath-Encoded: ${enc(join(t, 'sub', 'c.txt'))}`)
      assert.match(req.url, /&recursive=true&/)
    })

    it('includes hidden entries with --hidden', async () => {
      await run([...h(), 'add', '-r', '--hidden', join(dir, 'tree')])
      const req = lastAdd()
      const names = parseMultipart(req.body as Buffer, boundaryOf(req)).map((p) => /filename="([^"]*)"/.exec(p.headers.join('\n'))?.[1])
      assert.deepEqual(names, ['tree', 'tree%2F.git', 'tree%2F.git%2FHEAD', 'tree%2F.hidden', 'tree%2FZ.txt', `tree%2F${enc('a b é.txt')}`,
        'tree%2Fb.txt', 'tree%2Flink', 'tree%2Fsub', 'tree%2Fsub%2Fc.txt'])
      assert.match(req.url, /&hidden=true&/)
    })

    it('names top-level entries by their cleaned base name and adds a hidden file given explicitly', async () => {
      await run([...h(), 'add', '-r', join(dir, 'tree', '.hidden'), `${join(dir, 'tree', 'sub')}//./`])
      const req = lastAdd()
      const names = parseMultipart(req.body as Buffer, boundaryOf(req)).map((p) => /filename="([^"]*)"/.exec(p.headers.join('\n'))?.[1])
      assert.deepEqual(names, ['.hidden', 'sub', 'sub%2Fc.txt'])
    })

    it('adds the working directory for "."', async () => {
      const cwd = process.cwd()
      process.chdir(join(dir, 'tree', 'sub'))
      try {
        await run([...h(), 'add', '-r', '.'])
      } finally {
        process.chdir(cwd)
      }
      const req = lastAdd()
      const names = parseMultipart(req.body as Buffer, boundaryOf(req)).map((p) => /filename="([^"]*)"/.exec(p.headers.join('\n'))?.[1])
      assert.deepEqual(names, ['sub', 'sub%2Fc.txt'])
    })

    it('downloads URL arguments and uploads them under the base name of the URL path', async () => {
      const web = await fakeServer({ 'GET /files/dir/page.txt': { raw: 'from the web' } })
      try {
        const url = `http://127.0.0.1:${web.port}/files/dir/page.txt?x=1`
        const r = await run([...h(), 'add', url])
        assert.equal(r.code, 0, r.stderr)
        const req = lastAdd()
        const parts = parseMultipart(req.body as Buffer, boundaryOf(req))
        assert.deepEqual(parts.map((p) => p.headers), [[
          `Abspath-Encoded: ${enc(url)}`,
          'Content-Disposition: form-data; name="file"; filename="page.txt"',
          'Content-Type: application/octet-stream'
        ]])
        assert.equal(parts[0].body.toString(), 'from the web')
        const bad = await run([...h(), 'add', `http://127.0.0.1:${web.port}/missing`])
        assert.equal(bad.code, 1)
        assert.match(bad.stdout, new RegExp(`Message: Post "http://127\\.0\\.0\\.1:${srv.port}/add\\?.*": got non-2XX status code 404: http://127\\.0\\.0\\.1:${web.port}/missing\n$`))
      } finally {
        await web.close()
      }
    })

    it('streams a large file unchanged', async () => {
      const data = randomBytes(3 * 1024 * 1024 + 17)
      const path = join(dir, 'big.bin')
      await writeFile(path, data)
      try {
        await run([...h(), 'add', path])
        const req = lastAdd()
        const parts = parseMultipart(req.body as Buffer, boundaryOf(req))
        assert.equal(parts.length, 1)
        assert.ok(parts[0].body.equals(data))
      } finally {
        await rm(path)
      }
    })
  })

  describe('output', () => {
    it('prints added lines, the wrapper with a trailing space', async () => {
      const r = await run([...h(), 'add', join(dir, 'small.bin')])
      assert.equal(r.stdout, `added ${CID_A} dir/a.txt\nadded ${CID_B} dir\nadded ${CID_W} \n`)
      assert.equal(r.stderr, '')
    })

    it('prints only CIDs with -q and only the last one with -Q', async () => {
      assert.equal((await run([...h(), 'add', '-q', join(dir, 'small.bin')])).stdout, `${CID_A}\n${CID_B}\n${CID_W}\n`)
      assert.equal((await run([...h(), 'add', '-Q', join(dir, 'small.bin')])).stdout, `${CID_W}\n`)
      assert.equal((await run([...h(), 'add', '--quieter', '-q', join(dir, 'small.bin')])).stdout, `${CID_W}\n`)
    })

    it('prints buffered output with --no-stream', async () => {
      assert.equal((await run([...h(), 'add', '--no-stream', join(dir, 'small.bin')])).stdout,
        `added ${CID_A} dir/a.txt\nadded ${CID_B} dir\nadded ${CID_W} \n`)
      assert.equal((await run([...h(), 'add', '--no-stream', '-Q', join(dir, 'small.bin')])).stdout, `${CID_W}\n`)
      assert.match(lastAdd().url, /&stream-channels=true&/)
    })

    it('prints one JSON document per item, or one array with --no-stream', async () => {
      const doc = (o: Record<string, unknown>): string => JSON.stringify(o, null, 4) + '\n'
      const r = await run([...h(), '--enc=json', 'add', '-q', join(dir, 'small.bin')])
      assert.equal(r.stdout, OUTPUTS.map(doc).join(''))
      assert.equal((await run([...h(), '--enc=json', 'add', '-Q', join(dir, 'small.bin')])).stdout, doc(OUTPUTS[2]))
      assert.equal((await run([...h(), '--enc=json', 'add', '--no-stream', join(dir, 'small.bin')])).stdout, JSON.stringify(OUTPUTS, null, 4) + '\n')
      assert.equal((await run([...h(), '--enc=json', 'add', '--no-stream', '-Q', join(dir, 'small.bin')])).stdout, JSON.stringify([OUTPUTS[2]], null, 4) + '\n')
    })

    it('waits for the last CID with the replication factor of its pin', async () => {
      const before = srv.requests.length
      const r = await run([...h(), 'add', '-Q', '--wait', join(dir, 'small.bin')])
      assert.equal(r.code, 0, r.stderr)
      assert.equal(r.stdout, `${CID_W}\n`)
      assert.deepEqual(srv.requests.slice(before + 1).map((q) => `${q.method} ${q.url}`),
        [`GET /allocations/${CID_W}`, `GET /pins/${CID_W}?local=false`, `GET /pins/${CID_W}?local=false`])
    })

    it('draws upload progress on a terminal stderr only, leaving stdout alone', async () => {
      const writes: string[] = []
      const tty: TtyStream = { isTTY: true, write: (s: string) => { writes.push(s); return true } }
      let stdout = ''
      let stderr = ''
      const code = await main([...h(), 'add', join(dir, 'small.bin')], {
        env: {}, progressStream: tty, stdout: (s) => { stdout += s }, stderr: (s) => { stderr += s }
      })
      assert.equal(code, 0)
      assert.equal(stdout, `added ${CID_A} dir/a.txt\nadded ${CID_B} dir\nadded ${CID_W} \n`)
      assert.equal(stderr, '')
      assert.ok(writes.some((w) => w.startsWith('\radding ')), writes.join('|'))
      assert.equal(writes.at(-1), '\r\x1b[K')
    })

    it('formats the upload progress line', () => {
      assert.equal(uploadProgressText({ sent: 6_300_000, total: 21_000_000, elapsed: 3000 }),
        'adding 6.3 MB / 21 MB [======>             ] 30% 2.1 MB/s ETA 7s')
      assert.equal(uploadProgressText({ sent: 10, total: 10, elapsed: 1000 }), 'adding 10 B / 10 B [====================] 100% 10 B/s')
      assert.equal(uploadProgressText({ sent: 0, total: 0, elapsed: 0 }), 'adding 0 B / 0 B [====================] 100% 0 B/s')
      assert.equal(uploadProgressText({ sent: 2000, elapsed: 2000 }), 'adding 2.0 kB 1.0 kB/s')
    })
  })

  describe('errors', () => {
    it('needs at least one path', async () => {
      const r = await run([...h(), 'add'])
      assert.deepEqual(r, { code: 1, stdout: '', stderr: 'error : need at least one path\n' })
    })

    it('refuses directories without -r, missing files and nocopy for local paths before any request', async () => {
      const n = srv.requests.length
      const t = join(dir, 'tree')
      assert.deepEqual(await run([...h(), 'add', `${t}/`]), { code: 1, stdout: '', stderr: `error : ${t} is a directory, but Recursive option is not set\n` })
      assert.deepEqual(await run([...h(), 'add', join(dir, 'small.bin'), join(dir, 'nope')]),
        { code: 1, stdout: '', stderr: `error : lstat ${join(dir, 'nope')}: no such file or directory\n` })
      assert.deepEqual(await run([...h(), 'add', '-']), { code: 1, stdout: '', stderr: 'error : lstat -: no such file or directory\n' })
      assert.deepEqual(await run([...h(), 'add', '--nocopy', join(dir, 'small.bin')]), { code: 1, stdout: '', stderr: 'error : nocopy option is only valid for URLs\n' })
      assert.deepEqual(await run([...h(), 'add', 'a%zz']), { code: 1, stdout: '', stderr: 'error : error parsing path: parse "a%zz": invalid URL escape "%zz"\n' })
      assert.deepEqual(await run([...h(), 'add', '1a:b']),
        { code: 1, stdout: '', stderr: 'error : error parsing path: parse "1a:b": first path segment in URL cannot contain colon\n' })
      assert.equal(srv.requests.length, n)
    })

    it('rejects CAR with wrapping, bad metadata and bad expire-in', async () => {
      const f = join(dir, 'small.bin')
      assert.deepEqual(await run([...h(), 'add', '--format', 'car', '-w', f]),
        { code: 1, stdout: '', stderr: 'error : only a single CAR file can be added and wrap-with-directory is not supported\n' })
      assert.equal((await run([...h(), 'add', '--format', 'car', f, f])).code, 1)
      assert.deepEqual(await run([...h(), 'add', '--metadata', 'novalue', f]),
        { code: 1, stdout: '', stderr: 'error parsing metadata: metadata were not in the format key=value\n' })
      const e = await run([...h(), 'add', '--expire-in', 'soon', f])
      assert.equal(e.code, 1)
      assert.match(e.stderr, /^error parsing expire-in: time: invalid duration "soon"\n$/)
    })

    it('reports unreadable files with Go texts', async () => {
      const f = join(dir, 'secret.bin')
      await writeFile(f, 'x')
      await chmod(f, 0o000)
      try {
        const want = { code: 1, stdout: '', stderr: `error : open ${f}: permission denied\n` }
        if (process.getuid?.() !== 0) {
          assert.deepEqual(await run([...h(), 'add', f]), want)
          return
        }
        // root reads every file: run the ctl as `nobody`, for whom the file is unreadable
        await chmod(dir, 0o755)
        const bin = fileURLToPath(new URL('../../../../bin/ipfs-cluster-ctl.js', import.meta.url))
        const r = spawnSync(process.execPath, [bin, ...h(), 'add', f], { encoding: 'utf8', uid: 65534, gid: 65534 })
        assert.deepEqual({ code: r.status, stdout: r.stdout, stderr: r.stderr }, want)
      } finally {
        await rm(f)
      }
    })

    it('prints a server error with exit 2', async () => {
      const s = await fakeServer({ 'POST /add': { status: 400, body: { code: 400, message: 'layout parameter is invalid' } } })
      try {
        const r = await run(['--host', s.host, 'add', '--layout', 'nope', join(dir, 'small.bin')])
        assert.deepEqual(r, { code: 2, stdout: 'An error occurred:\n  Code: 400\n  Message: layout parameter is invalid\n', stderr: '' })
        const j = await run(['--host', s.host, '--enc=json', 'add', join(dir, 'small.bin')])
        assert.equal(j.stdout, '{\n    "code": 400,\n    "message": "layout parameter is invalid"\n}\n')
      } finally {
        await s.close()
      }
    })

    it('prints the items before a trailer error, and exits 2', async () => {
      const s = await fakeServer({ 'POST /add': { items: [OUTPUTS[0]], trailerErrors: ['error adding: boom'] } })
      try {
        const r = await run(['--host', s.host, 'add', join(dir, 'small.bin')])
        assert.deepEqual(r, { code: 2, stdout: `added ${CID_A} dir/a.txt\nAn error occurred:\n  Code: 500\n  Message: error adding: boom\n`, stderr: '' })
        const q = await run(['--host', s.host, 'add', '-Q', join(dir, 'small.bin')])
        assert.equal(q.stdout, `${CID_A}\nAn error occurred:\n  Code: 500\n  Message: error adding: boom\n`)
      } finally {
        await s.close()
      }
    })

    it('prints nothing at the end when no output had a CID', async () => {
      const s = await fakeServer({ 'POST /add': { items: [{ name: 'x', cid: null, bytes: 5 }] } })
      try {
        assert.deepEqual(await run(['--host', s.host, 'add', '-Q', '--wait', join(dir, 'small.bin')]), { code: 0, stdout: '', stderr: '' })
        assert.deepEqual(await run(['--host', s.host, 'add', join(dir, 'small.bin')]), { code: 0, stdout: 'added b x\n', stderr: '' })
      } finally {
        await s.close()
      }
    })

    it('reports connection failures with Code: 0 and exit 1', async () => {
      const s = await fakeServer({})
      const host = s.host
      await s.close()
      const r = await run(['--host', host, 'add', join(dir, 'small.bin')])
      assert.equal(r.code, 1)
      assert.match(r.stdout, /^An error occurred:\n {2}Code: 0\n {2}Message: Post "http:\/\/127\.0\.0\.1:\d+\/add\?chunker=.*": dial tcp 127\.0\.0\.1:\d+: connect: connection refused\n$/)
    })

    it('fails the wait like pin add --wait', async () => {
      const s = await fakeServer({
        'POST /add': { items: [OUTPUTS[2]] },
        [`GET /pins/${CID_W}`]: { body: { cid: CID_W, peer_map: { [PEER]: { status: 'pin_error' } } } }
      })
      try {
        const r = await run(['--host', s.host, 'add', '--wait', join(dir, 'small.bin')])
        assert.deepEqual(r, { code: 1, stdout: `added ${CID_W} \n`, stderr: 'error waiting for pin status: error has occurred while attempting to reach status: pinned\n' })
        // the allocation lookup failed (404): the requested --rmin is the limit
        assert.deepEqual(s.requests.map((q) => q.method + ' ' + q.url.split('?')[0]), ['POST /add', `GET /allocations/${CID_W}`, `GET /pins/${CID_W}`])
      } finally {
        await s.close()
      }
    })
  })

  describe('helpers', () => {
    it('cleans paths as Go filepath.Clean', () => {
      assert.equal(cleanPath(''), '.')
      assert.equal(cleanPath('a//b/./c/'), 'a/b/c')
      assert.equal(cleanPath('/../x'), '/x')
      assert.equal(cleanPath('./'), '.')
    })

    it('prints file modes as Go FileMode.String', () => {
      assert.equal(goFileModeString(0o644), '-rw-r--r--')
      assert.equal(goFileModeString(2 ** 31 + 0o755), 'drwxr-xr-x')
      assert.equal(goFileModeString(2 ** 25 + 0o600), 'prw-------')
    })
  })
})

describe('ctl add: read buffer pool', () => {
  it('hands written buffers back for the next reads and ignores chunks it does not own', () => {
    const pool = new ReadBufferPool()
    const a = pool.acquire()
    const b = pool.acquire()
    assert.notEqual(a.buffer, b.buffer)
    pool.release(a.subarray(0, 10)) // a short last read gives its whole buffer back
    pool.release(a)                 // twice: kept once
    pool.release(Buffer.alloc(a.length)) // not ours
    const c = pool.acquire()
    assert.equal(c.buffer, a.buffer)
    assert.equal(c.length, a.length)
    assert.notEqual(pool.acquire().buffer, a.buffer, 'a buffer is handed out once')
  })
})
