/**
 * The loaded configuration as code sees it: camelCase, durations in ms,
 * multiaddresses as strings, paths resolved against the config folder.
 */
import type { ClusterSectionConfig } from './sections/cluster.js'
import type { CrdtConfig, RaftConfig } from './sections/consensus.js'
import type { HttpApiConfig, IpfsProxyConfig } from './sections/api.js'
import type { EmbeddedConfig, IpfsHttpConfig } from './sections/ipfs.js'
import type { BalancedConfig, DiskConfig, NumpinConfig, PinQueueConfig, PubsubMonConfig, StatelessConfig, TagsConfig } from './sections/components.js'
import type { MetricsConfig, TracingConfig } from './sections/observations.js'
import type { DatastoreKind, DatastoreSectionConfig } from './sections/datastore.js'
import type { Identity } from './identity.js'
import type { SectionName } from './registry.js'

export type { ClusterSectionConfig, ConnMgrConfig, ResourceMgrConfig, PubSubConfig } from './sections/cluster.js'
export type { CrdtConfig, CrdtBatchingConfig, RaftConfig } from './sections/consensus.js'
export type { HttpApiConfig, IpfsProxyConfig } from './sections/api.js'
export type { EmbeddedConfig, IpfsHttpConfig } from './sections/ipfs.js'
export type { BalancedConfig, DiskConfig, NumpinConfig, PinQueueConfig, PubsubMonConfig, StatelessConfig, TagsConfig } from './sections/components.js'
export type { MetricsConfig, TracingConfig } from './sections/observations.js'
export type { DatastoreKind, DatastoreSectionConfig } from './sections/datastore.js'
export type { Identity } from './identity.js'
export type { SectionName } from './registry.js'

/** The datastore to use (CRDT consensus). */
export interface DatastoreConfig extends DatastoreSectionConfig {
  /** Which section it came from. */
  kind: DatastoreKind
}

/** The whole configuration of a peer; frozen except the identity objects. */
export interface ClusterConfig {
  /** Absolute config folder. */
  configDir: string
  /** Remote source URL when service.json only holds `{"source": …}`. */
  source?: string
  cluster: ClusterSectionConfig
  /** The consensus whose section is present. */
  consensus: 'crdt' | 'raft'
  crdt: CrdtConfig
  raft: RaftConfig
  restapi: HttpApiConfig
  pinsvcapi: HttpApiConfig
  ipfsproxy: IpfsProxyConfig
  /** Which IPFS connector to run: `embedded` if that section is present (or neither is), else `ipfshttp`. */
  ipfsConnector: 'embedded' | 'ipfshttp'
  ipfshttp: IpfsHttpConfig
  embedded: EmbeddedConfig
  stateless: StatelessConfig
  pubsubmon: PubsubMonConfig
  balanced: BalancedConfig
  disk: DiskConfig
  numpin: NumpinConfig
  pinqueue: PinQueueConfig
  tags: TagsConfig
  metrics: MetricsConfig
  tracing: TracingConfig
  /** The datastore in use (leveldb defaults when no section is present). */
  datastore: DatastoreConfig
  /** Whether each section was present in the file ("loaded from JSON"). */
  loaded: Readonly<Record<SectionName, boolean>>
  /** The peer identity (identity.json + env overrides). */
  identity: Identity
}
