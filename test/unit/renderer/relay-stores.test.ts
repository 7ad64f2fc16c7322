import { describe, expect, it } from 'vitest'
import { compareResponses, compareWithOriginal } from '../../../renderer/src/features/diff/attempt-diff'
import { createResponseDiffStore } from '../../../renderer/src/features/diff/response-diff-store'
import { summaryOfAttempt } from '../../../renderer/src/features/relay/attempt-format'
import { createAttemptsStore } from '../../../renderer/src/features/relay/attempts-store'
import { createForwardingStore } from '../../../renderer/src/features/relay/forwarding-store'
import { newRuleDraft, ruleInput } from '../../../renderer/src/features/relay/rule-draft'
import { EngineError } from '../../../shared/errors'
import { encodeBase64 } from '../../../shared/lib/base64'
import { encodeUtf8 } from '../../../shared/lib/utf8'
import { DEFAULT_FALLBACK } from '../../../shared/model/relay'
import { FakeEngineClient, makeAttempt, makeDelivery, makeRule, settle } from './fake-engine-client'

const text = (value: string) => encodeBase64(encodeUtf8(value))

describe('attempts store', () => {
  it('loads a delivery’s attempts and keeps them live from attempt events', async () => {
    const client = new FakeEngineClient()
    const first = makeAttempt({ deliveryId: 'd1', state: 'failed', status: 500 })
    client.attempts = [first, makeAttempt({ deliveryId: 'other' })]
    const store = createAttemptsStore(client)
    client.subscribe((event) => store.getState().handleEvent(event))
    await store.getState().load('d1')
    expect(store.getState().byDelivery.d1).toMatchObject({ status: 'ready', items: [{ id: first.id }] })

    const retry = summaryOfAttempt(makeAttempt({ deliveryId: 'd1', number: 2, state: 'scheduled', status: null }))
    client.broadcast({ type: 'attempt.added', attempt: retry })
    client.broadcast({ type: 'attempt.added', attempt: summaryOfAttempt(makeAttempt({ deliveryId: 'not-loaded' })) })
    expect(store.getState().byDelivery.d1!.items.map((item) => item.id)).toEqual([retry.id, first.id])
    expect(store.getState().byDelivery['not-loaded']).toBeUndefined()

    // An opened attempt that changes is fetched again next time (its response is new).
    await store.getState().loadDetail(first.id)
    expect(store.getState().details[first.id]?.status).toBe('ready')
    client.broadcast({ type: 'attempt.updated', attempt: { ...retry, state: 'succeeded', status: 200 } })
    client.broadcast({ type: 'attempt.updated', attempt: { ...summaryOfAttempt(first), state: 'cancelled' } })
    expect(store.getState().details[first.id]).toBeUndefined()
    expect(store.getState().byDelivery.d1!.items.map((item) => item.state)).toEqual(['succeeded', 'cancelled'])

    client.broadcast({ type: 'deliveries.removed', ids: ['d1'] })
    expect(store.getState().byDelivery.d1).toBeUndefined()
  })

  it('an older load answering last does not overwrite a newer one', async () => {
    const client = new FakeEngineClient()
    const store = createAttemptsStore(client)
    client.paused = true
    const older = store.getState().load('d1')
    client.attempts = [makeAttempt({ deliveryId: 'd1' })]
    const newer = store.getState().load('d1')
    client.release('lifo')
    await Promise.all([older, newer])
    expect(store.getState().byDelivery.d1!.items).toHaveLength(1)
  })

  it('an answer read before the events of what followed it does not take an attempt back', async () => {
    const client = new FakeEngineClient()
    const store = createAttemptsStore(client)
    client.subscribe((event) => store.getState().handleEvent(event))
    await store.getState().load('d1')
    // Retry now answers "in flight"; the run's failure and the next retry are announced before
    // that answer arrives.
    client.paused = true
    const retrying = store.getState().retryNow('d1')
    const ran = summaryOfAttempt(client.attempts[0]!)
    client.broadcast({ type: 'attempt.updated', attempt: { ...ran, state: 'failed', status: 500 } })
    const nextAttempt = makeAttempt({ deliveryId: 'd1', number: ran.number + 1, state: 'scheduled', status: null })
    client.attempts.unshift(nextAttempt)
    const next = summaryOfAttempt(nextAttempt)
    client.broadcast({ type: 'attempt.added', attempt: next })
    client.release()
    await retrying
    expect(store.getState().byDelivery.d1!.items.map((item) => [item.id, item.state])).toEqual([
      [next.id, 'scheduled'],
      [ran.id, 'failed']
    ])

    // A list read before the events that arrive while it loads (the fake engine still holds the
    // run "in flight" and the retry "scheduled"): what the events said stays.
    client.paused = true
    const loading = store.getState().load('d1')
    const later = summaryOfAttempt(makeAttempt({ deliveryId: 'd1', number: next.number + 1, state: 'scheduled', status: null }))
    client.broadcast({ type: 'attempt.updated', attempt: { ...next, state: 'failed', status: 500 } })
    client.broadcast({ type: 'attempt.added', attempt: later })
    client.release()
    await loading
    expect(store.getState().byDelivery.d1!.items.map((item) => [item.id, item.state])).toEqual([
      [later.id, 'scheduled'],
      [next.id, 'failed'],
      [ran.id, 'failed']
    ])
  })

  it('retry now and cancel report the engine’s refusal, and free the buttons', async () => {
    const client = new FakeEngineClient()
    const store = createAttemptsStore(client)
    await store.getState().load('d1')
    await store.getState().retryNow('d1')
    expect(store.getState().byDelivery.d1!.items).toHaveLength(1)
    client.failNext['attempts.cancel'] = new EngineError('NOT_FOUND', 'no retry is pending for this delivery')
    const cancelling = store.getState().cancel('d1')
    expect(store.getState().busy.d1).toBe(true)
    await cancelling
    expect(store.getState().busy.d1).toBeUndefined()
    expect(store.getState().actionError).toContain('no retry is pending')
  })
})

