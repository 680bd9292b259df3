/**
 * Every section codec, in the order Go writes service.json: groups in
 * declaration order, component keys alphabetical inside each group.
 */
import type { SectionCodec, SectionGroup } from './section.js'
import { clusterSection } from './sections/cluster.js'
import { crdtSection, raftSection } from './sections/consensus.js'
import { ipfsProxySection, pinSvcApiSection, restApiSection } from './sections/api.js'
import { embeddedSection, ipfsHttpSection } from './sections/ipfs.js'
import { balancedSection, diskSection, numpinSection, pinQueueSection, pubsubMonSection, statelessSection, tagsSection } from './sections/components.js'
import { metricsSection, tracingSection } from './sections/observations.js'
import { datastoreSections } from './sections/datastore.js'

/** Names of every section, i.e. the component keys (`cluster` for the main one). */
export type SectionName =
  | 'cluster' | 'crdt' | 'raft' | 'ipfsproxy' | 'pinsvcapi' | 'restapi' | 'embedded' | 'ipfshttp'
  | 'stateless' | 'pubsubmon' | 'balanced' | 'disk' | 'numpin' | 'pinqueue' | 'tags'
  | 'metrics' | 'tracing' | 'badger' | 'badger3' | 'leveldb' | 'pebble'

/** Top-level groups in output order. */
export const GROUP_ORDER: readonly SectionGroup[] = [
  'cluster', 'consensus', 'api', 'ipfs_connector', 'pin_tracker', 'monitor', 'allocator', 'informer', 'observations', 'datastore'
]

/** All codecs, in output order. */
export const SECTIONS: ReadonlyArray<SectionCodec<any> & { key: SectionName }> = [
  clusterSection,
  crdtSection,
  raftSection,
  ipfsProxySection,
  pinSvcApiSection,
  restApiSection,
  embeddedSection,
  ipfsHttpSection,
  statelessSection,
  pubsubMonSection,
  balancedSection,
  diskSection,
  numpinSection,
  pinQueueSection,
  tagsSection,
  metricsSection,
  tracingSection,
  datastoreSections.badger,
  datastoreSections.badger3,
  datastoreSections.leveldb,
  datastoreSections.pebble
] as Array<SectionCodec<any> & { key: SectionName }>
