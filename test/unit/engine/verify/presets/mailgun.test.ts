import { createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { check, detectedScheme, makeKey, makeRequest, outcome } from './preset-harness'

// No Mailgun library is installed: signed here by the documented algorithm (documentation.mailgun.com
// "Securing webhooks": hex HMAC-SHA256 of timestamp + token, HTTP webhook signing key as key).
const SIGNING_KEY = 'key-3ax6xnjp29jd6fds4gc373sgvjxteol0'
const NOW = 1_700_000_000
const TOKEN = 'a8ce0edb2dd8301dee6c2405235584e45aa91d1e9f979f3de0'
const sign = (timestamp: string | number = NOW, token = TOKEN, secret: string | Buffer = SIGNING_KEY) =>
  createHmac('sha256', secret).update(`${timestamp}${token}`).digest('hex')
const payload = (signature = sign(), timestamp: string | number = String(NOW), token = TOKEN, event = 'delivered') =>
  JSON.stringify({ signature: { timestamp, token, signature }, 'event-data': { event, id: 'CPgfbmQMTCKtHW6uIWtuVe', recipient: 'alice@example.com' } })
const key = (options: Record<string, unknown> = {}) => makeKey('mailgun', { secret: SIGNING_KEY }, { options })
const run = (body: string, keys = [key()], nowSec = NOW, headers: Record<string, string> = { 'Content-Type': 'application/json' }) =>
  check(makeRequest(headers, body), keys, nowSec)

describe('mailgun preset', () => {
  it('accepts a JSON webhook signed by the documented algorithm, token as delivery id, and says only fields are signed', async () => {
    const verdict = await run(payload())
    expect(outcome(verdict)).toEqual({ status: 'valid', scheme: 'mailgun', code: null, findings: [] })
    expect(verdict.deliveryId).toBe(TOKEN)
    expect(verdict.signedContent).toBe(`${NOW}${TOKEN}`)
    expect(verdict.steps.map((step) => step.detail).join(' ')).toContain('not covered')
  })

  it('is valid whatever the event data says: the signature covers timestamp + token only', async () => {
    expect((await run(payload(sign(), String(NOW), TOKEN, 'failed'))).status).toBe('valid')
  })

  it('rejects a changed token or timestamp', async () => {
    expect((await run(payload(sign(), String(NOW), TOKEN.replace('a8', 'b8')))).code).toBe('SIG_MISMATCH')
    expect((await run(payload(sign(), String(NOW + 1)))).code).toBe('SIG_MISMATCH')
  })

  it('accepts the legacy form-encoded fields', async () => {
    const form = new URLSearchParams({ timestamp: String(NOW), token: TOKEN, signature: sign(), event: 'delivered' }).toString()
    expect((await run(form, [key()], NOW, { 'Content-Type': 'application/x-www-form-urlencoded' })).status).toBe('valid')
  })

  it('applies a window only when the key sets toleranceSeconds', async () => {
    expect((await run(payload(), [key()], NOW + 86_400)).status).toBe('valid')
    expect(await run(payload(), [key({ toleranceSeconds: 300 })], NOW + 400)).toMatchObject({ code: 'TIMESTAMP_STALE', timestamp: { skewSeconds: 400 } })
  })

  it('spots base64 output and a base64-decoded key', async () => {
    const b64 = createHmac('sha256', SIGNING_KEY).update(`${NOW}${TOKEN}`).digest('base64')
    expect(outcome(await run(payload(b64)))).toMatchObject({ findings: ['SIGNATURE_ENCODING'] })
    const hexKey = '0f1e2d3c4b5a69788796a5b4c3d2e1f0'
    const signed = payload(sign(NOW, TOKEN, Buffer.from(hexKey, 'hex')))
    expect(outcome(await run(signed, [makeKey('mailgun', { secret: hexKey })]))).toMatchObject({ findings: ['SECRET_DECODING'] })
  })

  it('gives the codes for a missing or incomplete signature, and is detected from the body', async () => {
    const bound = makeKey('mailgun', { secret: SIGNING_KEY }, { endpointIds: ['default'] })
    expect(await run(JSON.stringify({ 'event-data': { event: 'delivered' } }), [bound])).toMatchObject({ code: 'SIG_HEADER_MISSING' })
    expect(await run(JSON.stringify({ signature: { timestamp: String(NOW), token: TOKEN } }), [bound])).toMatchObject({ code: 'SIG_HEADER_MALFORMED' })
    expect(await run(payload(sign(), 'noon'))).toMatchObject({ code: 'SIG_HEADER_MALFORMED' })
    expect(await detectedScheme({ 'Content-Type': 'application/json' }, payload())).toMatchObject({ code: 'NO_KEY', scheme: 'mailgun' })
    expect(await detectedScheme({}, '{"signature":"abc","token":"x"}')).toMatchObject({ code: 'NO_SCHEME' })
  })
})
