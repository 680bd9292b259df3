/**
 * A connection whose bytes are XORed with XSalsa20 in each direction. It sends its
 * nonce at once and takes the peer's from the first 24 bytes received, as Go's
 * pnet does, so neither side waits for the other before writing. It streams:
 * writes are taken in pieces of at most MAX_CHUNK bytes, each encrypted into its
 * own buffer and handed to the raw connection, whose backpressure ('drain') pauses
 * the queue; reads are decrypted as they arrive and pausing is passed down.
 */
import { AbstractMultiaddrConnection } from '@libp2p/utils'
import { NONCE_BYTES, XSalsa20Stream } from './keystream.js'
import type { SendResult } from '@libp2p/utils'
import type { AbortOptions, Logger, MessageStream, MultiaddrConnection, StreamCloseEvent, StreamMessageEvent } from '@libp2p/interface'

/** Largest piece encrypted or decrypted at once: bounds the memory a write costs. */
export const MAX_CHUNK = 64 * 1024

/** The list type libp2p streams carry besides Uint8Array (a Uint8ArrayList). */
type ByteList = Exclude<Parameters<MessageStream['send']>[0], Uint8Array>

export interface ProtectedConnectionInit {
  /** The transport's connection, nothing sent or read on it yet. */
  raw: MessageStream
  psk: Uint8Array
  /** Our 24 random bytes. */
  localNonce: Uint8Array
  log: Logger
}

export class ProtectedConnection extends AbstractMultiaddrConnection {
  private readonly raw: MessageStream
  private readonly psk: Uint8Array
  private readonly outbound: XSalsa20Stream
  /** Created once the peer's nonce is in. */
  private inbound?: XSalsa20Stream
  /** The part of the peer's nonce received so far. */
  private nonce = new Uint8Array(0)

  constructor (init: ProtectedConnectionInit) {
    const raw = init.raw
    super({
      log: init.log,
      direction: raw.direction,
      // a MessageStream handed to a protector is the transport's MultiaddrConnection
      remoteAddr: (raw as MultiaddrConnection).remoteAddr,
      maxReadBufferLength: raw.maxReadBufferLength,
      maxMessageSize: MAX_CHUNK
    })
    this.raw = raw
    this.psk = init.psk
    // each side encrypts with its own nonce, sent ahead of everything else
    this.outbound = new XSalsa20Stream(init.psk, init.localNonce)
    raw.send(init.localNonce)

    raw.addEventListener('message', (evt: StreamMessageEvent) => {
      this.receive(evt.data)
    })
    raw.addEventListener('drain', () => {
      this.onMuxerDrain()
    })
    raw.addEventListener('remoteCloseWrite', () => {
      this.onRemoteCloseWrite()
    })
    raw.addEventListener('close', (evt: StreamCloseEvent) => {
      if (evt.error == null) {
        this.onTransportClosed()
      } else if (evt.local === true) {
        this.abort(evt.error)
      } else {
        this.onRemoteReset()
      }
    })
  }

  private receive (data: Uint8Array | ByteList): void {
    let parts: Iterable<Uint8Array> = data instanceof Uint8Array ? [data] : data
    let length = data.byteLength
    if (this.inbound == null) {
      const joined = Buffer.concat([this.nonce, ...parts])
      if (joined.byteLength < NONCE_BYTES) {
        this.nonce = joined
        return
      }
      this.inbound = new XSalsa20Stream(this.psk, joined.subarray(0, NONCE_BYTES))
      this.nonce = new Uint8Array(0)
      parts = [joined.subarray(NONCE_BYTES)]
      length = joined.byteLength - NONCE_BYTES
      if (length === 0) return
    }
    if (length <= MAX_CHUNK) {
      this.onData(this.inbound.xor(parts, length))
      return
    }
    // a backlog released by resume: decrypt it piecewise rather than in one buffer
    for (const part of parts) {
      for (let at = 0; at < part.byteLength; at += MAX_CHUNK) {
        const piece = part.subarray(at, at + MAX_CHUNK)
        this.onData(this.inbound.xor([piece], piece.byteLength))
      }
    }
  }

  /** Called by the send queue with at most MAX_CHUNK bytes. */
  sendData (data: ByteList): SendResult {
    const cipher = this.outbound.xor(data, data.byteLength)
    return { sentBytes: data.byteLength, canSendMore: this.raw.send(cipher) }
  }

  async sendClose (options?: AbortOptions): Promise<void> {
    await this.raw.close(options)
  }

  sendReset (err: Error): void {
    this.raw.abort(err)
  }

  sendPause (): void {
    this.raw.pause()
  }

  sendResume (): void {
    this.raw.resume()
  }
}
