import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { PinNotFoundError } from '../../src/interface/errors.js'
import { rpc } from '../../src/rpc/index.js'
import { createLogger } from '../../src/util/logger.js'
import { aborted, connect, sleep, startPeer, within } from './helpers.js'
import type { RpcContext } from '../../src/rpc/types.js'
import type { TestPeer } from './helpers.js'

describe('rpc between peers', () => {
  // a: the caller (trusted by b); b: the server; c: an untrusted caller (and second server)
  let a: TestPeer, b: TestPeer, c: TestPeer
  const seen: Record<string, RpcContext> = {}

  before(async () => {
    [a, b, c] = await Promise.all([startPeer('a'), startPeer('b'), startPeer('c')])
    b.trusted.add(a.id)
    c.trusted.add(a.id)
    await connect(a, b)
    await connect(c, b)
    await connect(a, c)
    for (const p of [b, c]) {
      p.rpc.register('Cluster', 'ID', async (arg: unknown, ctx) => {
        seen.ID = ctx
        return { echo: arg, peer: ctx.peer, local: ctx.local, served: p.id }
      })
      p.rpc.register('Cluster', 'Version', async () => ({ version: '1.1.6' }))
      p.rpc.register('Cluster', 'Pin', async (arg: unknown) => ({ pinned: arg }))
      p.rpc.register('Cluster', 'PeerRemove', async (arg: unknown) => ({ removed: arg }))
      // echoes each argument, tagged with the serving peer
      p.rpc.register('Cluster', 'Peers', async function * (args: AsyncIterable<unknown>) {
        for await (const x of args) yield { from: p.id, x }
      })
    }
  })

  after(async () => {
    await Promise.all([a, b, c].map(async (p) => await p?.stop()))
  })

  it('answers a unary call with msgpack values intact', async () => {
    const arg = { n: 1, ns: 123_456_789_012_345_678n, bytes: new Uint8Array([0, 255]), when: new Date(1_700_000_000_000), s: 'é', list: [null, true] }
    const reply = await a.rpc.call<any>(b.id, 'Cluster', 'ID', arg)
    assert.deepEqual(reply, { echo: arg, peer: a.id, local: false, served: b.id })
  })

  it('runs calls to "" and to self in process', async () => {
    const r1 = await b.rpc.call<any>('', 'Cluster', 'ID', 'x')
    assert.deepEqual(r1, { echo: 'x', peer: b.id, local: true, served: b.id })
    const r2 = await b.rpc.call<any>(b.id, 'Cluster', 'ID', 'y')
    assert.equal(r2.local, true)
    const items = []
    for await (const item of b.rpc.stream('', 'Cluster', 'Peers', (async function * () { yield 1; yield 2 })())) items.push(item)
    assert.deepEqual(items, [{ from: b.id, x: 1 }, { from: b.id, x: 2 }])
  })

  it('refuses a closed method to remote callers, trusted or not, but not in process', async () => {
    for (const caller of [a, c]) {
      await assert.rejects(caller.rpc.call(b.id, 'Cluster', 'Pin', 'p'), (err: any) => {
        assert.equal(err.name, 'RpcAuthorizationError')
        assert.equal(err.message, 'client does not have permissions to call Cluster.Pin')
        return true
      })
    }
    assert.deepEqual(await b.rpc.call('', 'Cluster', 'Pin', 'p'), { pinned: 'p' })
  })

  it('allows a trusted method to trusted peers only', async () => {
    assert.deepEqual(await a.rpc.call(b.id, 'Cluster', 'PeerRemove', 'x'), { removed: 'x' })
    await assert.rejects(c.rpc.call(b.id, 'Cluster', 'PeerRemove', 'x'), {
      name: 'RpcAuthorizationError', message: 'client does not have permissions to call Cluster.PeerRemove'
    })
    await assert.rejects(async () => { for await (const _ of c.rpc.stream(b.id, 'Cluster', 'Peers', undefined)) { /* none */ } }, { name: 'RpcAuthorizationError' })
  })

  it('allows an open method to any connected peer', async () => {
    assert.deepEqual(await c.rpc.call(b.id, 'Cluster', 'Version', null), { version: '1.1.6' })
  })

  it('closes RepoGCLocal on a follower, even to trusted peers', async () => {
    const f = await startPeer('f', { follower: true })
    try {
      f.trusted.add(a.id)
      f.rpc.register('Cluster', 'RepoGCLocal', async () => ({ gc: true }))
      f.rpc.register('Cluster', 'PeerRemove', async () => ({ ok: true }))
      await connect(a, f)
      await assert.rejects(a.rpc.call(f.id, 'Cluster', 'RepoGCLocal', null), { name: 'RpcAuthorizationError' })
      assert.deepEqual(await a.rpc.call(f.id, 'Cluster', 'PeerRemove', null), { ok: true })
      assert.deepEqual(await f.rpc.call('', 'Cluster', 'RepoGCLocal', null), { gc: true })
      b.rpc.register('Cluster', 'RepoGCLocal', async () => ({ gc: 'b' }))
      assert.deepEqual(await a.rpc.call(b.id, 'Cluster', 'RepoGCLocal', null), { gc: 'b' })
    } finally {
      await f.stop()
    }
  })

  it('refuses to register a method missing from the policy table', () => {
    assert.throws(() => { b.rpc.register('Cluster', 'Nope', async () => null) }, { name: 'InvalidConfigError' })
  })

  it('reports unknown methods, locally and from the remote', async () => {
    await assert.rejects(a.rpc.call(b.id, 'Cluster', 'Nope', null), { name: 'RpcUnknownMethodError' })
    // in the table, but b serves no handler for it
    await assert.rejects(a.rpc.call(b.id, 'Consensus', 'LogPin', null), { name: 'RpcUnknownMethodError', message: "rpc: can't find method Consensus.LogPin" })
    await assert.rejects(b.rpc.call('', 'Consensus', 'LogPin', null), { name: 'RpcUnknownMethodError' })
  })

  it('refuses to call a streaming method as unary and the reverse', async () => {
    await assert.rejects(a.rpc.call(b.id, 'Cluster', 'Peers', null), { name: 'RpcClientError' })
    await assert.rejects(async () => { for await (const _ of a.rpc.stream(b.id, 'Cluster', 'ID', undefined)) { /* none */ } }, { name: 'RpcClientError' })
  })

  it('delivers a handler error with its message and name', async () => {
    b.rpc.register('Cluster', 'PinGet', async () => { throw new PinNotFoundError() })
    b.rpc.register('Cluster', 'Status', async () => { throw new PinNotFoundError() })
    b.trusted.add(c.id)
    try {
      b.rpc.register('PinTracker', 'Status', async () => { throw new PinNotFoundError('no such pin here') })
      await assert.rejects(a.rpc.call(b.id, 'PinTracker', 'Status', null), (err: any) => {
        assert.equal(err.name, 'RpcApplicationError')
        assert.equal(err.message, 'no such pin here')
        assert.equal(err.remoteName, 'PinNotFoundError')
        return true
      })
      // in process the handler's own error arrives
      await assert.rejects(b.rpc.call('', 'PinTracker', 'Status', null), { name: 'PinNotFoundError' })
    } finally {
      b.trusted.delete(c.id)
    }
  })

  it('ends a reply stream with the error a streaming handler throws', async () => {
    b.rpc.register('PinTracker', 'StatusAll', async function * () {
      for (let i = 0; i < 5; i++) yield i
      throw new PinNotFoundError('gone midway')
    })
    const got: unknown[] = []
    await assert.rejects(async () => {
      for await (const x of a.rpc.stream(b.id, 'PinTracker', 'StatusAll', undefined)) got.push(x)
    }, { name: 'RpcApplicationError', message: 'gone midway', remoteName: 'PinNotFoundError' })
    assert.deepEqual(got, [0, 1, 2, 3, 4])
  })

  it('times out, and the remote handler sees its signal abort', async () => {
    let remote: Promise<void> | undefined
    b.rpc.register('Consensus', 'AddPeer', async (_arg: unknown, ctx) => {
      remote = aborted(ctx.signal)
      await remote
      return 'late'
    })
    const t0 = Date.now()
    await assert.rejects(a.rpc.call(b.id, 'Consensus', 'AddPeer', null, { timeout: 200 }), { name: 'RpcTimeoutError' })
    assert.ok(Date.now() - t0 < 2000)
    await within(2000, remote as Promise<void>, 'remote abort')
  })

  it('aborts on the caller signal, and the remote handler sees it', async () => {
    let remote: Promise<void> | undefined
    b.rpc.register('Consensus', 'RmPeer', async (_arg: unknown, ctx) => {
      remote = aborted(ctx.signal)
      await remote
      return 'late'
    })
    const controller = new AbortController()
    const call = a.rpc.call(b.id, 'Consensus', 'RmPeer', null, { signal: controller.signal })
    while (remote == null) await sleep(5)
    controller.abort(new Error('changed my mind'))
    await assert.rejects(call, { message: 'changed my mind' })
    await within(2000, remote, 'remote abort')
  })

  it('cancels the remote streaming handler when the caller stops early', async () => {
    let remote: Promise<void> | undefined
    b.rpc.register('Cluster', 'RecoverAllLocal', async function * (_args: AsyncIterable<unknown>, ctx) {
      remote = aborted(ctx.signal)
      for (let i = 0; ; i++) {
        if (ctx.signal.aborted) return
        yield i
        await sleep(1)
      }
    })
    for await (const x of a.rpc.stream<number>(b.id, 'Cluster', 'RecoverAllLocal', undefined)) {
      if (x === 3) break
    }
    await within(2000, remote as Promise<void>, 'remote abort')
  })

  it('runs the cleanup of a remote generator that ignores its signal when the caller stops early', async () => {
    let cleaned: () => void = () => {}
    const cleanedUp = new Promise<void>((resolve) => { cleaned = resolve })
    b.rpc.register('Cluster', 'RecoverAllLocal', async function * () {
      try {
        for (let i = 0; ; i++) {
          yield i
          await sleep(1)
        }
      } finally {
        cleaned()
      }
    })
    for await (const x of a.rpc.stream<number>(b.id, 'Cluster', 'RecoverAllLocal', undefined)) {
      if (x === 3) break
    }
    await within(2000, cleanedUp, 'remote cleanup')
  })

  it('streams 100,000 replies with bounded buffering behind a slow consumer', async () => {
    const total = 100_000
    const payload = 'x'.repeat(1000)
    let produced = 0
    b.rpc.register('Cluster', 'IDStream', async function * () {
      for (let i = 0; i < total; i++) {
        produced++
        yield { i, payload }
      }
    })
    let consumed = 0
    let aheadAfterPause = -1
    const t0 = Date.now()
    for await (const item of a.rpc.stream<{ i: number, payload: string }>(b.id, 'Cluster', 'IDStream', undefined)) {
      assert.equal(item.i, consumed)
      consumed++
      if (consumed === 100) {
        await sleep(500)
        aheadAfterPause = produced - consumed
      }
    }
    const ms = Date.now() - t0 - 500
    assert.equal(consumed, total)
    // ~100 MB in total: a producer unchecked by the consumer would be done by now
    assert.ok(aheadAfterPause >= 0 && aheadAfterPause < 25_000, `producer ran ${aheadAfterPause} items ahead`)
    process.stdout.write(`# stream: ${total} items of ~1 KB in ${ms} ms (${Math.round(total / ms * 1000)} items/s); producer ${aheadAfterPause} items ahead while paused\n`)
  })

  it('streams arguments to a handler that reads them all', async () => {
    let sum = 0
    let count = 0
    b.rpc.register('IPFSConnector', 'BlockStream', async function * (args: AsyncIterable<unknown>) {
      for await (const block of args as AsyncIterable<Uint8Array>) {
        sum += block[0]
        count++
      }
    })
    const n = 10_000
    async function * blocks (): AsyncGenerator<Uint8Array> {
      for (let i = 0; i < n; i++) {
        const b = new Uint8Array(1024)
        b[0] = i % 256
        yield b
      }
    }
    const replies = []
    for await (const r of a.rpc.stream(b.id, 'IPFSConnector', 'BlockStream', blocks())) replies.push(r)
    assert.deepEqual(replies, [])
    assert.equal(count, n)
    let expected = 0
    for (let i = 0; i < n; i++) expected += i % 256
    assert.equal(sum, expected)
  })

  it('ends a call whose handler reads only its first argument while the caller keeps sending', async () => {
    b.rpc.register('IPFSConnector', 'SwarmPeers', async () => [])
    b.rpc.register('PinTracker', 'RecoverAll', async function * () {})
    b.rpc.register('Cluster', 'RecoverAllLocal', async function * (args: AsyncIterable<unknown>) {
      for await (const first of args) {
        yield first
        yield 'done'
        return
      }
    })
    let sent = 0
    async function * endless (): AsyncGenerator<string> {
      while (true) {
        sent++
        yield 'x'.repeat(1000)
      }
    }
    const got = []
    for await (const r of a.rpc.stream(b.id, 'Cluster', 'RecoverAllLocal', endless(), { timeout: 10_000 })) got.push(r)
    assert.equal(got.length, 2)
    assert.equal(got[1], 'done')
    assert.ok(sent > 0)
  })

  it('does not hold a fast call behind a slow one to the same peer', async () => {
    let release: () => void = () => {}
    b.rpc.register('Consensus', 'LogPin', async () => { await new Promise<void>((resolve) => { release = resolve }); return 'slow' })
    b.rpc.register('Consensus', 'LogUnpin', async () => 'fast')
    const slow = a.rpc.call(b.id, 'Consensus', 'LogPin', null)
    await sleep(20)
    const t0 = Date.now()
    assert.equal(await a.rpc.call(b.id, 'Consensus', 'LogUnpin', null), 'fast')
    assert.ok(Date.now() - t0 < 1000)
    release()
    assert.equal(await slow, 'slow')
    // nor behind a stream whose consumer is not reading
    const stalled = a.rpc.stream(b.id, 'Cluster', 'IDStream', undefined)
    await stalled.next()
    assert.equal(await a.rpc.call(b.id, 'Consensus', 'LogUnpin', null), 'fast')
    await stalled.return(undefined)
  })

  it('returns per-peer outcomes from multiCall with one peer down', async () => {
    const d = await startPeer('d')
    d.rpc.register('Cluster', 'Version', async () => ({ version: 'd' }))
    await connect(a, d)
    await d.stop()
    const t0 = Date.now()
    const out = await a.rpc.multiCall<{ version: string }>([b.id, d.id, c.id], 'Cluster', 'Version', null, { timeout: 5000 })
    assert.ok(Date.now() - t0 < 5000)
    assert.deepEqual(out.map((o) => o.peer), [b.id, d.id, c.id])
    assert.deepEqual(out[0].result, { version: '1.1.6' })
    assert.deepEqual(out[2].result, { version: '1.1.6' })
    assert.equal(out[1].result, undefined)
    assert.ok(out[1].error != null)
    assert.ok(['RpcClientError', 'RpcTimeoutError'].includes(out[1].error.name), out[1].error.name)
  })

  it('fans one argument stream out with multiStream and merges the replies', async () => {
    const d = await startPeer('d2')
    await connect(a, d)
    await d.stop()
    async function * args (): AsyncGenerator<number> {
      for (let i = 0; i < 1000; i++) yield i
    }
    const byPeer = new Map<string, number[]>()
    const errors = new Map<string, string>()
    for await (const item of a.rpc.multiStream<{ from: string, x: number }>([b.id, c.id, d.id], 'Cluster', 'Peers', args(), { timeout: 10_000 })) {
      if (item.error != null) errors.set(item.peer, item.error.name)
      else {
        assert.equal(item.value.from, item.peer)
        byPeer.set(item.peer, [...(byPeer.get(item.peer) ?? []), item.value.x])
      }
    }
    const expected = Array.from({ length: 1000 }, (_, i) => i)
    assert.deepEqual(byPeer.get(b.id), expected)
    assert.deepEqual(byPeer.get(c.id), expected)
    assert.deepEqual([...errors.keys()], [d.id])
  })

  it('reports an untrusted peer as an error item in multiStream', async () => {
    const items = []
    for await (const item of c.rpc.multiStream([b.id, ''], 'Cluster', 'Peers', (async function * () { yield 'q' })())) items.push(item)
    const err = items.find((i) => i.peer === b.id)
    assert.equal(err?.error?.name, 'RpcAuthorizationError')
    assert.deepEqual(items.find((i) => i.peer === '')?.value, { from: c.id, x: 'q' })
  })

  it('serves 1,000 concurrent calls', async () => {
    b.rpc.register('PeerMonitor', 'LatestMetrics', async (arg: unknown) => ({ arg }))
    b.rpc.register('IPFSConnector', 'RepoStat', async (arg: unknown) => { await sleep(1); return arg })
    const t0 = Date.now()
    const results = await Promise.all(Array.from({ length: 1000 }, async (_, i) => await a.rpc.call(b.id, 'IPFSConnector', 'RepoStat', i)))
    const ms = Date.now() - t0
    assert.deepEqual(results, Array.from({ length: 1000 }, (_, i) => i))
    process.stdout.write(`# 1000 concurrent calls in ${ms} ms\n`)
  })

  it('aborts in-flight handlers and calls when the server stops', async () => {
    const e = await startPeer('e')
    e.trusted.add(a.id)
    let remote: Promise<void> | undefined
    e.rpc.register('Consensus', 'AddPeer', async (_arg: unknown, ctx) => {
      remote = aborted(ctx.signal)
      await remote
      return 'late'
    })
    await connect(a, e)
    const call = a.rpc.call(e.id, 'Consensus', 'AddPeer', null)
    while (remote == null) await sleep(5)
    await e.rpc.stop?.()
    await within(2000, remote, 'handler abort')
    await assert.rejects(within(2000, call, 'call failure'), { name: 'RpcClientError' })
    await e.node.stop()
  })

  it('times out an in-process call whose handler ignores its signal, and aborts that signal', async () => {
    let signal: AbortSignal | undefined
    b.rpc.register('Cluster', 'Join', async (_arg: unknown, ctx) => {
      signal = ctx.signal
      await new Promise(() => {})
    })
    await assert.rejects(b.rpc.call('', 'Cluster', 'Join', null, { timeout: 50 }), { name: 'RpcTimeoutError' })
    assert.equal(signal?.aborted, true)
  })

  it('passes in-process values through msgpack with encodeLocal', async () => {
    const r = rpc({ encodeLocal: true })({ libp2p: a.node, isTrusted: () => false, logger: createLogger({ level: 'error' }) })
    r.register('Cluster', 'Version', async (arg: unknown) => ({ arg, missing: undefined, bytes: Buffer.from([1]) }))
    assert.deepEqual(await r.call('', 'Cluster', 'Version', { n: 1n }), { arg: { n: 1n }, missing: null, bytes: new Uint8Array([1]) })
  })

  it('includes in-process peers in multiCall', async () => {
    a.rpc.register('Cluster', 'Version', async () => ({ version: 'self' }))
    const out = await a.rpc.multiCall(['', b.id], 'Cluster', 'Version', null)
    assert.deepEqual(out.map((o) => o.result), [{ version: 'self' }, { version: '1.1.6' }])
  })

  it('survives a burst of calls right after connecting', async () => {
    const g = await startPeer('g')
    try {
      g.rpc.register('Cluster', 'Version', async () => ({ version: 'g' }))
      await connect(a, g)
      const out = await Promise.all(Array.from({ length: 200 }, async () => await a.rpc.call(g.id, 'Cluster', 'Version', null)))
      assert.equal(out.length, 200)
    } finally {
      await g.stop()
    }
  })

  it('refuses remote calls before start', async () => {
    const r = rpc()({ libp2p: a.node, isTrusted: () => false, logger: createLogger({ level: 'error' }) })
    await assert.rejects(r.call(b.id, 'Cluster', 'Version', null), { name: 'RpcClientError' })
    await r.stop?.()
  })
})
