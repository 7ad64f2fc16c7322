import { Agent, request } from 'node:http'
import { brotliCompressSync, gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { MAX_DECODED_BODY_BYTES } from '../../shared/api/contract'
import { requestHead, sendToCapture } from '../helpers/capture-send'
import { rawRequest, statusOf } from '../helpers/raw-http'
import { engineEachTest, onlyDelivery as only } from '../helpers/test-engine'

const engines = engineEachTest()

describe('capture', () => {
  it('keeps a body with all 256 byte values exactly', async () => {
    const hook = await engines.start()
    const body = Buffer.alloc(256 * 4)
    for (let i = 0; i < body.length; i++) body[i] = i % 256
    const res = await fetch(hook.url + 'bin', { method: 'PUT', body, headers: { 'Content-Type': 'application/octet-stream' } })
    expect(res.status).toBe(200)
    const { id } = (await res.json()) as { id: string }
    const delivery = await hook.client.invoke('deliveries.get', { id })
    expect(Buffer.from(delivery.bodyBase64, 'base64').equals(body)).toBe(true)
    expect(delivery).toMatchObject({ method: 'PUT', url: '/bin', bodySize: 1024, truncated: false, httpVersion: '1.1' })
  })

  it('keeps header case, order and duplicates, and the raw request target', async () => {
    const hook = await engines.start()
    const head =
      'POST /hooks/a%20b?x=1&x=2&empty= HTTP/1.1\r\nHost: example.test\r\nX-B: 2\r\nx-a: 1\r\n' +
      'X-Dup: one\r\nx-dup: two\r\nX-Weird:   spaced value\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello'
    const { response } = await rawRequest(hook.port, [head])
    expect(statusOf(response)).toBe(200)
    const delivery = await only(hook)
    expect(delivery.url).toBe('/hooks/a%20b?x=1&x=2&empty=')
    expect(delivery.headers).toEqual([
      ['Host', 'example.test'],
      ['X-B', '2'],
      ['x-a', '1'],
      ['X-Dup', 'one'],
      ['x-dup', 'two'],
      ['X-Weird', 'spaced value'],
      ['Content-Length', '5'],
      ['Connection', 'close']
    ])
    expect(Buffer.from(delivery.bodyBase64, 'base64').toString()).toBe('hello')
  })

  it('reassembles chunked bodies, whatever the chunk boundaries', async () => {
    const hook = await engines.start()
    const parts = [
      'POST /chunked HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n',
      '5\r\nhello\r\n',
      '1\r\n \r\n6\r\nw',
      'orld!\r\n',
      '0\r\n\r\n'
    ]
    const { response } = await rawRequest(hook.port, parts, { gapMs: 20 })
    expect(statusOf(response)).toBe(200)
    const delivery = await only(hook)
    expect(Buffer.from(delivery.bodyBase64, 'base64').toString()).toBe('hello world!')
    expect(delivery.bodySize).toBe(12)
  })

  it('answers 413 past the body limit and still records the first bytes, marked truncated', async () => {
    const hook = await engines.start({ endpoint: { maxBodyBytes: 1000 } })
    const body = Buffer.alloc(5000, 'a')
    body.write('HEAD', 0)
    const res = await fetch(hook.url + 'big', { method: 'POST', body })
    expect(res.status).toBe(413)
    const answer = (await res.json()) as { id: string }
    const delivery = await hook.client.invoke('deliveries.get', { id: answer.id })
    const stored = Buffer.from(delivery.bodyBase64, 'base64')
    expect(stored.length).toBe(1000)
    expect(stored.equals(body.subarray(0, 1000))).toBe(true)
    expect(delivery).toMatchObject({ truncated: true, bodySize: 5000, responseStatus: 413 })
  })

  it('answers with the configured response; framing headers stay ours', async () => {
    const hook = await engines.start({
      endpoint: {
        response: {
          status: 202,
          headers: [
            ['X-Reply', 'yes'],
            ['Content-Length', '999'],
            ['Content-Type', 'text/plain']
          ],
          body: 'accepted'
        }
      }
    })
    const res = await fetch(hook.url, { method: 'POST', body: 'x' })
    expect(res.status).toBe(202)
    expect(res.headers.get('x-reply')).toBe('yes')
    expect(res.headers.get('content-length')).toBe('8')
    expect(await res.text()).toBe('accepted')
  })

  it('cuts off a client that never finishes its request head, with a 408', async () => {
    const hook = await engines.start({
      timeouts: { headersMs: 300, requestMs: 600, checkIntervalMs: 100 }
    })
    const { response, closedAfterMs } = await rawRequest(hook.port, ['POST /slow HTTP/1.1\r\nHost: h\r\n'], {
      timeoutMs: 5000
    })
    expect(statusOf(response)).toBe(408)
    expect(closedAfterMs).toBeGreaterThanOrEqual(250)
    expect((await hook.client.invoke('deliveries.list', {})).items).toHaveLength(0)
  })

  it('cuts off a client that trickles its body past the request timeout', async () => {
    const hook = await engines.start({
      timeouts: { headersMs: 300, requestMs: 600, checkIntervalMs: 100 }
    })
    const head = 'POST /trickle HTTP/1.1\r\nHost: h\r\nContent-Length: 100\r\n\r\n'
    const trickle = Array.from({ length: 40 }, () => 'x')
    const { response } = await rawRequest(hook.port, [head, ...trickle], { gapMs: 50, timeoutMs: 5000 })
    expect(statusOf(response)).toBe(408)
  })

  it('answers a client that half-closes right after its body', async () => {
    const hook = await engines.start()
    const request = 'POST /half HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello'
    const { response } = await rawRequest(hook.port, [request], { halfClose: true })
    expect(statusOf(response)).toBe(200)
    expect(response).toMatch(/"id":"[0-9a-z]{26}"/)
    expect((await hook.client.invoke('deliveries.list', {})).items.map((d) => d.url)).toEqual(['/half'])
  })

  it('survives malformed HTTP and keeps serving', async () => {
    const hook = await engines.start()
    const garbage = await rawRequest(hook.port, ['HELLO THERE\r\n\r\n'])
    expect(statusOf(garbage.response)).toBe(400)
    const badLength = await rawRequest(hook.port, ['POST / HTTP/1.1\r\nHost: h\r\nContent-Length: abc\r\n\r\n'])
    expect(statusOf(badLength.response)).toBe(400)
    const both = await rawRequest(hook.port, ['POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'])
    expect(statusOf(both.response)).toBe(400)
    const res = await fetch(hook.url + 'after', { method: 'POST', body: 'ok' })
    expect(res.status).toBe(200)
    expect((await hook.client.invoke('deliveries.list', {})).items.map((d) => d.url)).toEqual(['/after'])
  })

  it('stores every one of 2,000 concurrent requests', async () => {
    const hook = await engines.start()
    const agent = new Agent({ keepAlive: true, maxSockets: 256 })
    const port = hook.port
    const send = (n: number) =>
      new Promise<{ status: number; id: string }>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, method: 'POST', path: `/load/${n}`, agent }, (res) => {
          const chunks: Buffer[] = []
          res.on('data', (c: Buffer) => chunks.push(c))
          res.on('end', () => resolve({ status: res.statusCode ?? 0, id: JSON.parse(Buffer.concat(chunks).toString()).id }))
        })
        req.on('error', reject)
        req.end(`body-${n}`)
      })
    const results = await Promise.all(Array.from({ length: 2000 }, (_, n) => send(n)))
    agent.destroy()
    expect(results.every((r) => r.status === 200)).toBe(true)
    const ids = new Set(results.map((r) => r.id))
    expect(ids.size).toBe(2000)
    const stored = new Set<string>()
    let cursor: string | undefined
    for (let page = 0; page < 10; page++) {
      const { items, nextCursor } = await hook.client.invoke('deliveries.list', { limit: 1000, cursor })
      for (const item of items) stored.add(item.id)
      if (!nextCursor) break
      cursor = nextCursor
    }
    expect(stored).toEqual(ids)
  })

  it('keeps deliveries and endpoints across a restart', async () => {
    let hook = await engines.start({ endpoint: { name: 'Kept', maxBodyBytes: 4096 } })
    const sent = ['one', 'two', 'three']
    for (const body of sent) expect((await fetch(hook.url, { method: 'POST', body })).status).toBe(200)
    await hook.stop()
    hook = await engines.start()
    const endpoints = await hook.client.invoke('endpoints.list', {})
    expect(endpoints.find((e) => e.id === 'test')).toMatchObject({ name: 'Kept', maxBodyBytes: 4096 })
    const { items } = await hook.client.invoke('deliveries.list', {})
    const bodies = await Promise.all(items.map((i) => hook.client.invoke('deliveries.get', { id: i.id })))
    expect(bodies.map((d) => Buffer.from(d.bodyBase64, 'base64').toString())).toEqual([...sent].reverse())
  })

  it('refuses a second engine on the same data folder, and allows it after the first stops', async () => {
    let hook = await engines.start()
    await expect(engines.start()).rejects.toMatchObject({ code: 'STORE_LOCKED' })
    await hook.stop()
    hook = await engines.start()
    expect(hook.endpoint.state.status).toBe('listening')
  })

  it('announces each committed delivery as an event', async () => {
    const hook = await engines.start()
    const res = await fetch(hook.url + 'evt', { method: 'POST', body: 'x' })
    const { id } = (await res.json()) as { id: string }
    const added = hook.events.filter((e) => e.type === 'delivery.added')
    expect(added).toHaveLength(1)
    expect(added[0]).toMatchObject({ delivery: { id, url: '/evt', method: 'POST' } })
    expect(added[0]).not.toHaveProperty('delivery.bodyBase64')
  })
})

