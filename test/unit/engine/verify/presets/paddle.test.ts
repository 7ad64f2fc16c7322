import { createHmac } from 'node:crypto'
import { Paddle } from '@paddle/paddle-node-sdk'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { check, detectedScheme, makeKey, makeRequest, outcome } from './preset-harness'

const SECRET = 'pdl_ntfset_01gkpjp8bkm3tm53kdgkx6sms7_6h3qd3uFSi9YCD3OLYAShQI90XTI5vEI'
const NOW = 1_700_000_000
const body =
  '{"event_id":"evt_01h8bzakzx3hm2fmen703n5q45","event_type":"transaction.completed","occurred_at":"2023-11-14T22:13:19Z","notification_id":"ntf_01h8bzam1z32agrxjwhjgqk8w6","data":{"id":"txn_01h8bz","status":"completed"}}'
// The Paddle SDK verifies but does not sign: signed here by the documented algorithm (h1 = hex HMAC-SHA256 of "ts:body").
const h1 = (ts = NOW, payload = body, secret = SECRET) => createHmac('sha256', secret).update(`${ts}:${payload}`).digest('hex')
const signature = (ts = NOW, ...signatures: string[]) => `ts=${ts};${(signatures.length ? signatures : [h1(ts)]).map((s) => `h1=${s}`).join(';')}`
const key = (options: Record<string, unknown> = {}) => makeKey('paddle', { secret: SECRET }, { options })
const run = (sig: string, nowSec = NOW, payload: string = body, keys = [key()]) =>
  check(makeRequest({ 'Paddle-Signature': sig, 'Content-Type': 'application/json' }, payload), keys, nowSec)

/** The Paddle node SDK's verdict with its clock at `nowSec`. */
async function paddleAccepts(sig: string, nowSec = NOW, payload = body): Promise<boolean> {
  vi.setSystemTime(nowSec * 1000)
  // Constructing the client sets up its Node runtime (crypto provider); no request is made.
  return new Paddle('test_api_key').webhooks.isSignatureValid(payload, SECRET, sig)
}

describe('paddle preset', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] })
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('accepts what the Paddle SDK accepts, with notification_id as delivery id', async () => {
    expect(await paddleAccepts(signature(), NOW + 2)).toBe(true)
    const verdict = await run(signature(), NOW + 2)
    expect(outcome(verdict)).toEqual({ status: 'valid', scheme: 'paddle', code: null, findings: [] })
    expect(verdict.deliveryId).toBe('ntf_01h8bzam1z32agrxjwhjgqk8w6')
  })

  it("uses the SDK's 5 s window (past only) unless the key widens it", async () => {
    expect(await paddleAccepts(signature(), NOW + 6)).toBe(false)
    expect(await run(signature(), NOW + 6)).toMatchObject({ code: 'TIMESTAMP_STALE', timestamp: { skewSeconds: 6, toleranceSeconds: 5 } })
    expect(await paddleAccepts(signature(), NOW - 60)).toBe(true)
    expect((await run(signature(), NOW - 60)).status).toBe('valid')
    expect((await run(signature(), NOW + 60, body, [key({ toleranceSeconds: 120 })])).status).toBe('valid')
  })

  it('accepts any h1 (rotation sends one per secret)', async () => {
    expect((await run(signature(NOW, h1(NOW), '0'.repeat(64)))).status).toBe('valid')
    expect((await run(signature(NOW, '0'.repeat(64), h1(NOW)))).status).toBe('valid')
  })

  it('rejects a changed body as the SDK does, explaining whitespace changes', async () => {
    const pretty = JSON.stringify(JSON.parse(body), null, 2)
    expect(await paddleAccepts(signature(), NOW, pretty)).toBe(false)
    expect(outcome(await run(signature(), NOW, pretty))).toMatchObject({ code: 'SIG_MISMATCH', findings: ['BODY_CHANGED'] })
  })

  it('spots base64 instead of hex, and a delivery signed with a DELETED key', async () => {
    const old = makeKey('paddle', { secret: 'pdl_ntfset_previous_secret' }, { status: 'DELETED' })
    const verdict = await run(signature(NOW, h1(NOW, body, 'pdl_ntfset_previous_secret')), NOW, body, [key(), old])
    expect(verdict).toMatchObject({ status: 'invalid', code: 'KEY_DELETED', keyId: old.id })
    const b64 = createHmac('sha256', SECRET).update(`${NOW}:${body}`).digest('base64')
    expect(outcome(await run(signature(NOW, b64)))).toMatchObject({ findings: ['SIGNATURE_ENCODING'] })
  })

  it('gives the header codes and is detected from its header', async () => {
    expect(await run(`h1=${h1()}`)).toMatchObject({ code: 'TIMESTAMP_MISSING' })
    expect(await run(`ts=${NOW}`)).toMatchObject({ code: 'SIG_HEADER_MALFORMED' })
    expect(await run(`ts=soon;h1=${h1()}`)).toMatchObject({ code: 'SIG_HEADER_MALFORMED' })
    expect(await detectedScheme({ 'paddle-signature': signature() }, body)).toMatchObject({ code: 'NO_KEY', scheme: 'paddle' })
  })
})
