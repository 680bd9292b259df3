import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { tagsInformer } from '../../../src/informer/tags/index.js'

describe('tags informer', () => {
  it('returns one valid partitionable metric per tag', async () => {
    const inf = tagsInformer({ tags: { group: 'default', region: 'eu' } })()
    assert.equal(inf.name(), 'tags')
    const metrics = await inf.getMetrics()
    assert.deepEqual(metrics.map((m) => [m.name, m.value, m.valid, m.partitionable, m.weight]), [
      ['tag:group', 'default', true, true, 0n],
      ['tag:region', 'eu', true, true, 0n]
    ])
  })

  it('returns a single invalid tag:none metric when no tags are configured', async () => {
    const metrics = await tagsInformer({ tags: {} })().getMetrics()
    assert.equal(metrics.length, 1)
    assert.equal(metrics[0].name, 'tag:none')
    assert.equal(metrics[0].valid, false)
    assert.equal(metrics[0].value, '')
    assert.equal(metrics[0].partitionable, true)
  })

  it('defaults to the group tag', async () => {
    const [m] = await tagsInformer()().getMetrics()
    assert.equal(m.name, 'tag:group')
    assert.equal(m.value, 'default')
  })
})
