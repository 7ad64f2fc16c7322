import { createHmac } from 'node:crypto'
import { LinearWebhookClient } from '@linear/sdk/webhooks'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { check, detectedScheme, makeKey, makeRequest, outcome, without } from './preset-harness'

const SECRET = 'lin_wh_5f2b7c9e1a3d4f6b8c0e2a4d6f8b0c2e'
const NOW_MS = 1_700_000_000_000
const NOW = NOW_MS / 1000
const payload = (webhookTimestamp: unknown = NOW_MS - 2_000) =>
  JSON.stringify({ action: 'create', type: 'Issue', data: { id: 'c2b1e1f0', title: 'Café crash' }, url: 'https://linear.app/x/issue/ENG-1', webhookTimestamp })
// @linear/sdk has no signing helper: signed here as LinearWebhookClient.verify recomputes it.
const sign = (body: string, secret = SECRET) => createHmac('sha256', secret).update(body).digest('hex')
const headers = (body: string, signature = sign(body)) => ({
  'Linear-Signature': signature,
  'Linear-Delivery': '234d1a4e-b617-4388-90fe-adc3633d6b72',
  'Linear-Event': 'Issue',
  'Content-Type': 'application/json'
})
const key = (options: Record<string, unknown> = {}) => makeKey('linear', { secret: SECRET }, { options })
const run = (h: Record<string, string>, body: string, nowSec = NOW, keys = [key()]) => check(makeRequest(h, body), keys, nowSec)

/** The official client's verdict with its clock at `nowMs`. */
function linearAccepts(body: string, signature: string, nowMs = NOW_MS): boolean {
  vi.setSystemTime(nowMs)
  try {
    return new LinearWebhookClient(SECRET).verify(Buffer.from(body), signature)
  } catch {
    return false
  }
}

describe('linear preset', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] })
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('accepts what @linear/sdk accepts, with Linear-Delivery as delivery id', async () => {
    const body = payload()
    expect(linearAccepts(body, sign(body))).toBe(true)
    const verdict = await run(headers(body), body)
    expect(outcome(verdict)).toEqual({ status: 'valid', scheme: 'linear', code: null, findings: [] })
    expect(verdict.deliveryId).toBe('234d1a4e-b617-4388-90fe-adc3633d6b72')
  })

  it('judges webhookTimestamp (ms, in the signed body) within ±60 s, as the SDK does', async () => {
    const old = payload(NOW_MS - 61_000)
    expect(linearAccepts(old, sign(old))).toBe(false)
    expect(await run(headers(old), old)).toMatchObject({ code: 'TIMESTAMP_STALE', timestamp: { skewSeconds: 61, toleranceSeconds: 60 } })
    const ahead = payload(NOW_MS + 61_000)
    expect(linearAccepts(ahead, sign(ahead))).toBe(false)
    expect(await run(headers(ahead), ahead)).toMatchObject({ code: 'TIMESTAMP_FUTURE' })
    expect((await run(headers(old), old, NOW, [key({ toleranceSeconds: 120 })])).status).toBe('valid')
  })

  it('rejects a changed body like the SDK, explaining a pretty-printed one', async () => {
    const body = payload()
    const pretty = JSON.stringify(JSON.parse(body), null, 2)
    expect(linearAccepts(pretty, sign(body))).toBe(false)
    expect(outcome(await run(headers(body), pretty))).toMatchObject({ code: 'SIG_MISMATCH', findings: ['BODY_CHANGED'] })
  })

  it('spots base64 where Linear sends hex', async () => {
    const body = payload()
    const b64 = createHmac('sha256', SECRET).update(body).digest('base64')
    expect(outcome(await run(headers(body, b64), body))).toMatchObject({ findings: ['SIGNATURE_ENCODING'] })
  })

  it('needs webhookTimestamp in a JSON body', async () => {
    const missing = JSON.stringify({ action: 'create', type: 'Issue' })
    expect(await run(headers(missing), missing)).toMatchObject({ code: 'TIMESTAMP_MISSING' })
    const text = payload('yesterday')
    expect(await run(headers(text), text)).toMatchObject({ code: 'PAYLOAD_MALFORMED' })
    expect(await run(headers('not json'), 'not json')).toMatchObject({ code: 'PAYLOAD_MALFORMED' })
  })

  it('gives the header code and is detected from its header', async () => {
    const body = payload()
    const bound = makeKey('linear', { secret: SECRET }, { endpointIds: ['default'] })
    expect(await run(without(headers(body), 'Linear-Signature'), body, NOW, [bound])).toMatchObject({ code: 'SIG_HEADER_MISSING' })
    expect(await detectedScheme(headers(body), body)).toMatchObject({ code: 'NO_KEY', scheme: 'linear' })
  })
})
