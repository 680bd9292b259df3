/**
 * Wire format of go-libp2p-gorpc (spec consensus §5): concatenated msgpack
 * values. Request: `ServiceID` then the argument (streaming: the arguments, then
 * the caller closes its write side). Reply: `Response` then the value, once per
 * item for streams. `ErrName` is our addition (Go ignores unknown keys): the
 * `name` of the remote error, so callers can still branch on it.
 */
import { Encoder, decode } from '@msgpack/msgpack'
import {
  RpcApplicationError, RpcAuthorizationError, RpcClientError, RpcServerError, RpcUnknownMethodError
} from './errors.js'

/** The libp2p protocol of cluster RPC. */
export const PROTOCOL = '/ipfscluster/1.0/rpc'

/** gorpc error types. */
export const ERR_NON_RPC = 0
export const ERR_SERVER = 1
export const ERR_CLIENT = 2
export const ERR_AUTHORIZATION = 3

export interface ServiceId {
  Name: string
  Method: string
}

export interface WireResponse {
  Service: ServiceId
  Error?: string
  ErrType?: number
  ErrName?: string
}

/** msgpack options: int64 values are bigints both ways (ns durations, metric times). */
export const DECODE_OPTIONS = Object.freeze({ useBigInt64: true })
const encoder = new Encoder({ useBigInt64: true })

/** Encodes one msgpack value (a fresh copy). Throws when the value cannot be encoded. */
export function encodeValue (value: unknown): Uint8Array {
  return encoder.encode(value)
}

/** Encodes then decodes a value: what a remote peer would see. */
export function roundTrip<T> (value: T): T {
  return decode(encodeValue(value), DECODE_OPTIONS) as T
}

/** Concatenates encoded values into one buffer (one write on the stream). */
export function concat (parts: Uint8Array[], total?: number): Uint8Array {
  if (parts.length === 1) return parts[0]
  const out = new Uint8Array(total ?? parts.reduce((n, p) => n + p.byteLength, 0))
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.byteLength
  }
  return out
}

/** True for a decoded ServiceID with string fields. */
export function isServiceId (v: unknown): v is ServiceId {
  return v != null && typeof v === 'object' && typeof (v as ServiceId).Name === 'string' && typeof (v as ServiceId).Method === 'string'
}

/** True for a decoded Response. */
export function isResponse (v: unknown): v is WireResponse {
  return v != null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Uint8Array)
}

/**
 * The Response for a failure. `type` defaults from the error's class (server,
 * authorization, else non-RPC); handler failures are always ERR_NON_RPC.
 */
export function errorResponse (service: ServiceId, err: unknown, type?: number): WireResponse {
  const e = err instanceof Error ? err : new Error(String(err))
  if (type == null) {
    if (e.name === 'RpcServerError' || e.name === 'RpcUnknownMethodError') type = ERR_SERVER
    else if (e.name === 'RpcAuthorizationError') type = ERR_AUTHORIZATION
    else type = ERR_NON_RPC
  }
  const r: WireResponse = { Service: service, Error: e.message !== '' ? e.message : e.name }
  if (type !== ERR_NON_RPC) r.ErrType = type
  r.ErrName = e.name
  return r
}

/** The error a failure Response stands for; `undefined` when it reports success. */
export function responseError (r: WireResponse): Error | undefined {
  const msg = typeof r.Error === 'string' ? r.Error : ''
  if (msg === '') return undefined
  const name = typeof r.ErrName === 'string' ? r.ErrName : ''
  switch (Number(r.ErrType ?? 0)) {
    case ERR_SERVER:
      return name === 'RpcUnknownMethodError' ? new RpcUnknownMethodError(msg) : new RpcServerError(msg)
    case ERR_CLIENT:
      return new RpcClientError(msg)
    case ERR_AUTHORIZATION:
      return new RpcAuthorizationError(msg)
    default:
      return new RpcApplicationError(msg, name)
  }
}
