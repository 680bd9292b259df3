/**
 * A small Kubo-shaped configuration describing the embedded node, so `configKey`
 * answers the keys cluster code and users ask Kubo for (`Datastore/StorageMax`, `Addresses/Swarm`…).
 */
import { IPFSError } from '../../interface/errors.js'
import { DEFAULT_ROUTING } from './constants.js'

export interface ConfigViewInit {
  peerId: string
  swarmListen: string[]
  announce: string[]
  storageMax: number
  /** `ipfs_connector.embedded.routing`, shown as Kubo's `Routing.Type`. @default 'dht' */
  routing?: string
}

/** Formats bytes as Kubo writes StorageMax ("10GB"), falling back to plain bytes ("123B"). */
export function formatStorageMax (bytes: number): string {
  for (const [unit, size] of [['TB', 1e12], ['GB', 1e9], ['MB', 1e6], ['kB', 1e3]] as const) {
    if (bytes >= size && bytes % size === 0) return `${bytes / size}${unit}`
  }
  return `${bytes}B`
}

/** The synthetic configuration object. */
export function configView (init: ConfigViewInit): Record<string, unknown> {
  return {
    Identity: { PeerID: init.peerId },
    Addresses: {
      Swarm: [...init.swarmListen],
      Announce: [...init.announce],
      AppendAnnounce: [],
      NoAnnounce: [],
      API: [],
      Gateway: []
    },
    Bootstrap: [],
    Datastore: {
      StorageMax: formatStorageMax(init.storageMax),
      StorageGCWatermark: 90,
      GCPeriod: '',
      Spec: { type: 'embedded', blocks: 'blockstore-fs', datastore: 'datastore-level' }
    },
    Discovery: { MDNS: { Enabled: false } },
    Routing: { Type: init.routing ?? DEFAULT_ROUTING },
    Swarm: { DisableNatPortMap: true, RelayClient: { Enabled: false }, RelayService: { Enabled: false } }
  }
}

/** Looks up `A/B/...` in `config`, as the Go connector's getConfigValue. Throws IPFSError. */
export function configLookup (config: Record<string, unknown>, key: string): unknown {
  if (key === '') throw new IPFSError('cannot lookup config: empty key')
  let value: unknown = config
  for (const part of key.split('/')) {
    if (value == null || typeof value !== 'object' || Array.isArray(value)) {
      throw new IPFSError(`invalid path: ${key}`)
    }
    if (!Object.hasOwn(value, part)) {
      throw new IPFSError(`key not found in configuration: ${key}`)
    }
    value = (value as Record<string, unknown>)[part]
  }
  return value
}
