import { createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { check, detectedScheme, makeKey, makeRequest, outcome, without } from './preset-harness'

// No Zoom library is installed: signed here by the documented algorithm (developers.zoom.us
// "Verify webhook events": v0= + hex HMAC-SHA256 of "v0:{x-zm-request-timestamp}:{raw body}", Secret Token as key).
const SECRET = 'w3bh00kS3cr3tT0k3n'
const NOW = 1_658_940_994
const body = '{"event":"meeting.started","payload":{"account_id":"AAAAAABBBB","object":{"id":"1234567890","topic":"Standup"}},"event_ts":1658940994112}'
const sign = (ts = NOW, payload = body, secret = SECRET) => 'v0=' + createHmac('sha256', secret).update(`v0:${ts}:${payload}`).digest('hex')
const headers = (signature = sign(), ts = NOW) => ({ 'x-zm-signature': signature, 'x-zm-request-timestamp': String(ts), 'content-type': 'application/json' })
const key = (options: Record<string, unknown> = {}) => makeKey('zoom', { secret: SECRET }, { options })
const run = (h: Record<string, string>, nowSec = NOW, payload: string = body, keys = [key()]) => check(makeRequest(h, payload), keys, nowSec)

describe('zoom preset', () => {
  it('accepts a delivery signed by the documented algorithm', async () => {
    const verdict = await run(headers())
    expect(outcome(verdict)).toEqual({ status: 'valid', scheme: 'zoom', code: null, findings: [] })
    expect(verdict.signedContent).toBe(`v0:${NOW}:${body}`)
  })

  it('covers the timestamp: changing it breaks the signature', async () => {
    expect(outcome(await run(headers(sign(), NOW + 1)))).toMatchObject({ code: 'SIG_MISMATCH' })
  })

  it('applies no window by default (Zoom documents none), and the key tolerance when set', async () => {
    expect((await run(headers(), NOW + 86_400)).status).toBe('valid')
    expect(await run(headers(), NOW + 400, body, [key({ toleranceSeconds: 300 })])).toMatchObject({ code: 'TIMESTAMP_STALE', timestamp: { skewSeconds: 400 } })
  })

  it('explains a re-serialised body', async () => {
    expect(outcome(await run(headers(), NOW, JSON.stringify(JSON.parse(body), null, 2)))).toMatchObject({ findings: ['BODY_CHANGED'] })
  })

  it('gives the header codes and is detected from its header', async () => {
    expect(await run(without(headers(), 'x-zm-request-timestamp'))).toMatchObject({ code: 'TIMESTAMP_MISSING' })
    expect(await run(headers(sign().slice(3)))).toMatchObject({ code: 'SIG_HEADER_MALFORMED' })
    expect(await detectedScheme(headers(), body)).toMatchObject({ code: 'NO_KEY', scheme: 'zoom' })
  })
})
