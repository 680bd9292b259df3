import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { main } from '../../../src/cli/ctl/index.js'
import { CLEAR_LINE, isTerminal, startWaitProgress, StatusLine, waitProgressText } from '../../../src/cli/ctl/progress.js'
import { fakeServer } from './fake-server.js'
import type { TtyStream } from '../../../src/cli/ctl/progress.js'
import type { FakeServer } from './fake-server.js'

const CID = 'QmYjtig7VJQ6XsnUjqqJvj7QaMcCAwtrgNdahSiFofrE7o'
const PEERS = [
  '12D3KooWQfuu2VkFx1nE7L6XaK9B2C5o7AG7UJxJ1kVBK6r5aSbN',
  '12D3KooWJ6XnqNtHh8t1tyPeMnzE2S7mSs3F1vXcZ2J6N8KpGnTw',
  '12D3KooWRBy97UB99e3J6hiPesre1MZeuNQvfan4gBziswrRJsNK'
]

const PIN = {
  replication_factor_min: -1,
  replication_factor_max: -1,
  name: 'p',
  mode: 'recursive',
  shard_size: 0,
  user_allocations: null,
  expire_at: '0001-01-01T00:00:00Z',
  metadata: null,
  pin_update: null,
  origins: [],
  cid: CID,
  type: 'pin',
  allocations: PEERS,
  max_depth: -1,
  reference: null,
  timestamp: '2024-05-01T10:00:00Z'
}

/** A global pin info with one status per peer. */
function gpi (...statuses: string[]): Record<string, unknown> {
  return {
    cid: CID,
    name: 'p',
    allocations: [],
    origins: [],
    created: '2024-05-01T10:00:00Z',
    metadata: null,
    peer_map: Object.fromEntries(statuses.map((status, i) => [PEERS[i], {
      peername: `peer-${i}`, status, timestamp: '2024-05-01T10:00:00Z', error: '', attempt_count: 0, priority_pin: false
    }]))
  }
}

/** A fake terminal recording its writes. */
function fakeTty (isTTY = true, columns?: number): TtyStream & { writes: string[] } {
  const writes: string[] = []
  return { isTTY, columns, writes, write: (s: string) => { writes.push(s); return true } }
}

const line = (text: string): string => `\r${text}\x1b[K`

/** A server whose status polls walk through `polls` (the last one repeats), advancing the clock 1 s each. */
async function pollingServer (method: 'POST' | 'DELETE', polls: Array<Record<string, unknown>>, clock: { t: number }): Promise<FakeServer> {
  return await fakeServer({
    [`${method} /pins/ipfs/${CID}`]: { body: PIN },
    [`GET /pins/${CID}`]: (_req, n) => {
      clock.t += 1000
      return { body: polls[Math.min(n, polls.length - 1)] }
    }
  })
}

interface Captured { stdout: string, stderr: string, code: number, tty: string[], log: string[] }

/** Runs the ctl in-process; `log` interleaves stdout (`out:`), stderr (`err:`) and terminal (`tty:`) writes. */
async function runTty (args: string[], stream: TtyStream & { writes: string[] }, clock: { t: number }, env: NodeJS.ProcessEnv = {}): Promise<Captured> {
  let stdout = ''
  let stderr = ''
  const log: string[] = []
  const tty = { ...stream, write: (s: string) => { log.push(`tty:${s}`); return stream.write(s) } }
  const code = await main(args, {
    programName: 'ipfs-cluster-ctl',
    env,
    checkFreq: 5,
    statusDelay: 0,
    now: () => clock.t,
    progressStream: tty,
    stdout: (s) => { stdout += s; log.push(`out:${s}`) },
    stderr: (s) => { stderr += s; log.push(`err:${s}`) }
  })
  return { stdout, stderr, code, tty: stream.writes, log }
}

