import { Webhook } from 'standardwebhooks'
import { describe, expect, it } from 'vitest'
import { rawRequest, statusOf } from '../helpers/raw-http'
import { engineEachTest, onlyDelivery as only } from '../helpers/test-engine'

/**
 * Byte fidelity of capture (issue 10, items 4-6): every header line, header values as the bytes
 * sent, chunked trailers, and CONNECT. Real sockets, real engine, raw bytes on the wire.
 */

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'
const PASSPHRASE = 'correct horse battery staple'

const engines = engineEachTest()

/** A request head as bytes: header values given as Buffers go on the wire exactly as they are. */
function head(requestLine: string, headers: [string, string | Buffer][]): Buffer {
  const parts: Buffer[] = [Buffer.from(`${requestLine}\r\n`)]
  for (const [name, value] of headers) parts.push(Buffer.from(`${name}: `), Buffer.from(value), Buffer.from('\r\n'))
  parts.push(Buffer.from('\r\n'))
  return Buffer.concat(parts)
}

function signed(id: string | Buffer, body: string) {
  const at = new Date()
  // The official library signs the id as UTF-8 text, as a sender would.
  const signature = new Webhook(SECRET).sign(Buffer.isBuffer(id) ? id.toString('utf8') : id, at, body)
  return { id, timestamp: String(Math.floor(at.getTime() / 1000)), signature }
}

describe('every header line is kept', () => {
  it('stores 1,100 filler headers and the signature header after them, and verifies it', async () => {
    const hook = await engines.start({ passphrase: PASSPHRASE })
    await hook.client.invoke('keys.create', { name: 'Orders', scheme: 'standard-webhooks', material: { secret: SECRET } })
    const body = '{"type":"order.created"}'
    const sig = signed('msg_many_headers', body)
    const filler = Array.from({ length: 1100 }, (_, i): [string, string] => [`X-Filler-${i}`, String(i)])
    const request = head('POST /many HTTP/1.1', [
      ['Host', 'example.test'],
      ...filler,
      ['webhook-id', sig.id as string],
      ['webhook-timestamp', sig.timestamp],
      ['webhook-signature', sig.signature],
      ['Content-Type', 'application/json'],
      ['Content-Length', String(body.length)],
      ['Connection', 'close']
    ])
    const { response } = await rawRequest(hook.port, [request, body])
    expect(statusOf(response)).toBe(200)
    const delivery = await only(hook)
    expect(delivery.headers).toHaveLength(1 + 1100 + 6)
    expect(delivery.headers.at(-4)).toEqual(['webhook-signature', sig.signature])
    expect(delivery.truncated).toBe(false)
    expect(delivery.verdict).toEqual({ status: 'valid', scheme: 'standard-webhooks', code: null })
  })
})

describe('header values are the bytes that were sent', () => {
  it('shows a UTF-8 value as text, verifies a signature over it, and exports it as text', async () => {
    const hook = await engines.start({ passphrase: PASSPHRASE })
    await hook.client.invoke('keys.create', { name: 'Orders', scheme: 'standard-webhooks', material: { secret: SECRET } })
    const body = '{"name":"café"}'
    const id = Buffer.from('msg_café_☕', 'utf8')
    const sig = signed(id, body)
    const request = head('POST /utf8 HTTP/1.1', [
      ['Host', 'example.test'],
      ['X-Customer', Buffer.from('Zoë Ångström', 'utf8')],
      ['X-Legacy', Buffer.from([0x63, 0x61, 0x66, 0xe9])], // "café" in Latin-1: not UTF-8
      ['webhook-id', id],
      ['webhook-timestamp', sig.timestamp],
      ['webhook-signature', sig.signature],
      ['Content-Length', String(Buffer.byteLength(body))],
      ['Connection', 'close']
    ])
    const { response } = await rawRequest(hook.port, [request, body])
    expect(statusOf(response)).toBe(200)
    const delivery = await only(hook)
    expect(delivery.headers[1]).toEqual(['X-Customer', 'Zoë Ångström'])
    expect(delivery.headers[2]).toEqual(['X-Legacy', 'caf\u00e9'])
    expect(delivery.headers[3]).toEqual(['webhook-id', 'msg_café_☕'])
    // Only the value that is not UTF-8 is marked; its characters are its bytes.
    expect(delivery.latin1Headers).toEqual([2])
    expect(Buffer.from(delivery.headers[2]![1], 'latin1')).toEqual(Buffer.from([0x63, 0x61, 0x66, 0xe9]))
    // The signature covers the id's bytes as sent.
    expect(delivery.verdict).toEqual({ status: 'valid', scheme: 'standard-webhooks', code: null })
  })
})

describe('chunked trailers', () => {
  it('stores the trailer fields after a chunked body, in order and case', async () => {
    const hook = await engines.start()
    const parts = [
      'POST /trailers HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nTrailer: X-Checksum, X-Count\r\nConnection: close\r\n\r\n',
      '5\r\nhello\r\n',
      '0\r\nX-Checksum: sha256=abc\r\nx-count: 1\r\n\r\n'
    ]
    const { response } = await rawRequest(hook.port, parts)
    expect(statusOf(response)).toBe(200)
    const delivery = await only(hook)
    expect(Buffer.from(delivery.bodyBase64, 'base64').toString()).toBe('hello')
    expect(delivery.trailers).toEqual([
      ['X-Checksum', 'sha256=abc'],
      ['x-count', '1']
    ])
    expect(delivery.latin1Trailers).toEqual([])
  })

  it('has no trailers for an ordinary body', async () => {
    const hook = await engines.start()
    await fetch(hook.url, { method: 'POST', body: 'x' })
    expect((await only(hook)).trailers).toEqual([])
  })
})

describe('CONNECT', () => {
  it('is answered 405 and recorded, and the listener keeps serving', async () => {
    const hook = await engines.start()
    const { response } = await rawRequest(hook.port, ['CONNECT example.test:443 HTTP/1.1\r\nHost: example.test:443\r\nProxy-Authorization: Basic eA==\r\n\r\n'])
    expect(statusOf(response)).toBe(405)
    expect(response).toMatch(/\r\nAllow: [A-Z, ]*POST/)
    const delivery = await only(hook)
    expect(delivery).toMatchObject({ method: 'CONNECT', url: 'example.test:443', responseStatus: 405, bodySize: 0 })
    expect(delivery.headers).toContainEqual(['Proxy-Authorization', 'Basic eA=='])
    expect(JSON.parse(Buffer.from(delivery.response.bodyBase64, 'base64').toString())).toMatchObject({ id: delivery.id })
    expect((await fetch(hook.url, { method: 'POST', body: 'after' })).status).toBe(200)
  })
})

describe('the answer is stored with its delivery', () => {
  it('keeps the status, headers and body the sender got', async () => {
    const hook = await engines.start({
      endpoint: { response: { status: 202, headers: [['X-Hook', 'seen']], body: 'thanks' } }
    })
    const res = await fetch(hook.url, { method: 'POST', body: 'x' })
    expect(res.status).toBe(202)
    const delivery = await only(hook)
    expect(delivery.responseStatus).toBe(202)
    expect(delivery.response).toEqual({ headers: [['X-Hook', 'seen']], bodyBase64: Buffer.from('thanks').toString('base64'), bodyTruncated: false })
  })
})
