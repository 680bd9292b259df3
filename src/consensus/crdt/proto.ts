/**
 * Hand-written proto3 codecs for the CRDT wire messages (go-ds-crdt `pb/delta.proto`,
 * `pb/bcast.proto`, plus our DAG fetch request). Unknown fields are skipped on read.
 *
 *   Delta{ repeated Element elements = 1; repeated Element tombstones = 2; uint64 priority = 3 }
 *   Element{ string key = 1; string id = 2; bytes value = 3 }
 *   CRDTBroadcast{ repeated Head heads = 1 }  Head{ bytes cid = 1 }
 *   FetchRequest{ repeated bytes roots = 1; repeated bytes have = 2; uint64 max = 3 }
 */
import { CrdtDecodeError } from './errors.js'

/** One element or tombstone of a delta. `value` is empty for tombstones. */
export interface Element {
  key: string
  id: string
  value: Uint8Array
}

/** A CRDT delta. `priority` is the height of the DAG node carrying it. */
export interface Delta {
  elements: Element[]
  tombstones: Element[]
  priority: number
}

/** A DAG fetch request: walk down from `roots`, skip `have` and what lies below them. */
export interface FetchRequest {
  roots: Uint8Array[]
  have: Uint8Array[]
  /** Most blocks to send; 0 = the server's limit. */
  max: number
}

const EMPTY = new Uint8Array(0)

/** Encoded length of an unsigned varint (values up to 2^53). */
export function varintLength (n: number): number {
  let len = 1
  while (n >= 0x80) {
    n = Math.floor(n / 128)
    len++
  }
  return len
}

/** Writes an unsigned varint at `pos`; returns the position after it. */
export function writeVarint (buf: Uint8Array, pos: number, n: number): number {
  while (n >= 0x80) {
    buf[pos++] = (n % 128) | 0x80
    n = Math.floor(n / 128)
  }
  buf[pos++] = n
  return pos
}

/** An unsigned varint as bytes. */
export function uvarint (n: number): Uint8Array {
  const out = new Uint8Array(varintLength(n))
  writeVarint(out, 0, n)
  return out
}

/** Reads an unsigned varint; throws CrdtDecodeError on truncation. */
export function readUvarint (buf: Uint8Array, pos = 0): [value: number, next: number] {
  let value = 0
  let mul = 1
  for (let i = 0; i < 10; i++) {
    if (pos >= buf.length) throw new CrdtDecodeError('truncated varint')
    const b = buf[pos++]
    value += (b & 0x7f) * mul
    if (b < 0x80) return [value, pos]
    mul *= 128
  }
  throw new CrdtDecodeError('varint too long')
}

/** A cursor over protobuf fields. */
class Reader {
  pos = 0
  readonly end: number
  constructor (readonly buf: Uint8Array, start = 0, end = buf.length) {
    this.pos = start
    this.end = end
  }

  varint (): number {
    const [v, next] = readUvarint(this.buf, this.pos)
    if (next > this.end) throw new CrdtDecodeError('truncated varint')
    this.pos = next
    return v
  }

  /** Start and end of a length-delimited field's payload. */
  span (): [number, number] {
    const len = this.varint()
    const start = this.pos
    const end = start + len
    if (end > this.end) throw new CrdtDecodeError('truncated field')
    this.pos = end
    return [start, end]
  }

  skip (wire: number): void {
    if (wire === 0) this.varint()
    else if (wire === 1) this.pos += 8
    else if (wire === 2) this.span()
    else if (wire === 5) this.pos += 4
    else throw new CrdtDecodeError(`unsupported wire type ${wire}`)
    if (this.pos > this.end) throw new CrdtDecodeError('truncated field')
  }
}

function nodeBuffer (buf: Uint8Array): Buffer {
  return Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength)
}

/** Size of a length-delimited field (tag + length + payload), tag < 16. */
function fieldLength (payload: number): number {
  return 1 + varintLength(payload) + payload
}

function elementPayload (e: Element, valueBytes: boolean): number {
  let n = 0
  const k = Buffer.byteLength(e.key)
  if (k > 0) n += fieldLength(k)
  const i = Buffer.byteLength(e.id)
  if (i > 0) n += fieldLength(i)
  if (valueBytes && e.value.length > 0) n += fieldLength(e.value.length)
  return n
}

/** Approximate encoded size of an element (for the 1 MiB delta guard). */
export function elementSize (key: string, id: string, value: Uint8Array | undefined): number {
  return 8 + key.length + id.length + (value?.length ?? 0)
}

/** Encodes a Delta (deterministic: fields in number order). */
export function encodeDelta (delta: Delta): Uint8Array {
  const sizes: number[] = []
  let total = 0
  for (const e of delta.elements) {
    const s = elementPayload(e, true)
    sizes.push(s)
    total += fieldLength(s)
  }
  for (const e of delta.tombstones) {
    const s = elementPayload(e, false)
    sizes.push(s)
    total += fieldLength(s)
  }
  if (delta.priority > 0) total += 1 + varintLength(delta.priority)
  const out = Buffer.allocUnsafe(total)
  let pos = 0
  let n = 0
  const put = (field: number, e: Element, withValue: boolean): void => {
    out[pos++] = (field << 3) | 2
    pos = writeVarint(out, pos, sizes[n++])
    if (e.key.length > 0) {
      out[pos++] = (1 << 3) | 2
      const len = Buffer.byteLength(e.key)
      pos = writeVarint(out, pos, len)
      pos += out.write(e.key, pos, len, 'utf8')
    }
    if (e.id.length > 0) {
      out[pos++] = (2 << 3) | 2
      const len = Buffer.byteLength(e.id)
      pos = writeVarint(out, pos, len)
      pos += out.write(e.id, pos, len, 'utf8')
    }
    if (withValue && e.value.length > 0) {
      out[pos++] = (3 << 3) | 2
      pos = writeVarint(out, pos, e.value.length)
      out.set(e.value, pos)
      pos += e.value.length
    }
  }
  for (const e of delta.elements) put(1, e, true)
  for (const e of delta.tombstones) put(2, e, false)
  if (delta.priority > 0) {
    out[pos++] = (3 << 3) | 0
    pos = writeVarint(out, pos, delta.priority)
  }
  return new Uint8Array(out.buffer, out.byteOffset, pos)
}

