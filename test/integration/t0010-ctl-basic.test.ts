/** Port of sharness t0010-ctl-basic-commands (no daemon needed). */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { CTL, runSync } from './harness.js'

const longest = (s: string): number => Math.max(0, ...s.split('\n').map((l) => [...l].length))

describe('t0010 ctl basic commands', () => {
  it('--version succeeds', () => {
    const r = runSync(CTL, ['--version'])
    assert.equal(r.code, 0)
    assert.equal(r.stdout, 'ipfs-cluster-ctl version 1.1.6\n')
  })

  it('help commands succeed', () => {
    for (const args of [['--help'], ['-h'], ['h'], ['help']]) {
      assert.equal(runSync(CTL, args).code, 0, args.join(' '))
    }
  })

  it('help has 120 char limit and looks good', () => {
    const out = runSync(CTL, ['--help']).stdout
    assert.ok(longest(out) <= 120)
    assert.match(out, /^(Usage|Commands|Global options)/im)
  })

  it('lists commands and every command help is at most 120 columns', () => {
    const r = runSync(CTL, ['commands'])
    assert.equal(r.code, 0)
    for (const c of ['id', 'peers', 'pin', 'status', 'recover', 'version', 'commands']) {
      assert.match(r.stdout, new RegExp(`^ipfs-cluster-ctl ${c}$`, 'm'))
    }
    for (const line of r.stdout.split('\n').filter((l) => l !== '')) {
      const args = line.split(' ').slice(1)
      const h = runSync(CTL, [...args, '--help'])
      assert.equal(h.code, 0, line)
      assert.ok(longest(h.stdout) <= 120, line)
    }
  })
})
