import { randomBytes } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { storeUnavailable } from '../../electron/engine/capture/render-response'
import { decodeFrame, TUNNEL_PROTOCOL } from '../../electron/engine/tunnel/tunnel-frames'
import { rawRequest, statusOf } from '../helpers/raw-http'
import { cleanupList, FakeIngress, httpRequest, linkStoppedBy, queuedAtConnect, startTestRelay, type TestRelay } from '../helpers/relay'

/**
 * The relay server and the tunnel client together, in process, over real sockets on loopback; the
 * capture pipeline is a stand-in that records what it is handed (the end-to-end test through the
 * real engine is in tunnel-e2e.test.ts).
 */
const cleanups = cleanupList()
afterEach(async () => {
  await cleanups.run()
})

async function relay(options: Parameters<typeof startTestRelay>[0] = {}): Promise<TestRelay> {
  const started = await startTestRelay(options)
  cleanups.add(() => started.stop())
  return started
}

const link = linkStoppedBy(cleanups)

describe('relay server and tunnel client', () => {
  it('carries a request byte-exact to the client and the client answer byte-exact back, duplicate headers included', async () => {
    const server = await relay()
    const channel = await server.createChannel()
    const ingress = new FakeIngress(() => ({
      status: 207,
      headers: [
        ['X-Dup', 'one'],
        ['x-dup', 'two'],
        ['Set-Cookie', 'a=1'],
        ['Set-Cookie', 'b=2'],
        ['X-Bytes', 'caf\xe9']
      ],
      body: Buffer.from([0, 1, 2, 255, 254, 13, 10])
    }))
    const tunnel = link(channel, ingress)
    await tunnel.waitForHealth((state) => state.status === 'connected')

    const body = randomBytes(4096)
    const head =
      `POST /c/${channel.id}/stripe/events?x=1&y=%20 HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Signature: abc\r\nx-signature: def\r\n` +
      `X-Latin1: caf\xe9\r\nContent-Type: application/octet-stream\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`
    const port = Number(new URL(server.server.url).port)
    const { response } = await rawRequest(port, [Buffer.from(head, 'latin1'), body], { timeoutMs: 15_000 })

    expect(ingress.received).toHaveLength(1)
    const got = ingress.received[0]!
    expect(got.method).toBe('POST')
    expect(got.url).toBe('/stripe/events?x=1&y=%20')
    expect(got.headers).toEqual([
      ['Host', '127.0.0.1'],
      ['X-Signature', 'abc'],
      ['x-signature', 'def'],
      ['X-Latin1', 'caf\xe9'],
      ['Content-Type', 'application/octet-stream'],
      ['Content-Length', String(body.length)],
      ['Connection', 'close']
    ])
    expect(got.body.equals(body)).toBe(true)
    expect(got.bodySize).toBe(body.length)
    expect(got.truncated).toBe(false)
    expect(got.source).toMatchObject({
      kind: 'tunnel',
      provider: 'hookscope',
      reserialized: false,
      publicUrl: `${server.server.url}/c/${channel.id}/stripe/events?x=1&y=%20`
    })
    expect(got.remoteAddress).toBe('127.0.0.1')

    expect(statusOf(response)).toBe(207)
    const [headText, answerBody] = splitResponse(Buffer.from(response, 'latin1'))
    expect(headText).toContain('\r\nX-Dup: one\r\nx-dup: two\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\nX-Bytes: caf\xe9\r\n')
    expect(answerBody.equals(Buffer.from([0, 1, 2, 255, 254, 13, 10]))).toBe(true)
    expect(server.lines.at(-1)).toMatch(/ POST \/c\/\w{6}…\/stripe\/events  4\.0 KiB  207  live  /)
    // The query is left out of the log line: it often carries tokens.
    expect(server.lines.join('\n')).not.toContain('x=1')
  })

  it('moves a 30 MiB binary body both ways in chunks, unchanged', async () => {
    const server = await relay({ maxBodyBytes: 40 * 1024 * 1024 })
    const channel = await server.createChannel()
    const big = randomBytes(30 * 1024 * 1024)
    const ingress = new FakeIngress((request) => ({
      status: 200,
      headers: [['Content-Type', 'application/octet-stream']],
      body: Buffer.from(request.body).reverse()
    }))
    const tunnel = link(channel, ingress)
    await tunnel.waitForHealth((state) => state.status === 'connected')

    const answer = await httpRequest(`${channel.url}/upload`, { body: big, headers: [['Content-Type', 'application/octet-stream']], timeoutMs: 60_000 })
    expect(answer.status).toBe(200)
    expect(ingress.received[0]!.body.equals(big)).toBe(true)
    expect(answer.body.equals(Buffer.from(big).reverse())).toBe(true)
  }, 120_000)

  it('queues while no client is connected, answers 202 with the position, then delivers in order exactly once', async () => {
    const server = await relay()
    const channel = await server.createChannel()
    const answers = []
    for (let i = 0; i < 5; i++) answers.push(await httpRequest(`${channel.url}/n/${i}`, { body: Buffer.from(`body ${i}`) }))
    expect(answers.map((answer) => answer.status)).toEqual([202, 202, 202, 202, 202])
    expect(answers.map((answer) => JSON.parse(answer.body.toString()).position)).toEqual([1, 2, 3, 4, 5])
    expect(answers[2]!.headers).toContainEqual(['Hookscope-Queue-Position', '3'])

    const ingress = new FakeIngress()
    const tunnel = link(channel, ingress)
    const connected = await tunnel.waitForHealth((state) => state.status === 'connected')
    expect(connected.queue.atConnect).toBe(5)
    await ingress.waitFor(5)
    expect(ingress.received.map((request) => request.url)).toEqual(['/n/0', '/n/1', '/n/2', '/n/3', '/n/4'])
    expect(ingress.received.map((request) => request.body.toString())).toEqual(['body 0', 'body 1', 'body 2', 'body 3', 'body 4'])
    const drained = await tunnel.waitForHealth((state) => state.queue.drainedAt !== null)
    expect(drained.queue.delivered).toBe(5)
    // Acknowledged: a new connection gets nothing again.
    await tunnel.link.stop()
    const again = new FakeIngress()
    const second = link(channel, again)
    const reconnected = await second.waitForHealth((state) => state.status === 'connected')
    expect(reconnected.queue.atConnect).toBe(0)
    expect((await httpRequest(`${channel.url}/after`, { body: Buffer.from('x') })).status).toBe(200)
    expect(again.received.map((request) => request.url)).toEqual(['/after'])
  })

  it('answers with the channel’s own offline answer when one was configured', async () => {
    const server = await relay()
    const channel = await server.createChannel({ offlineAnswer: { status: 200, headers: [['X-Queued', 'yes']], body: 'ok {position} {id}' } })
    const answer = await httpRequest(channel.url, { body: Buffer.from('x') })
    expect(answer.status).toBe(200)
    expect(answer.headers).toContainEqual(['X-Queued', 'yes'])
    expect(answer.body.toString()).toMatch(/^ok 1 [0-9a-z]{16}$/)
  })

  it('refuses full queues with 503 and drops entries past their TTL', async () => {
    const server = await relay({ queue: { maxCount: 2, maxBytes: 1024 * 1024, ttlMs: 60_000 } })
    const channel = await server.createChannel()
    expect((await httpRequest(channel.url, { body: Buffer.from('1') })).status).toBe(202)
    expect((await httpRequest(channel.url, { body: Buffer.from('2') })).status).toBe(202)
    const full = await httpRequest(channel.url, { body: Buffer.from('3') })
    expect(full.status).toBe(503)
    expect(full.headers).toContainEqual(['Retry-After', '60'])

    const bytes = await relay({ queue: { maxCount: 100, maxBytes: 10, ttlMs: 60_000 } })
    const small = await bytes.createChannel()
    expect((await httpRequest(small.url, { body: Buffer.from('123456') })).status).toBe(202)
    expect((await httpRequest(small.url, { body: Buffer.from('123456') })).status).toBe(503)

    const short = await relay({ queue: { maxCount: 100, maxBytes: 1024, ttlMs: 1 } })
    const expiring = await short.createChannel()
    expect((await httpRequest(expiring.url, { body: Buffer.from('old') })).status).toBe(202)
    await new Promise((resolve) => setTimeout(resolve, 20))
    // The expired entry is gone: the next one is first in line, and nothing old is delivered.
    const next = await httpRequest(expiring.url, { body: Buffer.from('new') })
    expect(JSON.parse(next.body.toString()).position).toBe(1)
  })

  it('drops a client that stops answering heartbeats and sends its in-flight request again to the next client', async () => {
    const server = await relay({ heartbeatMs: 100 })
    const channel = await server.createChannel()
    // A client that takes deliveries and then goes silent: no answers, no pongs.
    const silent = new WebSocket(`${channel.url.replace('http:', 'ws:')}/connect`, TUNNEL_PROTOCOL, {
      headers: { Authorization: `Bearer ${channel.clientToken}` },
      autoPong: false
    })
    const seen: string[] = []
    silent.on('message', (data: Buffer) => seen.push(decodeFrame(data).frame.type))
    const closed = new Promise((resolve) => silent.once('close', resolve))
    cleanups.add(async () => silent.terminate())
    await new Promise((resolve) => silent.once('open', resolve))

    const answer = await httpRequest(`${channel.url}/lost`, { body: Buffer.from('payload') })
    await closed
    expect(seen).toEqual(['hello', 'request'])
    // The sender was told it is queued instead of waiting for an answer that will not come.
    expect(answer.status).toBe(202)

    const ingress = new FakeIngress()
    link(channel, ingress)
    await ingress.waitFor(1)
    expect(ingress.received[0]!.url).toBe('/lost')
    expect(ingress.received[0]!.body.toString()).toBe('payload')
  })

  it('captures a delivery sent again after a lost acknowledgement only once', async () => {
    const server = await relay()
    const channel = await server.createChannel()
    let release!: () => void
    const gate = new Promise<void>((resolve) => (release = resolve))
    const ingress = new FakeIngress(async (request) => {
      if (request.url === '/slow') await gate
      return { status: 200, headers: [], body: Buffer.from('done') }
    })
    const first = link(channel, ingress)
    await first.waitForHealth((state) => state.status === 'connected')
    const pending = httpRequest(`${channel.url}/slow`, { body: Buffer.from('x') })
    await ingress.waitFor(1)
    // The connection drops while the delivery is being captured; the relay still has it queued.
    const from = first.health.length
    ;(first.link as unknown as { session: { close(): void } }).session.close()
    await first.waitForHealth((state) => state.status === 'connected', 15_000, from)
    release()
    expect((await pending).status).toBe(202)
    await first.waitForHealth((state) => state.queue.drainedAt !== null, 15_000, from)
    expect(ingress.received.map((request) => request.url)).toEqual(['/slow'])
  })

  it('leaves a queued delivery its store could not take at the head of the relay’s queue, backs off, and delivers the queue in order once the store writes', async () => {
    const server = await relay()
    const channel = await server.createChannel()
    for (let i = 0; i < 4; i++) expect((await httpRequest(`${channel.url}/q/${i}`, { body: Buffer.from(`body ${i}`) })).status).toBe(202)
    let storeWrites = false
    const stored: string[] = []
    const ingress = new FakeIngress((request) => {
      if (!storeWrites) return storeUnavailable('disk-full')
      stored.push(`${request.url} ${request.body.toString()}`)
      return { status: 200, headers: [], body: Buffer.from('stored') }
    })
    // A clock that stands still: nextRetryAt - NOW is the delay the link chose.
    const NOW = 1_800_000_000_000
    const tunnel = link(channel, ingress, { clock: { now: () => NOW } })
    // Two connections meet the failing store; the third finds it writing again.
    await ingress.waitFor(2)
    storeWrites = true
    await tunnel.waitForHealth((state) => state.queue.drainedAt !== null)

    expect(stored).toEqual(['/q/0 body 0', '/q/1 body 1', '/q/2 body 2', '/q/3 body 3'])
    // Only the head was offered while the store failed: nothing behind it moved ahead of it.
    expect(ingress.received.map((request) => request.url)).toEqual(['/q/0', '/q/0', '/q/0', '/q/1', '/q/2', '/q/3'])
    // Every connection found the whole queue still on the relay: the 503s acknowledged nothing.
    expect(tunnel.health.filter((state) => state.status === 'connected' && state.connectedAt !== null).map((state) => state.queue.atConnect)).toSatisfy(
      (counts: number[]) => counts.length >= 3 && counts.every((count) => count === 4)
    )
    // Said, with the store's Retry-After (1 s) as the least wait, and backing off like failed attempts.
    const left = tunnel.health.filter((state) => state.error?.code === 'TUNNEL_STORE_UNAVAILABLE')
    expect(left.map((state) => [state.status, state.failures])).toEqual([
      ['reconnecting', 1],
      ['reconnecting', 2]
    ])
    for (const state of left) expect(state.nextRetryAt! - NOW).toBeGreaterThanOrEqual(1000)
    expect(left[0]!.error!.message).toMatch(/stays queued on the relay/)

    // Acknowledged now: a new connection gets nothing again.
    await tunnel.link.stop()
    expect(await queuedAtConnect(channel, cleanups)).toBe(0)
  })

  it('answers a live sender 503 when its store cannot write (it retries), and stays connected', async () => {
    const server = await relay()
    const channel = await server.createChannel()
    let storeWrites = false
    const ingress = new FakeIngress((request) => (storeWrites ? { status: 200, headers: [], body: Buffer.from(request.url) } : storeUnavailable('disk-full')))
    const tunnel = link(channel, ingress)
    await tunnel.waitForHealth((state) => state.status === 'connected')
    const refused = await httpRequest(`${channel.url}/live`, { body: Buffer.from('x') })
    expect(refused.status).toBe(503)
    expect(refused.headers).toContainEqual(['Retry-After', '1'])
    storeWrites = true
    const next = await httpRequest(`${channel.url}/next`, { body: Buffer.from('y') })
    expect(next.status).toBe(200)
    expect(ingress.received.map((request) => request.url)).toEqual(['/live', '/next'])
    expect(tunnel.health.filter((state) => state.error !== null || state.status === 'reconnecting')).toEqual([])
    // The relay forgot it (its sender has the 503): a new connection finds nothing queued.
    await tunnel.link.stop()
    expect(await queuedAtConnect(channel, cleanups)).toBe(0)
  })

  it('keeps the client offline, retrying, when the relay refuses its token', async () => {
    const server = await relay()
    const channel = await server.createChannel()
    const tunnel = link(channel, new FakeIngress(), {}, 'wrong-token')
    const offline = await tunnel.waitForHealth((state) => state.status === 'offline')
    expect(offline.error?.code).toBe('TUNNEL_UNAUTHORIZED')
    const retried = await tunnel.waitForHealth((state) => state.status === 'offline' && state.failures >= 2)
    expect(retried.nextRetryAt).not.toBeNull()
  })

  it('enforces its limits: admin token, unknown channels, body size, rate and header count', async () => {
    const server = await relay({ open: false, adminToken: 'admin-token-0123456789', maxBodyBytes: 1000, ratePerSecond: 2, maxHeaderLines: 10 })
    const refused = await httpRequest(`${server.server.url}/channels`, { body: Buffer.alloc(0) })
    expect(refused.status).toBe(401)
    expect((await httpRequest(`${server.server.url}/channels`, { headers: [['Authorization', 'Bearer admin-token-0123456788']] })).status).toBe(401)
    const channel = await server.createChannel(undefined, 'admin-token-0123456789')
    expect(channel.id).toMatch(/^[0-9a-z]{24}$/)
    expect(channel.clientToken.length).toBeGreaterThanOrEqual(43)

    expect((await httpRequest(`${server.server.url}/c/${'a'.repeat(24)}/x`, { body: Buffer.from('x') })).status).toBe(404)
    expect((await httpRequest(`${channel.url}/big`, { body: Buffer.alloc(1001) })).status).toBe(413)
    const many = Array.from({ length: 11 }, (_, i): [string, string] => [`X-H${i}`, 'v'])
    expect((await httpRequest(`${channel.url}/headers`, { headers: many, body: Buffer.from('x') })).status).toBe(431)
    const statuses = []
    for (let i = 0; i < 8; i++) statuses.push((await httpRequest(`${channel.url}/rate`, { body: Buffer.from('x') })).status)
    expect(statuses).toContain(429)
    expect(statuses.filter((status) => status === 429).length).toBeLessThan(8)
    const health = await httpRequest(`${server.server.url}/healthz`, { method: 'GET' })
    expect(JSON.parse(health.body.toString())).toMatchObject({ status: 'ok', backend: 'memory', clients: 0 })
  })

  it('refuses a sender that is too slow to send its request head', async () => {
    const server = await relay({ headersTimeoutMs: 300, requestTimeoutMs: 600 })
    const port = Number(new URL(server.server.url).port)
    const { response } = await rawRequest(port, ['POST /c/x HTTP/1.1\r\n', 'Host: a\r\n'], { gapMs: 50, timeoutMs: 10_000 })
    expect(statusOf(response)).toBe(408)
  })
})

function splitResponse(raw: Buffer): [string, Buffer] {
  const end = raw.indexOf('\r\n\r\n')
  return [raw.subarray(0, end + 2).toString('latin1'), raw.subarray(end + 4)]
}
