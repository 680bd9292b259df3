/**
 * Configuration of an IPFS Cluster peer: `service.json` (every section, Go's
 * merge rules, `CLUSTER_<SECTION>_<FIELD>` environment overrides),
 * `identity.json`, the cluster secret, the peerstore file and the folder lock.
 *
 * - `loadConfig(dir)` → frozen, validated `ClusterConfig` (throws InvalidConfigError listing every problem).
 * - `initConfig(dir, opts)` → writes service.json, identity.json (if absent) and the peerstore.
 * - `acquireLock(dir)` → holds `<dir>/cluster.lock`.
 */
export { loadConfig, fetchSource, ConfigFetchError, SERVICE_JSON, IDENTITY_JSON } from './load.js'
export type { LoadConfigOptions } from './load.js'
export { initConfig } from './init.js'
export type { InitConfigOptions, InitConfigResult } from './init.js'
export { acquireLock, LOCK_FILE } from './lock.js'
export type { FolderLock } from './lock.js'
export { decodeClusterSecret, generateClusterSecret, swarmKeyFromSecret, InvalidSecretError } from './secret.js'
export { readPeerstore, writePeerstore, peerIdOfAddr } from './peerstore.js'
export { randomizePorts } from './random-ports.js'
export { generateIdentityJson, decodeIdentity } from './identity.js'
export type { IdentityJson } from './identity.js'
export { parseByteSize } from './sections/ipfs.js'
export { DATASTORE_KINDS } from './sections/datastore.js'
export { renderSections, serviceJsonText, parseSections } from './manager.js'
export { SECTIONS } from './registry.js'
export { envName } from './env.js'
export type * from './types.js'
