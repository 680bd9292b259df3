import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createHash, randomBytes } from 'node:crypto'
import { xsalsa20 } from '@noble/ciphers/salsa.js'
import { multiaddrConnectionPair } from '@libp2p/utils'
import { preSharedKey } from '../../src/host/pnet/index.js'
import { MAX_CHUNK } from '../../src/host/pnet/connection.js'
import type { MessageStream } from '@libp2p/interface'

const PSK = new Uint8Array(32).fill(9)

function protector (psk = PSK): ReturnType<ReturnType<typeof preSharedKey>> {
  return preSharedKey({ psk })()
}

/** Collects what arrives on `stream`. */
function collect (stream: MessageStream): { bytes: () => Uint8Array } {
  const parts: Uint8Array[] = []
  stream.addEventListener('message', (evt) => {
    parts.push(evt.data instanceof Uint8Array ? evt.data : evt.data.subarray())
  })
  return { bytes: () => Buffer.concat(parts) }
}

async function until (check: () => boolean, ms = 5_000): Promise<void> {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time')
    await new Promise((resolve) => setTimeout(resolve, 2))
  }
}

describe('private network protector', () => {
  it('speaks PSK v1: a 24-byte nonce, then XSalsa20 of the key and that nonce', async () => {
    const [outbound, inbound] = multiaddrConnectionPair()
    // the inbound side is driven by hand, with noble's one-shot cipher
    const wire = collect(inbound)
    const ours = await protector().protect(outbound)
    const got = collect(ours)

    const message = randomBytes(100_000)
    ours.send(message)
    await until(() => wire.bytes().byteLength === 24 + message.byteLength)
    const received = wire.bytes()
    const ourNonce = received.subarray(0, 24)
    assert.deepEqual(Buffer.from(xsalsa20(PSK, ourNonce, received.subarray(24))), Buffer.from(message))

    // the peer's nonce may come in pieces, and with the first data
    const theirNonce = randomBytes(24)
    const reply = randomBytes(70_000)
    const cipher = xsalsa20(PSK, theirNonce, reply)
    inbound.send(theirNonce.subarray(0, 10))
    inbound.send(Buffer.concat([theirNonce.subarray(10), cipher.subarray(0, 1000)]))
    inbound.send(cipher.subarray(1000))
    await until(() => got.bytes().byteLength === reply.byteLength)
    assert.deepEqual(got.bytes(), Buffer.from(reply))
  })

  it('sends one large write in bounded pieces, with backpressure, intact', async () => {
    const [outbound, inbound] = multiaddrConnectionPair({ capacity: 4 })
    // what the protected side hands to the raw connection, write by write
    const sizes: number[] = []
    const rawSend = outbound.send.bind(outbound)
    outbound.send = (data) => {
      sizes.push(data.byteLength)
      return rawSend(data)
    }
    const [a, b] = await Promise.all([protector().protect(outbound), protector().protect(inbound)])
    const data = randomBytes(20 * 1024 * 1024)
    const hash = createHash('sha256')
    let bytes = 0
    const done = new Promise<void>((resolve) => {
      b.addEventListener('message', (evt) => {
        for (const buf of evt.data instanceof Uint8Array ? [evt.data] : evt.data) {
          hash.update(buf)
          bytes += buf.byteLength
        }
        if (bytes === data.byteLength) resolve()
      })
    })
    const accepted = a.send(data)
    assert.equal(accepted, false, 'a write larger than the queue asks the writer to wait')
    await done
    assert.equal(hash.digest('hex'), createHash('sha256').update(data).digest('hex'))
    assert.ok(Math.max(...sizes) <= MAX_CHUNK, `largest write to the raw connection: ${Math.max(...sizes)}`)
  })

  it('ends without data when the peer closes before its nonce is complete', async () => {
    const [outbound, inbound] = multiaddrConnectionPair()
    const ours = await protector().protect(outbound)
    const got = collect(ours)
    const closed = new Promise((resolve) => { ours.addEventListener('close', resolve) })
    inbound.send(randomBytes(10))
    await inbound.close()
    await closed
    assert.equal(got.bytes().byteLength, 0)
  })

  it('refuses to protect a connection that is already closed', async () => {
    const [outbound] = multiaddrConnectionPair()
    outbound.abort(new Error('gone'))
    await assert.rejects(protector().protect(outbound), { name: 'PnetHandshakeError' })
  })

  it('refuses a key that is not 32 bytes', () => {
    assert.throws(() => preSharedKey({ psk: new Uint8Array(31) }), { name: 'InvalidPreSharedKeyError' })
  })
})
