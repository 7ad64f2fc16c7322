import { describe, expect, it } from 'vitest'
import { toAttempt } from '../../electron/engine/relay/attempt-record'
import type { SignRequest } from '../../electron/engine/relay/sign-seam'
import type { EngineEvent } from '../../shared/api/contract'
import type { AttemptBatch } from '../../shared/model/relay'
import { fakeTime } from '../helpers/fake-time'
import { incomingRequest, relayTestKit } from '../helpers/relay-harness'
import { answer, held } from '../helpers/relay-targets'
import { makeKey } from '../helpers/verify-fixtures'

const { harness, target } = relayTestKit()

const KEY = makeKey('x-signature', { secret: 'not-a-real-secret' }, { id: 'orders', name: 'Orders' })

/** Stands in for the signers' signRequest: replaces X-Signature in place, adds X-Timestamp. */
const fakeSigner: SignRequest = (input, key) => {
  if (key.scheme !== 'x-signature') return { ok: false, code: 'SCHEME_CANNOT_SIGN', reason: `${key.scheme} cannot be signed` }
  let replaced = false
  const headers = input.headers.map(([name, value]): [string, string] => {
    if (name.toLowerCase() !== 'x-signature') return [name, value]
    replaced = true
    return [name, `sig(${input.body.toString()})@${input.now}`]
  })
  if (!replaced) headers.push(['X-Signature', `sig(${input.body.toString()})@${input.now}`])
  headers.push(['X-Timestamp', String(Math.floor(input.now / 1000))])
  return { ok: true, headers, body: input.body, scheme: 'x-signature', keyId: key.id, notes: ['fresh timestamp'] }
}

