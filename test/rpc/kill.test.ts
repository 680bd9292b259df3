import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { multiaddr } from '@multiformats/multiaddr'
import { startPeer } from './helpers.js'
import type { ChildProcess } from 'node:child_process'
import type { TestPeer } from './helpers.js'

const FIXTURE = fileURLToPath(new URL('./fixtures/server-process.js', import.meta.url))

describe('rpc to a peer that dies', () => {
  let a: TestPeer
  let child: ChildProcess
  let remote: { id: string, addr: string }

  before(async () => {
    a = await startPeer('a')
    child = spawn(process.execPath, [FIXTURE], { env: { ...process.env, RPC_FIXTURE: '1' }, stdio: ['ignore', 'pipe', 'inherit'] })
    let out = ''
    child.stdout?.setEncoding('utf8')
    while (!out.includes('\n')) {
      const [chunk] = await once(child.stdout as NodeJS.ReadableStream, 'data')
      out += String(chunk)
    }
    remote = JSON.parse(out.split('\n')[0])
    await a.node.dial(multiaddr(remote.addr))
  })

  after(async () => {
    child?.kill('SIGKILL')
    await a?.stop()
  })

  it('fails a stream quickly when the remote process is killed mid-stream', async () => {
    let got = 0
    let killedAt = 0
    await assert.rejects(async () => {
      for await (const _ of a.rpc.stream(remote.id, 'Cluster', 'IDStream', undefined)) {
        got++
        if (got === 20) {
          killedAt = Date.now()
          child.kill('SIGKILL')
        }
      }
    }, (err: any) => {
      assert.equal(err.name, 'RpcClientError')
      assert.match(err.message, /Cluster\.IDStream to 12D3/)
      return true
    })
    const ms = Date.now() - killedAt
    assert.ok(got >= 20)
    assert.ok(ms < 3000, `error after ${ms} ms`)
    process.stdout.write(`# error ${ms} ms after SIGKILL\n`)
  })

  it('fails a call to the dead peer instead of hanging', async () => {
    await assert.rejects(a.rpc.call(remote.id, 'Cluster', 'Version', null, { timeout: 10_000 }), { name: 'RpcClientError' })
  })
})
