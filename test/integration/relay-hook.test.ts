import { describe, expect, it } from 'vitest'
import { toAttempt } from '../../electron/engine/relay/attempt-record'
import type { EngineEvent } from '../../shared/api/contract'
import type { AttemptSummary } from '../../shared/model/relay'
import { fakeTime } from '../helpers/fake-time'
import { incomingRequest, relayTestKit, startRelayHarness } from '../helpers/relay-harness'
import { answer, closedPort, hang, held, reset, startRawTarget } from '../helpers/relay-targets'
import { makeTempDir } from '../helpers/temp-dir'

const { harness, target, cleanup } = relayTestKit()

const finished = (id: string) => (event: EngineEvent) =>
  event.type === 'attempt.updated' && event.attempt.id === id && event.attempt.state !== 'in-flight' && event.attempt.state !== 'scheduled'
const attemptEvent = (event: EngineEvent): AttemptSummary | null => (event.type === 'attempt.added' || event.type === 'attempt.updated' ? event.attempt : null)

describe('passthrough', () => {
  it("forwards raw bytes and headers in order and case, and answers with the target's response byte for byte", async () => {
    const response = Buffer.concat([
      Buffer.from(
        'HTTP/1.1 201 Made It\r\nX-Upper: A\r\nx-lower: b\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\nConnection: close\r\nContent-Length: 4\r\n\r\n',
        'latin1'
      ),
      Buffer.from([0x00, 0xff, 0x0d, 0x0a])
    ])
    const raw = await startRawTarget(response)
    cleanup.push(() => raw.close())
    const h = harness()
    h.relay.rules.set('default', [{ target: raw.url }])
    const body = Buffer.from([0x7b, 0x00, 0xe9, 0xff, 0x7d])
    const request = incomingRequest({
      body,
      bodySize: body.length,
      headers: [
        ['X-First', 'v\xe9'],
        ['host', '127.0.0.1:8080'],
        ['Connection', 'keep-alive'],
        ['content-TYPE', 'application/octet-stream'],
        ['X-Dup', '1'],
        ['X-Dup', '2'],
        ['Content-Length', String(body.length)]
      ]
    })
    const rule = h.relay.match(request)!
    expect(rule.mode).toBe('passthrough')
    const deliveryId = h.store(request)
    const sent = await h.relay.passthrough(deliveryId, request, rule, Promise.resolve())

    expect(sent.status).toBe(201)
    expect(sent.headers).toEqual([
      ['X-Upper', 'A'],
      ['x-lower', 'b'],
      ['Set-Cookie', 'a=1'],
      ['Set-Cookie', 'b=2']
    ])
    expect(sent.body.equals(Buffer.from([0x00, 0xff, 0x0d, 0x0a]))).toBe(true)

    const [received] = raw.requests
    expect(received!.url).toBe('/stripe/events?live=1')
    expect(received!.body.equals(body)).toBe(true)
    expect(received!.headers).toEqual([
      ['X-First', 'v\xe9'],
      ['host', `127.0.0.1:${raw.port}`],
      ['content-TYPE', 'application/octet-stream'],
      ['X-Dup', '1'],
      ['X-Dup', '2'],
      ['Content-Length', '5'],
      ['X-Forwarded-For', '127.0.0.1'],
      ['X-Forwarded-Proto', 'http'],
      ['X-Forwarded-Host', '127.0.0.1:8080'],
      ['Connection', 'keep-alive']
    ])

    const [attempt] = h.attempts.list({ deliveryId }).items
    expect(attempt).toMatchObject({ kind: 'relay', state: 'succeeded', status: 201, number: 1, target: `${raw.url}/stripe/events?live=1` })
    const whole = toAttempt(h.attempts.get(attempt!.id)!, h.attempts.deliveryBody(deliveryId))
    expect(Buffer.from(whole.requestBodyBase64, 'base64').equals(body)).toBe(true)
    expect(whole.requestHeaders).toEqual(received!.headers.slice(0, -1))
    expect(Buffer.from(whole.responseBodyBase64!, 'base64').equals(Buffer.from([0x00, 0xff, 0x0d, 0x0a]))).toBe(true)
  })

  it('answers with the 502 fallback naming the cause when nothing listens, and records the attempt', async () => {
    const port = await closedPort()
    const h = harness()
    h.relay.rules.set('default', [{ target: `http://127.0.0.1:${port}` }])
    const request = incomingRequest()
    const deliveryId = h.store(request)
    const sent = await h.relay.passthrough(deliveryId, request, h.relay.match(request)!, Promise.resolve())
    expect(sent.status).toBe(502)
    const body = JSON.parse(sent.body.toString('utf8'))
    expect(body).toEqual({
      error: { code: 'CONNECTION_REFUSED', message: `nothing listens on 127.0.0.1:${port} — is your app running?` },
      delivery: deliveryId
    })
    expect(h.attempts.list({ deliveryId }).items[0]).toMatchObject({ state: 'failed', error: { code: 'CONNECTION_REFUSED' } })
  })

  it("uses the endpoint's own fallback when one is set", async () => {
    const port = await closedPort()
    const h = harness()
    h.relay.rules.set('default', [{ target: `http://127.0.0.1:${port}` }], { status: 503, headers: [['Retry-After', '5']], body: 'later' })
    const request = incomingRequest()
    const sent = await h.relay.passthrough(h.store(request), request, h.relay.match(request)!, Promise.resolve())
    expect(sent).toMatchObject({ status: 503, headers: [['Retry-After', '5']] })
    expect(sent.body.toString()).toBe('later')
  })

  it("times out a hanging target after the rule's timeout, and says so", async () => {
    const time = fakeTime()
    const h = harness({ clock: time.clock, timers: time.timers })
    const hanging = await target(hang)
    h.relay.rules.set('default', [{ target: hanging.url, timeoutMs: 30_000 }])
    const request = incomingRequest()
    const pending = h.relay.passthrough(h.store(request), request, h.relay.match(request)!, Promise.resolve())
    await hanging.waitForRequests(1)
    expect(time.dueTimes()).toEqual([time.now + 30_000])
    time.fireNext()
    const sent = await pending
    expect(sent.status).toBe(502)
    expect(JSON.parse(sent.body.toString()).error).toEqual({
      code: 'TIMEOUT',
      message: `no complete answer from 127.0.0.1:${hanging.port} within 30 s (the rule's timeout; 0 waits forever)`
    })
  })

  it('with timeout 0 arms no timer and waits for as long as the target takes', async () => {
    const time = fakeTime()
    const h = harness({ clock: time.clock, timers: time.timers })
    const slow = held(200, 'finally')
    const server = await target(slow.behaviour)
    h.relay.rules.set('default', [{ target: server.url, timeoutMs: 0 }])
    const request = incomingRequest()
    const deliveryId = h.store(request)
    let settled = false
    const pending = h.relay.passthrough(deliveryId, request, h.relay.match(request)!, Promise.resolve()).finally(() => {
      settled = true
    })
    await slow.waitForHeld(1)
    // In flight, listed as such, with nothing that could ever end it but the target.
    await h.waitForEvent((event) => attemptEvent(event)?.state === 'in-flight')
    expect(time.dueTimes()).toEqual([])
    time.advance(7 * 24 * 60 * 60 * 1000)
    expect(settled).toBe(false)
    slow.release()
    const sent = await pending
    expect(sent.status).toBe(200)
    expect(sent.body.toString()).toBe('finally')
    expect(h.attempts.list({ deliveryId }).items[0]).toMatchObject({ state: 'succeeded', status: 200 })
  })

  it('does not forward a body that did not arrive whole, and says why', async () => {
    const server = await target(answer(200))
    const h = harness()
    h.relay.rules.set('default', [{ target: server.url }])
    const request = incomingRequest({ truncated: true, bodySize: 99_999_999 })
    const deliveryId = h.store(request)
    const sent = await h.relay.passthrough(deliveryId, request, h.relay.match(request)!, Promise.resolve())
    expect(sent.status).toBe(413)
    await h.waitForEvent((event) => event.type === 'attempt.added')
    expect(server.requests).toHaveLength(0)
    expect(h.attempts.list({ deliveryId }).items[0]).toMatchObject({ state: 'failed', error: { code: 'BODY_TRUNCATED' } })
  })

  it('passes a 500 on as it is (no fallback), and a reset as a fallback', async () => {
    const failing = await target(answer(500, 'boom', [['Content-Type', 'text/plain']]))
    const resetting = await target(reset)
    const h = harness()
    h.relay.rules.set('default', [{ target: failing.url, match: { pathPrefix: '/fail' } }, { target: resetting.url }])
    const fail = incomingRequest({ url: '/fail' })
    const sent = await h.relay.passthrough(h.store(fail), fail, h.relay.match(fail)!, Promise.resolve())
    expect([sent.status, sent.body.toString()]).toEqual([500, 'boom'])
    const other = incomingRequest({ url: '/other' })
    const fallback = await h.relay.passthrough(h.store(other), other, h.relay.match(other)!, Promise.resolve())
    expect(fallback.status).toBe(502)
    expect(JSON.parse(fallback.body.toString()).error.code).toBe('CONNECTION_RESET')
  })

  it('records nothing when the delivery could not be stored, but still answers the sender', async () => {
    const server = await target(answer(200, 'ok'))
    const h = harness()
    h.relay.rules.set('default', [{ target: server.url }])
    const request = incomingRequest()
    const sent = await h.relay.passthrough('never-stored', request, h.relay.match(request)!, Promise.reject(new Error('disk full')))
    expect(sent.status).toBe(200)
    expect(h.attempts.list({}).items).toEqual([])
  })
})

