import { createCipheriv, createHash } from 'node:crypto'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { clusterHost } from '../../src/host/index.js'
import { silentLogger } from '../../src/util/logger.js'
import type { ClusterHost, ClusterHostInit } from '../../src/host/index.js'
import type { Stream } from '@libp2p/interface'

export const TRANSFER_PROTOCOL = '/cluster-test/transfer/1.0.0'

/** Starts a host on a random loopback port; the caller stops it. */
export async function startHost (init: Partial<ClusterHostInit> = {}): Promise<ClusterHost> {
  const host = clusterHost({
    privateKey: await generateKeyPair('Ed25519'),
    listen: ['/ip4/127.0.0.1/tcp/0'],
    ...init
  })({ logger: silentLogger() })
  await host.start()
  return host
}

export async function stopAll (hosts: ClusterHost[]): Promise<void> {
  await Promise.allSettled(hosts.map(async (h) => { await h.stop() }))
}

/** A 32-byte secret made of one repeated byte. */
export function secretOf (byte: number): Uint8Array {
  return new Uint8Array(32).fill(byte)
}

/**
 * Deterministic pseudo-random chunks (AES-128-CTR keystream of `seed`), made one at a
 * time so that a transfer of any size never sits in memory.
 */
export function * chunks (seed: number, total: number, size: number): Generator<Uint8Array> {
  const key = new Uint8Array(16).fill(seed)
  const cipher = createCipheriv('aes-128-ctr', key, new Uint8Array(16))
  const zeros = new Uint8Array(size)
  for (let sent = 0; sent < total; sent += size) {
    const n = Math.min(size, total - sent)
    yield cipher.update(n === size ? zeros : zeros.subarray(0, n))
  }
}

/**
 * Waits for the stream's next 'drain'. (`Stream.onDrain()` of @libp2p/utils 7.4.1
 * keeps its first promise: after one drain it resolves at once, and a writer
 * relying on it queues everything in memory.)
 */
async function drained (stream: Stream): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const cleanup = (): void => {
      stream.removeEventListener('drain', onDrain)
      stream.removeEventListener('close', onClose)
    }
    const onDrain = (): void => { cleanup(); resolve() }
    const onClose = (evt: Event & { error?: Error }): void => { cleanup(); reject(evt.error ?? new Error('stream closed while writing')) }
    stream.addEventListener('drain', onDrain)
    stream.addEventListener('close', onClose)
  })
}

/** Sends the chunks with backpressure, then closes the writable end; returns the sha256. */
export async function sendAll (stream: Stream, data: Iterable<Uint8Array>): Promise<string> {
  const hash = createHash('sha256')
  for (const chunk of data) {
    hash.update(chunk)
    if (!stream.send(chunk)) await drained(stream)
  }
  await stream.close()
  return hash.digest('hex')
}

/** Reads a stream to its end; returns the sha256 and the byte count. */
export async function receiveAll (stream: Stream): Promise<{ sha256: string, bytes: number }> {
  const hash = createHash('sha256')
  let bytes = 0
  for await (const chunk of stream) {
    // a Uint8ArrayList is hashed buffer by buffer, without joining it
    for (const buf of chunk instanceof Uint8Array ? [chunk] : chunk) {
      hash.update(buf)
      bytes += buf.byteLength
    }
  }
  return { sha256: hash.digest('hex'), bytes }
}

export interface TransferResult {
  seconds: number
  bytes: number
  sent: string
  received: string
  /** Largest `process.memoryUsage().arrayBuffers` seen during the transfer. */
  peakArrayBuffers: number
}

/**
 * Moves `data` from `from` to `to` over a new stream of TRANSFER_PROTOCOL and returns
 * both hashes and the time taken (dial excluded).
 */
export async function transfer (from: ClusterHost, to: ClusterHost, data: Iterable<Uint8Array>): Promise<TransferResult> {
  let handled!: (stream: Stream) => void
  const incoming = new Promise<Stream>((resolve) => { handled = resolve })
  await to.libp2p.handle(TRANSFER_PROTOCOL, handled, { force: true })
  const received = incoming.then(async (stream) => {
    const got = await receiveAll(stream)
    await stream.close()
    return got
  })
  await from.libp2p.dial(to.addresses()[0])
  const stream = await from.libp2p.dialProtocol(to.peerId, TRANSFER_PROTOCOL)
  let peakArrayBuffers = process.memoryUsage().arrayBuffers
  const sampler = setInterval(() => { peakArrayBuffers = Math.max(peakArrayBuffers, process.memoryUsage().arrayBuffers) }, 20)
  const started = performance.now()
  try {
    const [sent, got] = await Promise.all([sendAll(stream, data), received])
    const seconds = (performance.now() - started) / 1000
    return { seconds, bytes: got.bytes, sent, received: got.sha256, peakArrayBuffers }
  } finally {
    clearInterval(sampler)
  }
}

export function rate (r: TransferResult): string {
  const bps = r.bytes / r.seconds
  return `${(r.bytes / 2 ** 20).toFixed(0)} MiB in ${r.seconds.toFixed(2)} s: ${(bps / 2 ** 20).toFixed(1)} MiB/s (${Math.round(bps)} bytes/s), buffers peak ${(r.peakArrayBuffers / 2 ** 20).toFixed(0)} MiB`
}
