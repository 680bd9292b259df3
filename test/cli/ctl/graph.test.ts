import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { makeDot } from '../../../src/cli/ctl/graph.js'
import { normConnectGraph } from '../../../src/cli/ctl/normalize.js'
import { A, B, X, Y, THREE_PEERS, THREE_PEERS_DOT } from './fixtures.js'

describe('health graph DOT', () => {
  it('renders the 3-peer example exactly', () => {
    assert.equal(makeDot(normConnectGraph(THREE_PEERS)), THREE_PEERS_DOT)
  })

  it('links a single peer to its IPFS daemon as C0 -> I0', () => {
    const dot = makeDot(normConnectGraph({
      cluster_id: A, id_to_peername: { [A]: 'peer-a' }, ipfs_links: { [X]: [] }, cluster_links: { [A]: [] }, cluster_trust_links: { [A]: false }, cluster_to_ipfs: { [A]: X }
    }))
    assert.match(dot, /^C0 -> I0$/m)
    assert.match(dot, /C0 \[label=< <B> peer-a <\/B> <BR\/> <B> Qm\*eqhEhD <\/B> > /)
    assert.ok(dot.endsWith('}'))
  })

  it('marks trusted peers T<n> and unreachable IPFS daemons as errored with a dotted edge', () => {
    const dot = makeDot(normConnectGraph({
      cluster_id: A, ipfs_links: { [X]: [] }, cluster_links: { [A]: [B], [B]: [A] }, cluster_trust_links: { [B]: true }, cluster_to_ipfs: { [A]: X }
    }))
    assert.match(dot, /^T1 \[.* color="orange" .*shape="box3d" \]$/m)
    assert.match(dot, /^I1 \[label=< <B> IPFS <\/B> <BR\/> <B> Errored <\/B> > group="QmV35LjbEGPfN7KfMAJp43VV2enwXqqQf5esx4vUcgHDQJ" color="firebrick1" /m)
    assert.match(dot, /^T1 -> I1 \[ style="dotted" \]$/m)
    assert.match(dot, /^C0 -> T1$/m)
  })

  it('adds non-cluster swarm peers only with allIpfsPeers', () => {
    const g = normConnectGraph({ cluster_id: A, ipfs_links: { [X]: [Y] }, cluster_links: { [A]: [] }, cluster_to_ipfs: { [A]: X } })
    assert.doesNotMatch(makeDot(g), /I1/)
    const all = makeDot(g, true)
    assert.match(all, /^I1 -> I0$/m)
    assert.match(all, /^C0 -> I1$/m) // X sorts after Y: X is I1
  })
})
