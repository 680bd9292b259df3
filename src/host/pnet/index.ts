/**
 * libp2p private network (PSK v1, wire-compatible with go-libp2p's pnet): each side
 * sends a random 24-byte nonce, then every byte it sends is XORed with the XSalsa20
 * keystream of the 32-byte pre-shared key and its own nonce. There is no framing and
 * no authentication: peers with another key fail in the next handshake (noise), and
 * a peer without a key fails its own. Neither side waits for the other's nonce
 * before writing (as Go), so protecting adds no round trip.
 * Config key: `cluster.secret` (the raw 32 bytes, not the swarm.key text).
 */
import { randomBytes } from 'node:crypto'
import { InvalidPreSharedKeyError, PnetHandshakeError } from '../errors.js'
import { ProtectedConnection } from './connection.js'
import { KEY_BYTES, NONCE_BYTES } from './keystream.js'
import type { AbortOptions, ConnectionProtector, MessageStream } from '@libp2p/interface'

export interface PreSharedKeyInit {
  /** The 32-byte key (the cluster secret). */
  psk: Uint8Array
}

/**
 * A connection protector for libp2p's `connectionProtector` option. Throws
 * InvalidPreSharedKeyError when `psk` is not 32 bytes; `protect` rejects with
 * PnetHandshakeError when the connection is already closed or aborted.
 */
export function preSharedKey (init: PreSharedKeyInit): () => ConnectionProtector {
  if (init.psk.byteLength !== KEY_BYTES) {
    throw new InvalidPreSharedKeyError(`pre-shared key is ${init.psk.byteLength} bytes, it must be ${KEY_BYTES}`)
  }
  const psk = Uint8Array.from(init.psk)
  return () => new PreSharedKeyProtector(psk)
}

class PreSharedKeyProtector implements ConnectionProtector {
  readonly [Symbol.toStringTag] = 'cluster:pnet'

  constructor (private readonly psk: Uint8Array) {}

  async protect (connection: MessageStream, options: AbortOptions = {}): Promise<MessageStream> {
    if (options.signal?.aborted === true || connection.status !== 'open') {
      throw new PnetHandshakeError(`cannot protect a connection that is ${options.signal?.aborted === true ? 'aborted' : connection.status}`)
    }
    const log = connection.log.newScope('pnet')
    return new ProtectedConnection({ raw: connection, psk: this.psk, localNonce: Uint8Array.from(randomBytes(NONCE_BYTES)), log })
  }
}