describe('forwarding store', () => {
  it('loads, saves and follows forwarding.changed', async () => {
    const client = new FakeEngineClient()
    const store = createForwardingStore(client)
    await store.getState().load('default')
    expect(store.getState().byEndpoint.default).toMatchObject({ status: 'ready', config: { rules: [] } })
    const built = ruleInput(newRuleDraft('http://127.0.0.1:4000'))
    if (!built.ok) throw new Error('draft should build')
    const outcome = await store.getState().save('default', [built.input])
    expect(outcome.ok).toBe(true)
    expect(client.callsOf('forwarding.set')).toEqual([{ endpointId: 'default', rules: [built.input] }])
    expect(store.getState().byEndpoint.default!.config!.rules.map((rule) => rule.target)).toEqual(['http://127.0.0.1:4000'])

    store.getState().handleEvent({
      type: 'forwarding.changed',
      config: { endpointId: 'default', rules: [makeRule({ target: 'http://127.0.0.1:5000' })], fallback: DEFAULT_FALLBACK, warnings: [] }
    })
    expect(store.getState().byEndpoint.default!.config!.rules[0]!.target).toBe('http://127.0.0.1:5000')

    client.failNext['forwarding.set'] = new EngineError('BAD_INPUT', 'rules.0.target: an http:// or https:// URL')
    expect(await store.getState().save('default', [])).toEqual({ ok: false, error: 'rules.0.target: an http:// or https:// URL' })
    store.getState().handleEvent({ type: 'endpoint.removed', id: 'default' })
    expect(store.getState().byEndpoint.default).toBeUndefined()
  })
})

describe('response diff', () => {
  it('compares status, headers by name and JSON bodies of two attempts', () => {
    const before = makeAttempt({
      status: 500,
      responseHeaders: [
        ['Content-Type', 'application/json'],
        ['X-Error', 'boom']
      ],
      responseBodyBase64: text('{"ok":false,"n":1}')
    })
    const after = makeAttempt({ status: 200, responseHeaders: [['content-type', 'application/json']], responseBodyBase64: text('{"n":1,"ok":true}') })
    const comparison = compareResponses(before, after)
    expect(comparison.status).toEqual({ left: 500, right: 200, same: false })
    expect(comparison.headers.map((row) => [row.name, row.change])).toEqual([
      ['Content-Type', 'same'],
      ['X-Error', 'removed']
    ])
    expect(comparison.body.kind).toBe('json')
    if (comparison.body.kind === 'json') {
      expect(comparison.body.lines.filter((line) => line.op !== 'same').map((line) => `${line.op} ${line.text.trim()}`)).toEqual([
        'remove "ok": false',
        'add "ok": true'
      ])
    }
    const none = compareResponses(makeAttempt({ status: null, responseHeaders: null, responseBodyBase64: null }), after)
    expect(none.status.left).toBeNull()
    expect(none.headers.every((row) => row.change === 'added')).toBe(true)
  })

  it('diffs the request an attempt sent against the delivery as received', () => {
    const original = makeDelivery({
      headers: [
        ['Content-Type', 'application/json'],
        ['webhook-id', 'msg_1'],
        ['webhook-signature', 'v1,old']
      ],
      bodyBase64: text('{"a":1}')
    })
    const resigned = makeAttempt({
      requestHeaders: [
        ['Content-Type', 'application/json'],
        ['webhook-id', 'msg_2'],
        ['webhook-signature', 'v1,new'],
        ['X-Forwarded-For', '127.0.0.1']
      ],
      requestBodyBase64: text('{"a":1}')
    })
    const sameBody = compareWithOriginal(original, resigned)
    expect(sameBody.headers.map((row) => [row.name, row.change])).toEqual([
      ['Content-Type', 'same'],
      ['webhook-id', 'changed'],
      ['webhook-signature', 'changed'],
      ['X-Forwarded-For', 'added']
    ])
    expect(sameBody.body.equal).toBe(true)
    const edited = compareWithOriginal(original, makeAttempt({ requestHeaders: [], requestBodyBase64: text('{"a":2}') }))
    expect(edited.headers.every((row) => row.change === 'removed')).toBe(true)
    expect(edited.body).toMatchObject({ kind: 'json', equal: false })
  })

  it('keeps the last two picks and fetches both attempts whole', async () => {
    const client = new FakeEngineClient()
    const [a, b, c] = [makeAttempt({ status: 500 }), makeAttempt({ status: 502 }), makeAttempt({ status: 200 })]
    client.attempts = [a, b, c]
    const store = createResponseDiffStore(client)
    store.getState().toggle(a.id)
    store.getState().toggle(b.id)
    store.getState().toggle(c.id)
    expect(store.getState().picked).toEqual([b.id, c.id])
    store.getState().toggle(b.id)
    await store.getState().compare()
    expect(store.getState().status).toBe('error')
    store.getState().toggle(a.id)
    await store.getState().compare()
    expect(store.getState().comparison!.status).toEqual({ left: 200, right: 500, same: false })
    store.getState().clear()
    await settle()
    expect(store.getState()).toMatchObject({ picked: [], comparison: null, status: 'idle' })
  })
})
