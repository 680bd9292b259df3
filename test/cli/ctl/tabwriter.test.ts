import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { tabwrite } from '../../../src/cli/ctl/tabwriter.js'

describe('tabwriter', () => {
  it('pads a column block to the widest cell plus two', () => {
    assert.equal(tabwrite('   a\tx\n   bbb\ty\n'), '   a    x\n   bbb  y\n')
  })

  it('starts a new block after a line without tabs', () => {
    assert.equal(tabwrite('a\tx\nlonger-text\nbbbbbb\ty\n'), 'a  x\nlonger-text\nbbbbbb  y\n')
  })

  it('counts code points, not UTF-16 units', () => {
    assert.equal(tabwrite('∞\tx\nab\ty'), '∞   x\nab  y')
  })
})
