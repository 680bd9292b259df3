import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { DEFAULT_POLICY, FOLLOWER_POLICY, validatePolicy } from '../../src/rpc/policy.js'

describe('rpc policy table', () => {
  it('holds exactly the 55 endpoints of the reference', () => {
    const names = Object.keys(DEFAULT_POLICY)
    assert.equal(names.length, 55)
    const count = (svc: string): number => names.filter((n) => n.startsWith(`${svc}.`)).length
    assert.deepEqual(
      ['Cluster', 'PinTracker', 'IPFSConnector', 'Consensus', 'PeerMonitor'].map(count),
      [31, 7, 10, 5, 2]
    )
  })

  it('gives the reference policies', () => {
    assert.equal(DEFAULT_POLICY['Cluster.ID'].policy, 'open')
    assert.equal(DEFAULT_POLICY['Cluster.Pin'].policy, 'closed')
    assert.equal(DEFAULT_POLICY['Cluster.Peers'].policy, 'trusted')
    assert.equal(DEFAULT_POLICY['IPFSConnector.BlockStream'].policy, 'trusted')
    assert.equal(DEFAULT_POLICY['Consensus.Peers'].policy, 'closed')
    assert.equal(DEFAULT_POLICY['Cluster.RepoGCLocal'].policy, 'trusted')
    const byPolicy = (p: string): number => Object.values(DEFAULT_POLICY).filter((e) => e.policy === p).length
    assert.deepEqual([byPolicy('open'), byPolicy('trusted'), byPolicy('closed')], [4, 15, 36])
  })

  it('marks the twelve streaming endpoints', () => {
    const streaming = Object.entries(DEFAULT_POLICY).filter(([, e]) => e.streaming).map(([n]) => n).sort()
    assert.deepEqual(streaming, [
      'Cluster.IDStream', 'Cluster.Peers', 'Cluster.PeersWithFilter', 'Cluster.Pins', 'Cluster.RecoverAll',
      'Cluster.RecoverAllLocal', 'Cluster.StatusAll', 'Cluster.StatusAllLocal', 'IPFSConnector.BlockStream',
      'IPFSConnector.PinLs', 'PinTracker.RecoverAll', 'PinTracker.StatusAll'
    ])
  })

  it('closes RepoGCLocal for followers and changes nothing else', () => {
    assert.equal(FOLLOWER_POLICY['Cluster.RepoGCLocal'].policy, 'closed')
    const diff = Object.keys(DEFAULT_POLICY).filter((n) => DEFAULT_POLICY[n].policy !== FOLLOWER_POLICY[n].policy)
    assert.deepEqual(diff, ['Cluster.RepoGCLocal'])
  })

  it('validates both tables', () => {
    validatePolicy(DEFAULT_POLICY)
    validatePolicy(FOLLOWER_POLICY)
  })

  it('reports missing and unknown entries as a configuration error', () => {
    const table: Record<string, any> = { ...DEFAULT_POLICY, 'Cluster.Nope': { policy: 'open', streaming: false } }
    delete table['Cluster.ID']
    assert.throws(() => { validatePolicy(table) }, (err: any) => {
      assert.equal(err.name, 'InvalidConfigError')
      assert.deepEqual(err.problems, ['rpc policy: missing entry for Cluster.ID', 'rpc policy: unknown endpoint Cluster.Nope'])
      return true
    })
  })
})
