/**
 * `identity.json`: the peer ID and its libp2p private key (Go `config/identity.go`).
 * The key is the libp2p protobuf encoding in standard base64 with padding.
 */
import { readFile, writeFile, chmod } from 'node:fs/promises'
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey, peerIdFromString } from '@libp2p/peer-id'
import type { PeerId, PrivateKey } from '@libp2p/interface'
import { InvalidConfigError } from '../interface/errors.js'

/** The JSON form of identity.json. */
export interface IdentityJson { id: string, private_key: string }

/** A decoded identity. */
export interface Identity {
  /** The peer ID derived from (and matching) the key. */
  id: PeerId
  /** The libp2p private key. */
  privateKey: PrivateKey
}

/** A fresh Ed25519 identity in JSON form (`private_key` starts with `CAESQ`). */
export async function generateIdentityJson (): Promise<IdentityJson> {
  const key = await generateKeyPair('Ed25519')
  return {
    id: peerIdFromPrivateKey(key).toString(),
    private_key: Buffer.from(privateKeyToProtobuf(key)).toString('base64')
  }
}

/** Applies `CLUSTER_ID` / `CLUSTER_PRIVATEKEY` over the JSON form. */
export function applyIdentityEnv (json: IdentityJson, env: NodeJS.ProcessEnv): IdentityJson {
  return {
    id: env.CLUSTER_ID ?? json.id,
    private_key: env.CLUSTER_PRIVATEKEY ?? json.private_key
  }
}

/**
 * Decodes and validates an identity; pushes Go's messages into `problems`
 * and returns undefined when invalid.
 */
export function decodeIdentity (json: Partial<IdentityJson>, problems: string[]): Identity | undefined {
  const id = json.id ?? ''
  const pk = json.private_key ?? ''
  if (id === '') {
    problems.push('identity ID not set')
    return undefined
  }
  if (pk === '') {
    problems.push('no identity private_key set')
    return undefined
  }
  let peerId: PeerId
  try {
    peerId = peerIdFromString(id)
  } catch (err: any) {
    problems.push(`error decoding cluster ID: ${err.message}`)
    return undefined
  }
  let privateKey: PrivateKey
  try {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(pk)) throw new Error('illegal base64 data')
    privateKey = privateKeyFromProtobuf(Buffer.from(pk, 'base64'))
  } catch (err: any) {
    problems.push(`error decoding private_key: ${err.message}`)
    return undefined
  }
  if (!peerIdFromPrivateKey(privateKey).equals(peerId)) {
    problems.push('identity ID does not match the private_key')
    return undefined
  }
  return { id: peerId, privateKey }
}

/** Writes identity.json (4-space indent, mode 0600). */
export async function saveIdentity (path: string, json: IdentityJson): Promise<void> {
  await writeFile(path, JSON.stringify({ id: json.id, private_key: json.private_key }, null, 4), { mode: 0o600 })
  await chmod(path, 0o600)
}

/** Reads identity.json; throws InvalidConfigError when it is not an object. */
export async function readIdentityJson (path: string): Promise<Partial<IdentityJson>> {
  const text = await readFile(path, 'utf8')
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (err: any) {
    throw new InvalidConfigError(`error loading identity from ${path}: ${err.message}`)
  }
  if (parsed == null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new InvalidConfigError(`error loading identity from ${path}: not a JSON object`)
  }
  const o = parsed as Record<string, unknown>
  return {
    id: typeof o.id === 'string' ? o.id : undefined,
    private_key: typeof o.private_key === 'string' ? o.private_key : undefined
  }
}