describe('replay', () => {
  it('as-is to a URL: same bytes, same headers (hop-by-hop aside), linked to the delivery with its own verdict', async () => {
    const server = await target(answer(202, 'accepted'))
    const h = harness()
    const request = incomingRequest({
      headers: [
        ['Host', 'a:1'],
        ['X-Signature', 'orig'],
        ['Connection', 'close'],
        ['Content-Length', '23']
      ]
    })
    const deliveryId = h.store(request)
    const record = await h.relay.replays.replay({ deliveryId, to: server.url })
    expect(record).toMatchObject({ kind: 'replay', deliveryId, state: 'succeeded', responseStatus: 202, edited: false, resignedWith: null })
    expect(record.verdict?.code).toBe('NO_SCHEME')
    const [received] = server.requests
    expect(received!.url).toBe('/stripe/events?live=1')
    expect(received!.body.equals(request.body)).toBe(true)
    expect(received!.headers.slice(0, 3)).toEqual([
      ['Host', `127.0.0.1:${server.port}`],
      ['X-Signature', 'orig'],
      ['Content-Length', '23']
    ])
    // Listed with the delivery; the body is the delivery's (not copied).
    expect(h.attempts.list({ deliveryId }).items.map((a) => a.id)).toEqual([record.id])
    expect(h.attempts.get(record.id)!.requestBody).toBeNull()
  })

  it("to the rule's target when no URL is given, and says so when no rule matches", async () => {
    const server = await target(answer(200))
    const h = harness()
    const request = incomingRequest()
    const deliveryId = h.store(request)
    await expect(h.relay.replays.replay({ deliveryId })).rejects.toMatchObject({ code: 'BAD_INPUT', message: expect.stringMatching(/no forwarding rule/) })
    const { rules } = h.relay.rules.set('default', [{ target: server.url, headers: { add: [['X-Replayed', 'yes']] } }])
    const record = await h.relay.replays.replay({ deliveryId })
    expect(record).toMatchObject({ ruleId: rules[0]!.id, state: 'succeeded', target: `${server.url}/stripe/events?live=1` })
    expect(server.requests[0]!.headers).toContainEqual(['X-Replayed', 'yes'])
  })

  it('edited: headers and body replaced, stored with the attempt, Content-Length following the new body', async () => {
    const server = await target(answer(200))
    const h = harness()
    const deliveryId = h.store(incomingRequest())
    const body = '{"type":"edited"}'
    const record = await h.relay.replays.replay({
      deliveryId,
      to: server.url,
      edit: {
        headers: [
          ['Content-Type', 'application/json'],
          ['Content-Length', '1'],
          ['X-Edit', '1']
        ],
        bodyBase64: Buffer.from(body).toString('base64')
      }
    })
    expect(record.edited).toBe(true)
    const [received] = server.requests
    expect(received!.body.toString()).toBe(body)
    expect(received!.headers.slice(0, 4)).toEqual([
      ['Host', `127.0.0.1:${server.port}`],
      ['Content-Type', 'application/json'],
      ['Content-Length', String(body.length)],
      ['X-Edit', '1']
    ])
    expect(toAttempt(h.attempts.get(record.id)!, null).requestBodyBase64).toBe(Buffer.from(body).toString('base64'))
  })

  it('re-signed through the signing seam, after editing; a scheme that cannot sign is an attempt that says why', async () => {
    const server = await target(answer(200))
    const h = harness({ keys: [KEY, { ...KEY, id: 'gh', name: 'GitHub', scheme: 'github' }], signRequest: fakeSigner })
    const deliveryId = h.store(
      incomingRequest({
        headers: [
          ['Host', 'a'],
          ['X-Signature', 'stale'],
          ['X-Other', '1']
        ]
      })
    )
    const record = await h.relay.replays.replay({
      deliveryId,
      to: server.url,
      resignKeyId: 'orders',
      edit: { bodyBase64: Buffer.from('new').toString('base64') }
    })
    expect(record).toMatchObject({ state: 'succeeded', resignedWith: 'orders', notes: ['fresh timestamp'] })
    const headers = server.requests[0]!.headers
    // Replaced in place, not appended.
    expect(headers[1]).toEqual(['X-Signature', expect.stringMatching(/^sig\(new\)@\d+$/)])
    expect(headers).toContainEqual(['X-Timestamp', expect.stringMatching(/^\d+$/)])

    const refused = await h.relay.replays.replay({ deliveryId, to: server.url, resignKeyId: 'GitHub' })
    expect(refused).toMatchObject({ state: 'failed', error: { code: 'SIGNING_FAILED', message: expect.stringContaining('github cannot be signed') } })
    expect(server.requests).toHaveLength(1)
    await expect(h.relay.replays.replay({ deliveryId, to: server.url, resignKeyId: 'nope' })).rejects.toMatchObject({ code: 'NOT_FOUND' })
  })

  it('many: bounded concurrency, progress events, every delivery an attempt of the batch', async () => {
    const slow = held(200)
    const server = await target(slow.behaviour)
    const h = harness()
    const ids = Array.from({ length: 5 }, () => h.store(incomingRequest()))
    const batch = h.relay.replays.start({ deliveryIds: ids, to: server.url, concurrency: 2 })
    expect(batch).toMatchObject({ kind: 'replay', state: 'running', total: 5, done: 0 })
    for (let released = 0; released < 5; ) {
      await slow.waitForHeld(Math.min(2, 5 - released))
      // Never more than two on the wire.
      expect(slow.count).toBeLessThanOrEqual(2)
      released += slow.count
      slow.release()
    }
    const last = (await h.waitForEvent((event) => event.type === 'batch.progress' && event.batch.state === 'finished')) as Extract<
      EngineEvent,
      { type: 'batch.progress' }
    >
    expect(last.batch).toMatchObject({ done: 5, succeeded: 5, failed: 0 })
    expect(h.attempts.list({ batchId: batch.id }).items).toHaveLength(5)
    expect(new Set(h.attempts.list({ batchId: batch.id }).items.map((a) => a.deliveryId))).toEqual(new Set(ids))
  })

  it('many: paced by the rate (injected clock), and cancellable', async () => {
    const time = fakeTime()
    const server = await target(answer(200))
    const h = harness({ clock: time.clock, timers: time.timers })
    const ids = Array.from({ length: 4 }, () => h.store(incomingRequest()))
    const batch = h.relay.replays.start({ deliveryIds: ids, to: server.url, concurrency: 4, ratePerSecond: 2 })
    await server.waitForRequests(1)
    // Starts are spaced 500 ms apart (the forward's own 30 s timeout timer aside).
    expect(time.dueTimes().filter((at) => at < time.now + 30_000)).toEqual([time.now + 500, time.now + 1000, time.now + 1500])
    time.fireNext()
    await server.waitForRequests(2)
    const cancelled = h.relay.batches.cancel(batch.id)
    expect(cancelled.state).toBe('running')
    const end = (await h.waitForEvent((event) => event.type === 'batch.progress' && event.batch.state !== 'running' && event.batch.id === batch.id)) as {
      batch: AttemptBatch
    }
    expect(end.batch).toMatchObject({ state: 'cancelled', done: 2 })
    expect(server.requests).toHaveLength(2)
  })

  it('a truncated delivery is not replayed as-is (the attempt says why), but an edited body is sent', async () => {
    const server = await target(answer(200))
    const h = harness()
    const deliveryId = h.store(incomingRequest({ truncated: true, bodySize: 1e9 }))
    expect(await h.relay.replays.replay({ deliveryId, to: server.url })).toMatchObject({ state: 'failed', error: { code: 'BODY_TRUNCATED' } })
    expect(server.requests).toHaveLength(0)
    const edited = await h.relay.replays.replay({ deliveryId, to: server.url, edit: { bodyBase64: Buffer.from('whole').toString('base64') } })
    expect(edited.state).toBe('succeeded')
  })
})

