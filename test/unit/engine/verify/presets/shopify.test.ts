import { createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { check, detectedScheme, makeKey, makeRequest, outcome, without } from './preset-harness'

// No Shopify library is installed: signed here by the documented algorithm (shopify.dev "Verify a
// webhook": base64 HMAC-SHA256 of the raw body, app client secret as key).
const SECRET = 'shpss_0123456789abcdef0123456789abcdef'
const NOW = 1_700_000_000
const body = '{"id":820982911946154508,"email":"jon@example.com","total_price":"9.99","note":"Grüße"}'
const hmac = (payload: string | Buffer = body, secret: string | Buffer = SECRET, encoding: 'base64' | 'hex' = 'base64') =>
  createHmac('sha256', secret).update(payload).digest(encoding)
const headers = (signature = hmac()) => ({
  'X-Shopify-Hmac-Sha256': signature,
  'X-Shopify-Topic': 'orders/create',
  'X-Shopify-Webhook-Id': 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043',
  'X-Shopify-Shop-Domain': 'example.myshopify.com'
})
const run = (h: Record<string, string>, payload: string = body, keys = [makeKey('shopify', { secret: SECRET })]) => check(makeRequest(h, payload), keys, NOW)

describe('shopify preset', () => {
  it('accepts a body signed by the documented algorithm, with the webhook id as delivery id', async () => {
    const verdict = await run(headers())
    expect(outcome(verdict)).toEqual({ status: 'valid', scheme: 'shopify', code: null, findings: [] })
    expect(verdict.deliveryId).toBe('b54557e4-bdd9-4b37-8a5f-bf7d70bcd043')
  })

  it('spots hex where Shopify sends base64', async () => {
    expect(outcome(await run(headers(hmac(body, SECRET, 'hex'))))).toMatchObject({ code: 'SIG_MISMATCH', findings: ['SIGNATURE_ENCODING'] })
  })

  it('explains a body with non-ASCII re-escaped, and a trailing newline', async () => {
    const escaped = body.replace('ü', '\\u00fc').replace('ß', '\\u00df')
    expect(outcome(await run(headers(), escaped))).toMatchObject({ code: 'SIG_MISMATCH', findings: ['BODY_CHANGED'] })
    expect(outcome(await run(headers(), body + '\n'))).toMatchObject({ code: 'SIG_MISMATCH', findings: ['BODY_CHANGED'] })
  })

  it('uses the secret as typed: a signer that hex-decoded it is a SECRET_DECODING near miss', async () => {
    const hexSecret = 'a3f1'.repeat(16)
    const signature = hmac(body, Buffer.from(hexSecret, 'hex'))
    expect(outcome(await run(headers(signature), body, [makeKey('shopify', { secret: hexSecret })]))).toMatchObject({ findings: ['SECRET_DECODING'] })
  })

  it('gives the header codes and is detected from its header', async () => {
    const bound = makeKey('shopify', { secret: SECRET }, { endpointIds: ['default'] })
    expect(await run(without(headers(), 'X-Shopify-Hmac-Sha256'), body, [bound])).toMatchObject({ code: 'SIG_HEADER_MISSING' })
    expect(await run(headers(' '))).toMatchObject({ code: 'SIG_HEADER_MALFORMED' })
    expect(await detectedScheme(headers(), body)).toMatchObject({ code: 'NO_KEY', scheme: 'shopify' })
  })
})
