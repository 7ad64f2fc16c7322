import { createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { check, detectedScheme, makeKey, makeRequest, outcome, without } from './preset-harness'

// No Coinbase library is installed: signed here by the documented algorithm (Coinbase Commerce
// "Securing webhooks": X-CC-Webhook-Signature = hex HMAC-SHA256 of the raw body, shared secret as key).
const SECRET = '7d5e6a1c-2f4b-4f2a-9d0e-3c8b1a6f5e42'
const NOW = 1_700_000_000
const body =
  '{"id":1,"scheduled_for":"2017-01-31T20:50:02Z","event":{"id":"24934862-d980-46cb-9402-43c81b0cdba6","type":"charge:created","api_version":"2018-03-22"}}'
const sign = (payload = body, secret = SECRET) => createHmac('sha256', secret).update(payload).digest('hex')
const headers = (signature = sign()) => ({ 'X-CC-Webhook-Signature': signature, 'Content-Type': 'application/json' })
const run = (h: Record<string, string>, payload: string = body, keys = [makeKey('coinbase', { secret: SECRET })]) => check(makeRequest(h, payload), keys, NOW)

describe('coinbase preset', () => {
  it('accepts a body signed by the documented algorithm', async () => {
    expect(outcome(await run(headers()))).toEqual({ status: 'valid', scheme: 'coinbase', code: null, findings: [] })
  })

  it('rejects a changed body and explains upper-case hex', async () => {
    expect(outcome(await run(headers(), body.replace('charge:created', 'charge:confirmed')))).toMatchObject({ code: 'SIG_MISMATCH', findings: [] })
    expect(outcome(await run(headers(sign().toUpperCase())))).toMatchObject({ code: 'SIG_MISMATCH', findings: ['SIGNATURE_ENCODING'] })
  })

  it('gives the header codes and is detected from its header', async () => {
    const bound = makeKey('coinbase', { secret: SECRET }, { endpointIds: ['default'] })
    expect(await run(without(headers(), 'X-CC-Webhook-Signature'), body, [bound])).toMatchObject({ code: 'SIG_HEADER_MISSING' })
    expect(await run(headers(''))).toMatchObject({ code: 'SIG_HEADER_MALFORMED' })
    expect(await detectedScheme(headers(), body)).toMatchObject({ code: 'NO_KEY', scheme: 'coinbase' })
  })
})
