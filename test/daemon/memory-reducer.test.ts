import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { anonymousRss, startMemoryReducer } from '../../src/daemon/memory-reducer.js'
import { createLogger } from '../../src/util/logger.js'

function capture (): { lines: string[], log: ReturnType<ReturnType<typeof createLogger>['forComponent']> } {
  const lines: string[] = []
  const log = createLogger({ level: 'debug', write: (l) => { lines.push(l) } }).forComponent('cluster:memory')
  return { lines, log }
}

async function until (cond: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time')
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

describe('idle memory reducer', () => {
  it('collects once the process is idle and the heap grew past the threshold', async () => {
    const { lines, log } = capture()
    const reducer = startMemoryReducer({ interval: 20, threshold: 0, idleUtilization: 1.01 }, log)
    try {
      await until(() => lines.some((l) => l.includes('idle: heap')), 5_000)
    } finally {
      reducer.stop()
    }
    assert.match(lines.find((l) => l.includes('idle: heap')) ?? '', /heap \d+ MB -> \d+ MB, anonymous RSS \d+ MB -> \d+ MB in \d+ ms/)
  })

  it('leaves a busy process alone', async () => {
    const { lines, log } = capture()
    // utilisation can never be below 0: every interval counts as busy
    const reducer = startMemoryReducer({ interval: 10, threshold: 0, idleUtilization: 0 }, log)
    await new Promise((resolve) => setTimeout(resolve, 100))
    reducer.stop()
    assert.equal(lines.filter((l) => l.includes('idle: heap')).length, 0)
  })

  it('does not collect while the heap stays under the threshold', async () => {
    const { lines, log } = capture()
    const reducer = startMemoryReducer({ interval: 10, threshold: 1024 ** 4, idleUtilization: 1.01 }, log)
    await new Promise((resolve) => setTimeout(resolve, 100))
    reducer.stop()
    assert.equal(lines.filter((l) => l.includes('idle: heap')).length, 0)
  })

  it('reads the anonymous resident memory of the process', () => {
    const anon = anonymousRss()
    assert.ok(anon > 1024 * 1024 && anon <= process.memoryUsage.rss(), String(anon))
  })
})
