import { createHmac } from 'node:crypto'
import { WebhooksHelper } from 'square'
import { describe, expect, it } from 'vitest'
import { square as squareScheme } from '../../../../../electron/engine/verify/schemes/presets/square'
import { check, detectedScheme, makeKey, makeRequest, outcome } from './preset-harness'

const KEY = 'asdf1234-_qwerty5678ZXCV' // Square signature keys look base64url; they are used as typed
const NOW = 1_700_000_000
const URL = 'https://hooks.example.test/square'
// Square sends pretty-ish JSON; a proxy that re-serialises it breaks the signature.
const body = JSON.stringify(
  {
    merchant_id: 'ML8M1AQ1GQG2K',
    type: 'payment.updated',
    event_id: '6a8f5f28-54a1-4eb0-a98a-3111513fd4fc',
    data: { id: 'KkAkhdMsgzn59SM8A89WgKwekxLZY', object: { amount: 100 } }
  },
  null,
  2
)
// The SDK verifies but does not sign: signed here as WebhooksHelper recomputes it (base64 HMAC-SHA256 of URL + body).
const sign = (url = URL, payload = body, key = KEY, algorithm = 'sha256') =>
  createHmac(algorithm, key)
    .update(url + payload)
    .digest('base64')
const headers = (signature = sign()) => ({ 'x-square-hmacsha256-signature': signature, 'content-type': 'application/json', 'square-version': '2024-01-18' })
const key = (options: Record<string, unknown> = {}) => makeKey('square', { secret: KEY }, { options })
const run = (h: Record<string, string>, url = URL, payload: string = body, keys = [key()]) => check(makeRequest(h, payload, { url }), keys, NOW)
const squareAccepts = (signature: string, notificationUrl = URL, requestBody = body) =>
  WebhooksHelper.verifySignature({ requestBody, signatureHeader: signature, signatureKey: KEY, notificationUrl })

describe('square preset', () => {
  it('accepts what the Square SDK accepts, with event_id as delivery id', async () => {
    expect(await squareAccepts(sign())).toBe(true)
    const verdict = await run(headers())
    expect(outcome(verdict)).toEqual({ status: 'valid', scheme: 'square', code: null, findings: [] })
    expect(verdict.deliveryId).toBe('6a8f5f28-54a1-4eb0-a98a-3111513fd4fc')
  })

  it('explains a default port or another scheme in the URL as URL_VARIANT', async () => {
    const withPort = sign('https://hooks.example.test:443/square')
    expect(await squareAccepts(withPort)).toBe(false)
    expect(outcome(await run(headers(withPort)))).toMatchObject({ code: 'SIG_MISMATCH', findings: ['URL_VARIANT'] })
    expect(outcome(await run(headers(), 'http://hooks.example.test/square'))).toMatchObject({ code: 'SIG_MISMATCH', findings: ['URL_VARIANT'] })
  })

  it('uses the key option notificationUrl when the request arrives on another URL (tunnel, proxy)', async () => {
    const local = 'http://127.0.0.1:8787/square'
    expect((await run(headers(), local, body, [key({ notificationUrl: URL })])).status).toBe('valid')
    expect(squareScheme.checkKey({ material: { secret: KEY }, options: { notificationUrl: 'hooks/square' }, keyId: null })).toContain('notificationUrl')
    expect(squareScheme.checkKey({ material: { secret: KEY }, options: { notificationUrl: URL }, keyId: null })).toBeNull()
  })

  it('rejects a re-serialised body as the SDK does, and explains it', async () => {
    const compact = JSON.stringify(JSON.parse(body))
    expect(await squareAccepts(sign(), URL, compact)).toBe(false)
    expect(outcome(await run(headers(), URL, compact))).toMatchObject({ code: 'SIG_MISMATCH', findings: ['BODY_CHANGED'] })
  })

  it('uses the key as typed: a signer that base64-decoded it is a SECRET_DECODING near miss; hex output is SIGNATURE_ENCODING', async () => {
    const decoded = createHmac('sha256', Buffer.from(KEY, 'base64url'))
      .update(URL + body)
      .digest('base64')
    expect(outcome(await run(headers(decoded)))).toMatchObject({ findings: ['SECRET_DECODING'] })
    const hex = createHmac('sha256', KEY)
      .update(URL + body)
      .digest('hex')
    expect(outcome(await run(headers(hex)))).toMatchObject({ findings: ['SIGNATURE_ENCODING'] })
  })

  it('falls back to the legacy HMAC-SHA1 x-square-signature', async () => {
    expect((await run({ 'x-square-signature': sign(URL, body, KEY, 'sha1') })).status).toBe('valid')
  })

  it('gives the header codes and is detected from its header', async () => {
    const bound = makeKey('square', { secret: KEY }, { endpointIds: ['default'] })
    expect(await run({ 'content-type': 'application/json' }, URL, body, [bound])).toMatchObject({ code: 'SIG_HEADER_MISSING' })
    expect(await run(headers(''))).toMatchObject({ code: 'SIG_HEADER_MALFORMED' })
    expect(await detectedScheme(headers(), body)).toMatchObject({ code: 'NO_KEY', scheme: 'square' })
  })
})