describe('ack-first', () => {
  it('retries on the backoff schedule (injected clock) until the target succeeds', async () => {
    const time = fakeTime()
    const statuses = [500, 503, 502, 200]
    const server = await target((_req, res) => {
      res.writeHead(statuses.shift() ?? 200)
      res.end()
    })
    const h = harness({ clock: time.clock, timers: time.timers })
    h.relay.rules.set('default', [{ target: server.url, mode: 'ack-first', retry: 'fast' }])
    const request = incomingRequest()
    expect(h.relay.match(request)!.mode).toBe('ack-first')
    const deliveryId = h.storeAndRelay(request)

    const delays: number[] = []
    for (let attempt = 1; attempt <= 3; attempt++) {
      await h.waitForEvent((event) => attemptEvent(event)?.number === attempt + 1 && attemptEvent(event)?.state === 'scheduled')
      const [due] = time.dueTimes()
      delays.push(due! - time.now)
      time.fireNext()
    }
    await h.waitForEvent((event) => attemptEvent(event)?.number === 4 && attemptEvent(event)?.state === 'succeeded')
    expect(delays).toEqual([1000, 2000, 4000])
    expect(time.dueTimes()).toEqual([])
    expect(server.requests).toHaveLength(4)
    const chain = h.attempts.list({ deliveryId }).items.reverse()
    expect(chain.map((a) => [a.number, a.state, a.status])).toEqual([
      [1, 'failed', 500],
      [2, 'failed', 503],
      [3, 'failed', 502],
      [4, 'succeeded', 200]
    ])
  })

  it("gives up after the policy's retries, and honours a 429's Retry-After", async () => {
    const time = fakeTime()
    const server = await target(answer(429, '', [['Retry-After', '7']]))
    const h = harness({ clock: time.clock, timers: time.timers })
    h.relay.rules.set('default', [
      { target: server.url, mode: 'ack-first', retry: { baseMs: 1000, factor: 2, maxDelayMs: 60_000, maxRetries: 2, on: ['429'] } }
    ])
    h.storeAndRelay(incomingRequest())
    await h.waitForEvent((event) => attemptEvent(event)?.number === 2)
    expect(time.dueTimes()).toEqual([time.now + 7000])
    time.fireNext()
    await h.waitForEvent((event) => attemptEvent(event)?.number === 3)
    time.fireNext()
    await h.waitForEvent((event) => attemptEvent(event)?.number === 3 && attemptEvent(event)?.state === 'failed')
    expect(time.dueTimes()).toEqual([])
    expect(server.requests).toHaveLength(3)
  })

  it('keeps exactly one attempt per delivery on the wire: retry-now while in flight starts nothing', async () => {
    const slow = held(200)
    const server = await target(slow.behaviour)
    const h = harness()
    h.relay.rules.set('default', [{ target: server.url, mode: 'ack-first' }])
    const request = incomingRequest()
    const deliveryId = h.storeAndRelay(request)
    await slow.waitForHeld(1)
    const [first, second] = await Promise.all([h.relay.scheduler.retryNow(deliveryId), h.relay.scheduler.retryNow(deliveryId)])
    expect(first.state).toBe('in-flight')
    expect(second.id).toBe(first.id)
    slow.release()
    await h.waitForEvent(finished(first.id))
    expect(server.requests).toHaveLength(1)
  })

  it('retry now runs a scheduled retry at once; cancel stops the chain', async () => {
    const time = fakeTime()
    const server = await target(answer(500))
    const h = harness({ clock: time.clock, timers: time.timers })
    h.relay.rules.set('default', [{ target: server.url, mode: 'ack-first', retry: 'provider' }])
    const request = incomingRequest()
    const deliveryId = h.storeAndRelay(request)
    await h.waitForEvent((event) => attemptEvent(event)?.number === 2 && attemptEvent(event)?.state === 'scheduled')
    expect(time.dueTimes()).toEqual([time.now + 60_000])
    const now = await h.relay.scheduler.retryNow(deliveryId)
    expect(now.number).toBe(2)
    await h.waitForEvent((event) => attemptEvent(event)?.number === 3 && attemptEvent(event)?.state === 'scheduled')
    expect(server.requests).toHaveLength(2)
    expect(time.dueTimes()).toEqual([time.now + 120_000])
    expect(await h.relay.scheduler.cancel(deliveryId)).toBe(1)
    expect(time.dueTimes()).toEqual([])
    expect(h.attempts.lastRelay(deliveryId)).toMatchObject({ number: 3, state: 'cancelled', error: { code: 'CANCELLED' } })
    expect(await h.relay.scheduler.cancel(deliveryId)).toBe(0)
  })

  it('resumes after a restart: scheduled retries on their schedule, an attempt that was on the wire as interrupted and sent again', async () => {
    const dir = makeTempDir()
    cleanup.push(() => dir.remove())
    const time = fakeTime()
    const slow = held(200)
    const slowServer = await target(slow.behaviour)
    const failing = await target(answer(500))
    const first = startRelayHarness({ dataDir: dir.path, clock: time.clock, timers: time.timers })
    // Only its sockets are left to close once the test is over (its store is closed below).
    cleanup.push(() => first.relay.stop())
    first.relay.rules.set('default', [
      { target: slowServer.url, mode: 'ack-first', match: { pathPrefix: '/slow' } },
      { target: failing.url, mode: 'ack-first', retry: 'provider' }
    ])
    const onWire = incomingRequest({ url: '/slow' })
    const onWireId = first.storeAndRelay(onWire)
    const retrying = incomingRequest({ url: '/fail' })
    const retryingId = first.storeAndRelay(retrying)
    await slow.waitForHeld(1)
    await first.waitForEvent((event) => attemptEvent(event)?.deliveryId === retryingId && attemptEvent(event)?.state === 'scheduled')
    const dueBefore = first.attempts.lastRelay(retryingId)!.dueAt!
    // The process dies: nothing more is written (no stop(), no interrupted rows).
    first.db.close()

    const second = harness({ dataDir: dir.path, clock: time.clock, timers: time.timers })
    await second.relay.start()
    const interrupted = second.attempts.list({ deliveryId: onWireId }).items.reverse()
    expect(interrupted.map((a) => [a.number, a.state])).toEqual([
      [1, 'interrupted'],
      [2, 'scheduled']
    ])
    expect(interrupted[0]!.error?.code).toBe('INTERRUPTED')
    expect(time.dueTimes()).toContain(dueBefore)
    time.fireNext()
    await slow.waitForHeld(2)
    slow.release()
    await second.waitForEvent((event) => attemptEvent(event)?.deliveryId === onWireId && attemptEvent(event)?.state === 'succeeded')
    // Sent twice: once before the crash (interrupted), once after. Nothing else twice.
    expect(slowServer.requests).toHaveLength(2)
    expect(failing.requests).toHaveLength(1)
    expect(second.attempts.lastRelay(retryingId)).toMatchObject({ number: 2, state: 'scheduled', dueAt: dueBefore })
  })
})