function decodeElement (buf: Buffer, start: number, end: number): Element {
  const r = new Reader(buf, start, end)
  const e: Element = { key: '', id: '', value: EMPTY }
  while (r.pos < r.end) {
    const tag = r.varint()
    const field = Math.floor(tag / 8)
    const wire = tag & 7
    if (wire === 2 && field >= 1 && field <= 3) {
      const [s, t] = r.span()
      if (field === 1) e.key = buf.toString('utf8', s, t)
      else if (field === 2) e.id = buf.toString('utf8', s, t)
      else e.value = buf.subarray(s, t)
    } else {
      r.skip(wire)
    }
  }
  return e
}

/** Decodes a Delta; element values are views into `bytes`. Throws CrdtDecodeError. */
export function decodeDelta (bytes: Uint8Array): Delta {
  const buf = nodeBuffer(bytes)
  const r = new Reader(buf)
  const delta: Delta = { elements: [], tombstones: [], priority: 0 }
  while (r.pos < r.end) {
    const tag = r.varint()
    const field = Math.floor(tag / 8)
    const wire = tag & 7
    if ((field === 1 || field === 2) && wire === 2) {
      const [s, t] = r.span()
      const e = decodeElement(buf, s, t)
      if (field === 1) delta.elements.push(e)
      else delta.tombstones.push(e)
    } else if (field === 3 && wire === 0) {
      delta.priority = r.varint()
    } else {
      r.skip(wire)
    }
  }
  return delta
}

/** The priority of an encoded Delta, without decoding its elements. */
export function deltaPriority (bytes: Uint8Array): number {
  const r = new Reader(bytes)
  let priority = 0
  while (r.pos < r.end) {
    const tag = r.varint()
    const wire = tag & 7
    if (tag === ((3 << 3) | 0)) priority = r.varint()
    else r.skip(wire)
  }
  return priority
}

/** Encodes a list of byte fields plus an optional varint field (broadcasts, requests). */
function encodeRepeated (groups: Array<[field: number, items: Uint8Array[], nested: boolean]>, varints: Array<[field: number, value: number]>): Uint8Array {
  let total = 0
  for (const [, items, nested] of groups) {
    for (const it of items) total += nested ? fieldLength(fieldLength(it.length)) : fieldLength(it.length)
  }
  for (const [, v] of varints) if (v > 0) total += 1 + varintLength(v)
  const out = new Uint8Array(total)
  let pos = 0
  for (const [field, items, nested] of groups) {
    for (const it of items) {
      out[pos++] = (field << 3) | 2
      if (nested) {
        pos = writeVarint(out, pos, fieldLength(it.length))
        out[pos++] = (1 << 3) | 2
      }
      pos = writeVarint(out, pos, it.length)
      out.set(it, pos)
      pos += it.length
    }
  }
  for (const [field, v] of varints) {
    if (v <= 0) continue
    out[pos++] = field << 3
    pos = writeVarint(out, pos, v)
  }
  return out
}

/** Encodes `CRDTBroadcast{ heads }` from CID bytes. */
export function encodeBroadcast (heads: Uint8Array[]): Uint8Array {
  return encodeRepeated([[1, heads, true]], [])
}

/** Decodes `CRDTBroadcast` into CID bytes. Throws CrdtDecodeError. */
export function decodeBroadcast (bytes: Uint8Array): Uint8Array[] {
  const r = new Reader(bytes)
  const heads: Uint8Array[] = []
  while (r.pos < r.end) {
    const tag = r.varint()
    if (tag === ((1 << 3) | 2)) {
      const [s, t] = r.span()
      const h = new Reader(bytes, s, t)
      while (h.pos < h.end) {
        const htag = h.varint()
        if (htag === ((1 << 3) | 2)) {
          const [hs, ht] = h.span()
          heads.push(bytes.subarray(hs, ht))
        } else {
          h.skip(htag & 7)
        }
      }
    } else {
      r.skip(tag & 7)
    }
  }
  return heads
}

/** Encodes a FetchRequest. */
export function encodeFetchRequest (req: FetchRequest): Uint8Array {
  return encodeRepeated([[1, req.roots, false], [2, req.have, false]], [[3, req.max]])
}

/** Decodes a FetchRequest. Throws CrdtDecodeError. */
export function decodeFetchRequest (bytes: Uint8Array): FetchRequest {
  const r = new Reader(bytes)
  const req: FetchRequest = { roots: [], have: [], max: 0 }
  while (r.pos < r.end) {
    const tag = r.varint()
    const field = Math.floor(tag / 8)
    const wire = tag & 7
    if ((field === 1 || field === 2) && wire === 2) {
      const [s, t] = r.span()
      ;(field === 1 ? req.roots : req.have).push(bytes.subarray(s, t))
    } else if (field === 3 && wire === 0) {
      req.max = r.varint()
    } else {
      r.skip(wire)
    }
  }
  return req
}
