/** A controllable IPFSConnector for the tracker tests. */
import type { IPFSConnector } from '../../src/interface/ipfs-connector.js'
import type { IPFSID, IPFSPinInfo, IPFSPinStatus, IPFSRepoGC, IPFSRepoStat, Pin } from '../../src/interface/types.js'
import type { AbortOptions } from '../../src/interface/startable.js'
import type { CID } from 'multiformats/cid'

export interface Call { op: 'pin' | 'unpin', cid: string }

/** Waits until released or aborted (rejects with the signal's reason). */
function gate (released: Promise<void>, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) { reject(signal.reason); return }
    const onAbort = (): void => { reject(signal?.reason) }
    signal?.addEventListener('abort', onAbort, { once: true })
    void released.then(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    })
  })
}

export class FakeIPFS implements IPFSConnector {
  /** What IPFS has pinned: cid string → type. */
  readonly pinned = new Map<string, { cid: CID, type: IPFSPinStatus }>()
  readonly calls: Call[] = []
  /** Calls that were aborted through their signal. */
  readonly aborted: Call[] = []
  /** cid string → error message for pin / unpin. */
  readonly pinFailures = new Map<string, string>()
  readonly unpinFailures = new Map<string, string>()
  pinLsError: Error | undefined
  pinLsCidError: Error | undefined
  pinLsCalls = 0
  private readonly gates = new Map<string, { promise: Promise<void>, release: () => void }>()

  /** Makes pin/unpin calls for `cid` wait until `release(cid)`. */
  block (cid: CID): void {
    let release!: () => void
    const promise = new Promise<void>((resolve) => { release = resolve })
    this.gates.set(cid.toString(), { promise, release })
  }

  release (cid: CID): void {
    const g = this.gates.get(cid.toString())
    this.gates.delete(cid.toString())
    g?.release()
  }

  private async run (call: Call, options: AbortOptions): Promise<void> {
    this.calls.push(call)
    const g = this.gates.get(call.cid)
    if (g == null) return
    try {
      await gate(g.promise, options.signal)
    } catch (err) {
      this.aborted.push(call)
      throw err
    }
  }

  async pin (pin: Pin, options: AbortOptions = {}): Promise<void> {
    const cid = pin.cid.toString()
    await this.run({ op: 'pin', cid }, options)
    const fail = this.pinFailures.get(cid)
    if (fail != null) throw new Error(fail)
    this.pinned.set(cid, { cid: pin.cid, type: pin.maxDepth === 0 ? 'direct' : 'recursive' })
  }

  async unpin (cid: CID, options: AbortOptions = {}): Promise<void> {
    const s = cid.toString()
    await this.run({ op: 'unpin', cid: s }, options)
    const fail = this.unpinFailures.get(s)
    if (fail != null) throw new Error(fail)
    this.pinned.delete(s)
  }

  async pinLsCid (pin: Pin): Promise<IPFSPinStatus> {
    if (this.pinLsCidError != null) throw this.pinLsCidError
    return this.pinned.get(pin.cid.toString())?.type ?? 'unpinned'
  }

  async pinLsCids (cids: CID[]): Promise<IPFSPinStatus[]> {
    this.pinLsCalls++
    if (this.pinLsError != null) throw this.pinLsError
    return cids.map((c) => {
      const type = this.pinned.get(c.toString())?.type
      return type === 'recursive' || type === 'direct' ? type : 'unpinned'
    })
  }

  async * pinLs (typeFilters: string[]): AsyncGenerator<IPFSPinInfo> {
    this.pinLsCalls++
    if (this.pinLsError != null) throw this.pinLsError
    for (const p of [...this.pinned.values()]) {
      if (typeFilters.includes(p.type) || typeFilters.includes('all')) yield p
    }
  }

  pinCalls (cid?: CID): Call[] {
    return this.calls.filter((c) => c.op === 'pin' && (cid == null || c.cid === cid.toString()))
  }

  unpinCalls (cid?: CID): Call[] {
    return this.calls.filter((c) => c.op === 'unpin' && (cid == null || c.cid === cid.toString()))
  }

  async id (): Promise<IPFSID> { return { id: 'ipfs-id', addresses: [], error: '' } }
  async connectSwarms (): Promise<void> {}
  async swarmPeers (): Promise<string[]> { return [] }
  async configKey (): Promise<unknown> { return undefined }
  async repoStat (): Promise<IPFSRepoStat> { return { repoSize: 0, storageMax: 0 } }
  async * repoGC (): AsyncGenerator<IPFSRepoGC> {}
  async resolve (): Promise<CID> { throw new Error('not implemented') }
  async blockStream (): Promise<void> {}
  async blockGet (): Promise<Uint8Array> { throw new Error('not implemented') }
}

/** Polls `cond` on tiny intervals until true; fails after `ms`. */
export async function waitFor (cond: () => boolean | Promise<boolean>, ms = 2000): Promise<void> {
  const end = Date.now() + ms
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not met in time')
    await new Promise((resolve) => setTimeout(resolve, 1))
  }
}

/** Holds every pin call until `open()` (aborts still reject at once). */
export class GatedIPFS extends FakeIPFS {
  private opened!: () => void
  private readonly gateOpen = new Promise<void>((resolve) => { this.opened = resolve })
  open (): void { this.opened() }
  async pin (pin: Pin, options: AbortOptions = {}): Promise<void> {
    await gate(this.gateOpen, options.signal)
    await super.pin(pin, options)
  }
}