describe('retention', () => {
  it('evicts the oldest deliveries past the limit and announces them', async () => {
    const hook = await engines.start({ retention: { maxDeliveries: 3 } })
    const ids: string[] = []
    for (let i = 0; i < 5; i++) {
      const res = await fetch(hook.url + `r${i}`, { method: 'POST', body: String(i) })
      ids.push(((await res.json()) as { id: string }).id)
    }
    const { items } = await hook.client.invoke('deliveries.list', {})
    expect(items.map((d) => d.id)).toEqual(ids.slice(2).reverse())
    const removed = hook.events.flatMap((e) => (e.type === 'deliveries.removed' ? e.ids : []))
    expect(removed).toEqual(ids.slice(0, 2))
  })
})

async function send(headers: Array<[string, string]>, body: Buffer): Promise<string> {
  const { port } = engines.last
  return sendToCapture(port, requestHead(port, '/encoded', headers, body.length), body)
}

describe('deliveries.decodedBody', () => {
  it('undoes gzip and br of a captured delivery, says why for others, and caps a bomb', async () => {
    const hook = await engines.start({ endpoint: { maxBodyBytes: 1024 * 1024 } })
    const json = Buffer.from(JSON.stringify({ type: 'invoice.paid', note: 'stored encoded, shown decoded' }))
    const gz = await send(
      [
        ['Content-Type', 'application/json'],
        ['Content-Encoding', 'gzip']
      ],
      gzipSync(json)
    )
    const br = await send([['Content-Encoding', 'br']], brotliCompressSync(json))
    const plain = await send([], json)
    const zstd = await send([['Content-Encoding', 'zstd']], json)
    const bomb = await send([['Content-Encoding', 'gzip']], gzipSync(Buffer.alloc(MAX_DECODED_BODY_BYTES + 1024 * 1024)))

    for (const id of [gz, br]) {
      const decoded = await hook.client.invoke('deliveries.decodedBody', { id })
      expect(decoded).toMatchObject({ ok: true, capped: false, incomplete: false })
      expect(decoded.ok && Buffer.from(decoded.bodyBase64, 'base64').equals(json)).toBe(true)
    }
    // The stored body stays as received.
    expect(Buffer.from((await hook.client.invoke('deliveries.get', { id: gz })).bodyBase64, 'base64').equals(gzipSync(json))).toBe(true)

    expect(await hook.client.invoke('deliveries.decodedBody', { id: plain })).toEqual({
      ok: false,
      codings: [],
      reason: 'the delivery has no Content-Encoding'
    })
    expect(await hook.client.invoke('deliveries.decodedBody', { id: zstd })).toMatchObject({ ok: false, codings: ['zstd'] })
    const capped = await hook.client.invoke('deliveries.decodedBody', { id: bomb })
    expect(capped).toMatchObject({ ok: true, capped: true })
    expect(capped.ok && Buffer.from(capped.bodyBase64, 'base64').length).toBe(MAX_DECODED_BODY_BYTES)
    await expect(hook.client.invoke('deliveries.decodedBody', { id: 'nope' })).rejects.toMatchObject({ code: 'NOT_FOUND' })
  })
})
