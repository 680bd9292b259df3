import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createLogger } from '../../src/util/logger.js'

function capture (level: 'info' | 'debug'): { lines: string[], logger: ReturnType<typeof createLogger> } {
  const lines: string[] = []
  return { lines, logger: createLogger({ level, write: (l) => { lines.push(l) } }) }
}

describe('logger', () => {
  it('prints cluster errors and info lines as <time> <LEVEL> <facility> <message>', () => {
    const { lines, logger } = capture('info')
    const log = logger.forComponent('cluster:crdt')
    log.error('merge of %s failed: %e', 'block', new Error('boom'))
    log.info('ready')
    log('not at debug')
    assert.equal(lines.length, 2)
    assert.match(lines[0], /^\d{4}-\d\d-\d\dT[\d:.]+Z\tERROR\tcrdt\tmerge of block failed: boom\n$/)
    assert.match(lines[1], /\tINFO\tcrdt\tready\n$/)
  })

  it('keeps routine libp2p connection errors (failed dials, closed streams) for debug level', () => {
    const quiet = capture('info')
    quiet.logger.forComponent('libp2p:tcp').error('dial to %s errored - connect ECONNREFUSED', '/ip4/127.0.0.1/tcp/1')
    quiet.logger.forComponent('libp2p:connection-manager:dial-queue').error('dial failed')
    quiet.logger.forComponent('libp2p:tcp:connection:outbound:x:yamux:outbound:1').error('closed after reading 0/1 bytes')
    assert.deepEqual(quiet.lines, [])
    assert.equal((quiet.logger.forComponent('libp2p:tcp').error as unknown as { enabled: boolean }).enabled, false)
    // other libp2p components' errors still show
    quiet.logger.forComponent('libp2p:gossipsub').error('publish failed')
    assert.equal(quiet.lines.length, 1)
    assert.match(quiet.lines[0], /\tERROR\tlibp2p:gossipsub\tpublish failed\n$/)

    const debug = capture('debug')
    debug.logger.forComponent('libp2p:tcp').error('dial to x errored')
    assert.equal(debug.lines.length, 1)
    assert.match(debug.lines[0], /\tDEBUG\tlibp2p:tcp\tdial to x errored\n$/)
  })
})
