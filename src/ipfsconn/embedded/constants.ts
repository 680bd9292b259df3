/** Defaults of the embedded connector (mirroring `ipfs_connector.ipfshttp`, spec config §10). */

export const DEFAULT_SWARM_LISTEN = ['/ip4/0.0.0.0/tcp/4001']
/** 5 minutes. */
export const DEFAULT_IPFS_REQUEST_TIMEOUT = 5 * 60_000
/** 2 minutes without a new block. */
export const DEFAULT_PIN_TIMEOUT = 2 * 60_000
/** 3 hours. */
export const DEFAULT_UNPIN_TIMEOUT = 3 * 3_600_000
/** 24 hours. */
export const DEFAULT_REPOGC_TIMEOUT = 24 * 3_600_000
/** 10 GB, as Kubo's `Datastore.StorageMax`. */
export const DEFAULT_STORAGE_MAX = 10_000_000_000
export const DEFAULT_FETCH_CONCURRENCY = 32
/** A DHT server over the connected peers (for IPNS). */
export const DEFAULT_ROUTING = 'dht'
/** Origins dialled before a pin, as the Go connector. */
export const MAX_ORIGINS = 10
/** File holding the node's libp2p private key (protobuf), inside the repo folder. */
export const KEY_FILE = 'peer.key'
export const BLOCKS_FOLDER = 'blocks'
export const DATASTORE_FOLDER = 'datastore'