describe('ctl --wait progress line', () => {
  describe('waitProgressText', () => {
    it('names the cid, the target and the elapsed time before the first poll', () => {
      assert.equal(waitProgressText({ cid: CID, target: 'pinned', limit: 0, timeout: 0, elapsed: 999 }), `waiting for ${CID} to be pinned (0s)`)
    })

    it('counts peers at the target out of the allocations and lists the other states', () => {
      const status = gpi('pinned', 'pinning', 'pin_queued')
      assert.equal(waitProgressText({ cid: CID, target: 'pinned', limit: 0, timeout: 0, elapsed: 12_400, status }),
        `waiting for ${CID} to be pinned: 1/3 peers, 1 pin_queued, 1 pinning (12s)`)
    })

    it('does not count remote peers when every allocation must pin', () => {
      const status = gpi('pinned', 'remote', 'pin_queued')
      assert.equal(waitProgressText({ cid: CID, target: 'pinned', limit: 0, timeout: 0, elapsed: 0, status }),
        `waiting for ${CID} to be pinned: 1/2 peers, 1 pin_queued (0s)`)
    })

    it('uses the wait limit as the number of peers needed', () => {
      const status = gpi('pinning', 'pinning', 'pinned')
      assert.equal(waitProgressText({ cid: CID, target: 'pinned', limit: 2, timeout: 0, elapsed: 0, status }),
        `waiting for ${CID} to be pinned: 1/2 peers, 2 pinning (0s)`)
    })

    it('shows a wait timeout longer than 1 s next to the elapsed time', () => {
      assert.equal(waitProgressText({ cid: CID, target: 'unpinned', limit: 0, timeout: 120_000, elapsed: 65_000, status: gpi('unpinning', 'unpinned') }),
        `waiting for ${CID} to be unpinned: 1/2 peers, 1 unpinning (1m5s / 2m0s)`)
      assert.equal(waitProgressText({ cid: CID, target: 'unpinned', limit: 0, timeout: 1000, elapsed: 0 }), `waiting for ${CID} to be unpinned (0s)`)
    })
  })

  describe('StatusLine', () => {
    it('redraws in place, skips unchanged text and erases only a shown line', () => {
      const tty = fakeTty()
      const sl = new StatusLine(tty)
      sl.clear()
      sl.draw('a')
      sl.draw('a')
      sl.draw('bb')
      assert.equal(sl.shown, true)
      sl.clear()
      sl.clear()
      assert.deepEqual(tty.writes, [line('a'), line('bb'), CLEAR_LINE])
      assert.equal(sl.shown, false)
    })

    it('cuts lines to the terminal width so that they never wrap', () => {
      const tty = fakeTty(true, 6)
      new StatusLine(tty).draw('abcdefgh')
      assert.deepEqual(tty.writes, [line('abcde')])
    })

    it('is drawn only on a TTY whose TERM is not dumb', () => {
      assert.equal(isTerminal(fakeTty(true), {}), true)
      assert.equal(isTerminal(fakeTty(false), {}), false)
      assert.equal(isTerminal({ write: () => true }, {}), false)
      assert.equal(isTerminal(undefined, {}), false)
      assert.equal(isTerminal(fakeTty(true), { TERM: 'dumb' }), false)
    })
  })

  describe('startWaitProgress', () => {
    it('redraws the elapsed time on its own between polls and erases the line when stopped', async () => {
      const tty = fakeTty()
      let redrawn = (): void => {}
      const ticked = new Promise<void>((resolve) => { redrawn = resolve })
      const stream = { isTTY: true, write: (s: string) => { tty.write(s); if (tty.writes.length === 2) redrawn(); return true } }
      let t = 0
      const sl = new StatusLine(stream, () => t)
      const p = startWaitProgress(sl, { cid: CID, target: 'pinned', limit: 0, timeout: 0, tick: 1 })
      t = 3000
      await ticked
      p.update(gpi('pinned'))
      p.stop()
      p.update(gpi('pinned'))
      p.stop()
      assert.deepEqual(tty.writes, [
        line(`waiting for ${CID} to be pinned (0s)`),
        line(`waiting for ${CID} to be pinned (3s)`),
        line(`waiting for ${CID} to be pinned: 1/1 peers (3s)`),
        CLEAR_LINE
      ])
    })
  })

  describe('pin add|rm --wait', () => {
    const POLLS = [gpi('pin_queued', 'pin_queued', 'pin_queued'), gpi('pinned', 'pinning', 'pin_queued'), gpi('pinned', 'pinned', 'pinned')]

    it('shows the progress on a terminal, erases it before the output and leaves stdout unchanged', async () => {
      const clock = { t: 0 }
      const srv = await pollingServer('POST', POLLS, clock)
      try {
        const r = await runTty(['--host', srv.host, 'pin', 'add', '--wait', CID], fakeTty(), clock)
        assert.equal(r.code, 0, r.stderr)
        assert.deepEqual(r.tty, [
          line(`waiting for ${CID} to be pinned (0s)`),
          line(`waiting for ${CID} to be pinned: 0/3 peers, 3 pin_queued (1s)`),
          line(`waiting for ${CID} to be pinned: 1/3 peers, 1 pin_queued, 1 pinning (2s)`),
          line(`waiting for ${CID} to be pinned: 3/3 peers (3s)`),
          CLEAR_LINE
        ])
        assert.equal(r.log.at(-2), `tty:${CLEAR_LINE}`)
        assert.ok(r.log.at(-1)?.startsWith('out:'))
        assert.equal(r.stderr, '')

        const plainClock = { t: 0 }
        const plain = await pollingServer('POST', POLLS, plainClock)
        try {
          const p = await runTty(['--host', plain.host, 'pin', 'add', '--wait', CID], fakeTty(false), plainClock)
          assert.equal(p.code, 0)
          assert.deepEqual(p.tty, [])
          assert.equal(r.stdout, p.stdout)
          assert.match(p.stdout, new RegExp(`^${CID} \\| p:\\n`))
        } finally {
          await plain.close()
        }
      } finally {
        await srv.close()
      }
    })

    it('shows the wait timeout and keeps the JSON output byte-identical', async () => {
      const clock = { t: 0 }
      const srv = await pollingServer('POST', POLLS.slice(1), clock)
      try {
        const args = ['--host', srv.host, '--enc=json', 'pin', 'add', '--wait', '--wt', '2m', CID]
        const r = await runTty(args, fakeTty(), clock)
        assert.equal(r.code, 0, r.stderr)
        assert.equal(r.tty[0], line(`waiting for ${CID} to be pinned (0s / 2m0s)`))
        assert.equal(r.tty.at(-1), CLEAR_LINE)
        const p = await runTty(args, fakeTty(false), clock)
        assert.equal(r.stdout, p.stdout)
        assert.equal(JSON.parse(r.stdout).cid, CID)
      } finally {
        await srv.close()
      }
    })

    it('erases the progress before printing a wait error on stderr', async () => {
      const clock = { t: 0 }
      const srv = await pollingServer('DELETE', [gpi('unpinning', 'unpin_error')], clock)
      try {
        const r = await runTty(['--host', srv.host, 'pin', 'rm', '-w', CID], fakeTty(), clock)
        assert.equal(r.code, 1)
        assert.equal(r.stderr, 'error waiting for pin status: error has occurred while attempting to reach status: unpinned\n')
        assert.equal(r.stdout, '')
        assert.deepEqual(r.log, [
          `tty:${line(`waiting for ${CID} to be unpinned (0s)`)}`,
          `tty:${line(`waiting for ${CID} to be unpinned: 0/2 peers, 1 unpin_error, 1 unpinning (1s)`)}`,
          `tty:${CLEAR_LINE}`,
          `err:${r.stderr}`
        ])
      } finally {
        await srv.close()
      }
    })

    it('writes nothing to a terminal that is not a TTY or has TERM=dumb, nor without --wait', async () => {
      const clock = { t: 0 }
      const srv = await pollingServer('POST', POLLS, clock)
      try {
        const notTty = await runTty(['--host', srv.host, 'pin', 'add', '--wait', CID], fakeTty(false), clock)
        assert.equal(notTty.code, 0)
        assert.deepEqual(notTty.tty, [])
        const dumb = await runTty(['--host', srv.host, 'pin', 'add', '--wait', CID], fakeTty(), clock, { TERM: 'dumb' })
        assert.equal(dumb.code, 0)
        assert.deepEqual(dumb.tty, [])
        const noWait = await runTty(['--host', srv.host, 'pin', 'add', CID], fakeTty(), clock)
        assert.equal(noWait.code, 0)
        assert.deepEqual(noWait.tty, [])
      } finally {
        await srv.close()
      }
    })
  })
})
