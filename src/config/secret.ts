/**
 * The cluster secret: 32 bytes, written as 64 lowercase hex characters.
 * An empty secret means an unprotected network.
 */
import { randomBytes } from 'node:crypto'

/** Why a secret was refused. */
export class InvalidSecretError extends Error {
  static name = 'InvalidSecretError'
  constructor (message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'InvalidSecretError'
  }
}

/**
 * Decodes a hex secret like Go's `DecodeClusterSecret`: '' → empty bytes,
 * 32 bytes → the key; throws InvalidSecretError for bad hex or another length
 * ("input secret is N bytes, cluster secret should be 32").
 */
export function decodeClusterSecret (hex: string): Uint8Array {
  if (hex.length % 2 !== 0) throw new InvalidSecretError('encoding/hex: odd length hex string')
  const bad = /[^0-9a-fA-F]/.exec(hex)
  if (bad != null) {
    const cp = bad[0].codePointAt(0) ?? 0
    throw new InvalidSecretError(`encoding/hex: invalid byte: U+${cp.toString(16).toUpperCase().padStart(4, '0')} '${bad[0]}'`)
  }
  const bytes = Uint8Array.from(Buffer.from(hex, 'hex'))
  if (bytes.length !== 0 && bytes.length !== 32) {
    throw new InvalidSecretError(`input secret is ${bytes.length} bytes, cluster secret should be 32`)
  }
  return bytes
}

/** 32 random bytes as lowercase hex. */
export function generateClusterSecret (): string {
  return randomBytes(32).toString('hex')
}

/**
 * The swarm-key text js-libp2p's pnet module expects, wrapping a 32-byte
 * secret (the Go peer passes the raw bytes; this is the same key).
 */
export function swarmKeyFromSecret (secret: Uint8Array): Uint8Array {
  const text = `/key/swarm/psk/1.0.0/\n/base16/\n${Buffer.from(secret).toString('hex')}`
  return new TextEncoder().encode(text)
}
