/**
 * Basic and JWT bearer authentication (spec rest-api §3), as common.API's
 * `authHandler`, `verifyToken` and `generateSignedTokenString`.
 */
import { CompactSign, decodeJwt, jwtVerify } from 'jose'
import { goJson } from '../../util/gojson.js'

/** Realm of every `WWW-Authenticate` challenge. */
export const REALM = 'Restricted IPFS Cluster API'

/** Result of checking a request's credentials. */
export type AuthResult =
  | { ok: true, issuer: string }
  | { ok: false, message: string, challenges: string[] }

function wwwAuthenticate (scheme: string, error = ''): string {
  return `${scheme} realm="${REALM}"` + (error !== '' ? `, error="${error}"` : '')
}

/** Go `Request.BasicAuth`: `Basic base64(user:pass)`, scheme case-insensitive, strict base64. */
export function parseBasicAuth (header: string | undefined): { user: string, password: string } | undefined {
  if (header == null) return undefined
  const prefix = 'Basic '
  if (header.length < prefix.length || header.slice(0, prefix.length).toLowerCase() !== prefix.toLowerCase()) return undefined
  const b64 = header.slice(prefix.length)
  // Go's StdEncoding: padded, no whitespace, no URL alphabet
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(b64)) return undefined
  const bytes = Buffer.from(b64, 'base64')
  const colon = bytes.indexOf(0x3a)
  if (colon < 0) return undefined
  return { user: bytes.subarray(0, colon).toString('utf8'), password: bytes.subarray(colon + 1).toString('utf8') }
}

/** Go `parseBearerToken`: `Bearer <token>` with the prefix compared case-insensitively. */
export function parseBearerToken (header: string | undefined): string | undefined {
  if (header == null) return undefined
  const prefix = 'bearer '
  if (header.length < prefix.length || header.slice(0, prefix.length).toLowerCase() !== prefix) return undefined
  return header.slice(prefix.length)
}

/** Both user and password non-empty and equal to a configured pair. */
export function verifyBasicAuth (credentials: Record<string, string>, user: string, password: string): boolean {
  if (user === '' || password === '') return false
  return Object.hasOwn(credentials, user) && credentials[user] === password
}

/**
 * Verifies an HMAC-signed JWT whose `iss` is a configured user, keyed with that
 * user's password; `exp`/`nbf`/`iat` are enforced when present. Returns the issuer,
 * throws when invalid.
 */
export async function verifyToken (credentials: Record<string, string>, token: string): Promise<string> {
  const claims = decodeJwt(token)
  const iss = claims.iss
  if (typeof iss !== 'string' || !Object.hasOwn(credentials, iss)) throw new Error('issuer not found')
  const key = new TextEncoder().encode(credentials[iss])
  const { payload } = await jwtVerify(token, key, { algorithms: ['HS256', 'HS384', 'HS512'] })
  // golang-jwt v4 also refuses tokens issued in the future
  if (typeof payload.iat === 'number' && payload.iat > Date.now() / 1000) throw new Error('token used before issued')
  return iss
}

/**
 * The token `/token` issues: header `{"alg":"HS256","typ":"JWT"}`, payload exactly
 * `{"iss":"<user>"}` as Go encodes it, HMAC-SHA256 keyed with the password.
 */
export async function generateToken (issuer: string, password: string): Promise<string> {
  const payload = new TextEncoder().encode(goJson({ iss: issuer }))
  return await new CompactSign(payload)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .sign(new TextEncoder().encode(password))
}

/**
 * Checks the first `Authorization` header against the credentials (Basic first,
 * then Bearer), with the reference's three failure answers.
 */
export async function authenticate (credentials: Record<string, string>, authorization: string | undefined): Promise<AuthResult> {
  const basic = parseBasicAuth(authorization)
  if (basic != null) {
    if (verifyBasicAuth(credentials, basic.user, basic.password)) return { ok: true, issuer: basic.user }
    return { ok: false, message: 'unauthorized: access denied', challenges: [wwwAuthenticate('Basic')] }
  }
  const token = parseBearerToken(authorization)
  if (token != null) {
    try {
      return { ok: true, issuer: await verifyToken(credentials, token) }
    } catch {
      return { ok: false, message: 'unauthorized: invalid token', challenges: [wwwAuthenticate('Bearer', 'invalid_token')] }
    }
  }
  return { ok: false, message: 'unauthorized: no auth provided', challenges: [wwwAuthenticate('Bearer'), wwwAuthenticate('Basic')] }
}
