import type { SinglePeerConsensusComponents, SinglePeerConsensusInit } from './index.js'
import type { Consensus } from '../../interface/consensus.js'
import type { AbortOptions } from '../../interface/startable.js'
import type { ReadOnlyState } from '../../interface/state.js'
import type { Pin } from '../../interface/types.js'
import type { Logger } from '@libp2p/interface'

export class SinglePeerConsensus implements Consensus {
  private readonly components: SinglePeerConsensusComponents
  private readonly trusted: Set<string> | undefined
  private readonly log: Logger

  constructor (components: SinglePeerConsensusComponents, init: SinglePeerConsensusInit) {
    this.components = components
    this.trusted = init.trustedPeers == null ? undefined : new Set(init.trustedPeers)
    this.log = components.logger.forComponent('cluster:consensus')
  }

  async ready (): Promise<void> {}

  async logPin (pin: Pin, options: AbortOptions = {}): Promise<void> {
    await this.components.state.add(pin, options)
    // as the CRDT's put hook: applying an update tracks it; tracking errors do not undo the commit
    try {
      await this.components.tracker()?.track(pin, options)
    } catch (err: any) {
      this.log.error('tracking %s failed: %s', pin.cid.toString(), err.message)
    }
  }

  async logUnpin (pin: Pin, options: AbortOptions = {}): Promise<void> {
    await this.components.state.rm(pin.cid, options)
    try {
      await this.components.tracker()?.untrack(pin.cid, options)
    } catch (err: any) {
      this.log.error('untracking %s failed: %s', pin.cid.toString(), err.message)
    }
  }

  async addPeer (): Promise<void> {
    throw new Error('single-peer consensus cannot add peers')
  }

  async rmPeer (): Promise<void> {
    // as the CRDT consensus of the reference
    throw new Error('crdt consensus component cannot remove peers')
  }

  async state (): Promise<ReadOnlyState> {
    return this.components.state
  }

  async peers (): Promise<string[]> {
    return [this.components.peerId]
  }

  isTrustedPeer (peer: string): boolean {
    if (peer === this.components.peerId) return true
    return this.trusted == null || this.trusted.has(peer)
  }

  async clean (options: AbortOptions = {}): Promise<void> {
    // LevelDB iterators read a snapshot, so removing while listing is safe and bounded
    for await (const pin of this.components.state.list(options)) await this.components.state.rm(pin.cid, options)
  }
}
