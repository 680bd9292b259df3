/**
 * Builds the embedded Helia node: on-disk stores in the repo folder, a persistent
 * libp2p key, and a private-by-default libp2p (TCP + noise + yamux + identify, bitswap,
 * and a DHT over the connected peers for IPNS unless routing is "none"; no bootstrap,
 * mDNS, UPnP or relay).
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import { withBitswap } from '@helia/bitswap'
import { withLibp2pLight } from '@helia/libp2p'
import type { HeliaWithLibp2p } from '@helia/libp2p'
import { identify } from '@libp2p/identify'
import type { Identify } from '@libp2p/identify'
import { noise } from '@libp2p/noise'
import { tcp } from '@libp2p/tcp'
import { yamux } from '@libp2p/yamux'
import * as dagCbor from '@ipld/dag-cbor'
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import { LevelDatastore } from 'datastore-level'
import { createHeliaLight } from 'helia'
import { UnknownHashAlgorithmError } from '@helia/interface'
import { hasherForCode } from '../../util/hashers.js'
import { sendWantCancels } from './bitswap-cancels.js'
import { BLOCKS_FOLDER, DATASTORE_FOLDER, KEY_FILE } from './constants.js'
import { NameResolver } from './names.js'
import { PinRecords } from './pin-records.js'
import { quietLogger } from './quiet-logger.js'
import { DHTValueRouter, routingServices } from './routing.js'
import { SizedBlockstore } from './sized-blockstore.js'
import type { BlockBroker } from '@helia/interface'
import type { EmbeddedRouting, RoutingServices } from './routing.js'
import type { ComponentLogger, PrivateKey } from '@libp2p/interface'
import type { DNS } from '@multiformats/dns'
import type { ServiceFactoryMap } from 'libp2p'
import type { CID } from 'multiformats/cid'

/** The Helia node type the connector drives (`dht` and `ping` only when routing is on). */
export type EmbeddedHelia = HeliaWithLibp2p<{ identify: Identify } & RoutingServices>

export interface NodeInit {
  repoPath: string
  swarmListen: string[]
  announce: string[]
  privateKey?: PrivateKey
  logger: ComponentLogger
  /** DHT mode for IPNS (see routing.ts). */
  routing: EmbeddedRouting
  /** DNS resolver for DNSLink. @default the system resolver */
  dns?: DNS
}

/** A started node and what the connector needs to close it. */
export interface EmbeddedNode {
  helia: EmbeddedHelia
  blockstore: SizedBlockstore
  datastore: LevelDatastore
  privateKey: PrivateKey
  /** Helia's pin records, read synchronously and written with group commit. */
  records: PinRecords
  /**
   * Tells bitswap peers that want `cid` that we now have it. Helia announces a put
   * before it writes the block, so a peer already waiting for it is answered "don't have"
   * and never gets it; calling this after the write fixes that.
   */
  announce: (cid: CID) => Promise<void>
  /** Resolves `/ipns/` paths (IPNS records, DNSLink). */
  names: NameResolver
}

/**
 * Loads the key from `<repo>/peer.key`, or generates an Ed25519 key and writes it there,
 * so the IPFS peer ID is stable across restarts.
 */
export async function loadOrCreateKey (repoPath: string): Promise<PrivateKey> {
  const file = path.join(repoPath, KEY_FILE)
  try {
    return privateKeyFromProtobuf(await fs.readFile(file))
  } catch (err: any) {
    if (err.code !== 'ENOENT') throw err
  }
  const key = await generateKeyPair('Ed25519')
  const tmp = `${file}.tmp`
  await fs.writeFile(tmp, privateKeyToProtobuf(key), { mode: 0o600 })
  await fs.rename(tmp, file)
  return key
}

/** Opens the stores and starts Helia. On failure, whatever was opened is closed again. */
export async function startNode (init: NodeInit): Promise<EmbeddedNode> {
  await fs.mkdir(init.repoPath, { recursive: true })
  const privateKey = init.privateKey ?? await loadOrCreateKey(init.repoPath)
  const blockstore = new SizedBlockstore(path.join(init.repoPath, BLOCKS_FOLDER))
  const datastore = new LevelDatastore(path.join(init.repoPath, DATASTORE_FOLDER))
  const logger = quietLogger(init.logger)
  await datastore.open()
  let helia: EmbeddedHelia | undefined
  try {
    await blockstore.open()
    const light = createHeliaLight({
      blockstore,
      datastore,
      logger,
      codecs: [dagCbor],
      dns: init.dns,
      // blocks added with `--hash sha2-512`, `blake2b-256`… are verified like sha2-256 ones
      loadHasher: (code) => {
        const hasher = hasherForCode(code)
        if (hasher == null) throw new UnknownHashAlgorithmError(`no hasher for multihash code 0x${code.toString(16)}`)
        return hasher
      }
    })
    if (init.routing !== 'none') {
      // before libp2p starts, so @helia/libp2p does not add its content router (routing.ts)
      light.addRouter(new DHTValueRouter(() => helia?.libp2p.services.dht))
    }
    // keep a handle on the bitswap broker that withBitswap adds at start
    let bitswap: BlockBroker | undefined
    const addBlockBroker = light.addBlockBroker.bind(light)
    light.addBlockBroker = (broker) => {
      addBlockBroker(broker)
      if (typeof broker !== 'function' && broker.name === 'bitswap') {
        bitswap = broker
        // Helia's bitswap never sends CANCEL: see bitswap-cancels.ts
        if (!sendWantCancels(broker, logger.forComponent('cluster:ipfsembedded'))) {
          init.logger.forComponent('cluster:ipfsembedded').error('bitswap internals changed: cancelled wants are not sent to peers, a pin retried against a peer that once lacked the content may stall')
        }
      }
    }
    const announce = async (cid: CID): Promise<void> => { await bitswap?.announce?.(cid) }
    helia = withBitswap(withLibp2pLight(light, {
      privateKey,
      logger,
      addresses: { listen: init.swarmListen, announce: init.announce },
      transports: [tcp()],
      connectionEncrypters: [noise()],
      streamMuxers: [yamux()],
      // libp2p types a service map without optional entries
      services: { identify: identify(), ...routingServices(init.routing, light.keychain) } as ServiceFactoryMap<{ identify: Identify } & RoutingServices>
    }))
    await helia.start()
    const dht = helia.libp2p.services.dht
    const names = new NameResolver({
      datastore: helia.datastore,
      routing: helia.routing,
      keychain: helia.keychain,
      dns: helia.dns,
      logger
    }, {
      online: dht != null,
      dhtPeers: () => dht != null ? (dht as { routingTable?: { size: number } }).routingTable?.size : undefined
    })
    return { helia, blockstore, datastore, privateKey, announce, names, records: new PinRecords(datastore.db) }
  } catch (err) {
    await helia?.stop().catch(() => {})
    await blockstore.close().catch(() => {})
    await datastore.close().catch(() => {})
    throw err
  }
}