describe('sender', () => {
  it('sends N signed test events, interval apart (injected clock), each a recorded attempt with its verdict', async () => {
    const time = fakeTime()
    const server = await target(answer(204))
    const h = harness({ clock: time.clock, timers: time.timers, keys: [KEY], signRequest: fakeSigner })
    const sending = h.relay.sender.send({ url: `${server.url}/hooks`, keyId: 'orders', scheme: 'x-signature', count: 3, intervalMs: 250 })
    await server.waitForRequests(1)
    await h.waitForEvent((event) => event.type === 'batch.progress' && event.batch.done === 1)
    expect(time.dueTimes()).toEqual([time.now + 250])
    time.fireNext()
    await server.waitForRequests(2)
    await h.waitForEvent((event) => event.type === 'batch.progress' && event.batch.done === 2)
    time.fireNext()
    const { batch, attempts } = await sending
    expect(batch).toMatchObject({ kind: 'send', state: 'finished', total: 3, succeeded: 3 })
    expect(attempts.map((a) => [a.kind, a.state, a.responseStatus, a.resignedWith])).toEqual(Array(3).fill(['send', 'succeeded', 204, 'orders']))
    const bodies = server.requests.map((r) => JSON.parse(r.body.toString()))
    expect(bodies[0]).toMatchObject({ type: 'test.webhook-event', data: { message: expect.any(String) } })
    // Each send is composed afresh: its own event id.
    expect(new Set(bodies.map((b) => b.id)).size).toBe(3)
    const headers = server.requests[0]!.headers
    expect(headers[0]).toEqual(['Host', `127.0.0.1:${server.port}`])
    expect(headers).toContainEqual(['User-Agent', 'Hookscope/test'])
    expect(headers).toContainEqual(['X-Signature', expect.stringMatching(/^sig\(/)])
    expect(h.attempts.list({ kind: 'send' }).items).toHaveLength(3)
  })

  it('refuses a key of another scheme and an unknown template before sending anything', async () => {
    const server = await target(answer(200))
    const h = harness({ keys: [KEY], signRequest: fakeSigner })
    await expect(h.relay.sender.send({ url: server.url, keyId: 'orders', scheme: 'stripe' })).rejects.toMatchObject({ code: 'BAD_INPUT' })
    await expect(h.relay.sender.send({ url: server.url, keyId: 'orders', event: 'no.such' })).rejects.toMatchObject({ code: 'BAD_INPUT' })
    expect(server.requests).toHaveLength(0)
  })
})
