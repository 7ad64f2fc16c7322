import { Webhook as StandardWebhook } from 'standardwebhooks'
import { Webhook as SvixWebhook } from 'svix'
import { describe, expect, it } from 'vitest'
import { allSchemes } from '../../../../electron/engine/verify/registry'
import { verifyDelivery } from '../../../../electron/engine/verify/verify-delivery'
import { makeKey, makeRequest } from '../../../helpers/verify-fixtures'

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'
const NOW = 1_700_000_000
const body = '{"type":"invoice.paid","data":{"amount":4200,"currency":"eur","customer":"Zoë"}}'

function signed(secret = SECRET, id = 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W', at = NOW, payload = body) {
  const signature = new StandardWebhook(secret).sign(id, new Date(at * 1000), payload)
  return { 'webhook-id': id, 'webhook-timestamp': String(at), 'webhook-signature': signature }
}

const verify = (headers: Record<string, string>, keys = [makeKey('standard-webhooks', { secret: SECRET })], payload = body, nowSec = NOW) =>
  verifyDelivery(makeRequest(headers, payload), { locked: false, keys }, { schemes: allSchemes, now: nowSec * 1000, checkedAt: 0 })

describe('standard webhooks', () => {
  it('accepts what the official library signs, and reports the delivery id and steps', async () => {
    const verdict = await verify(signed())
    expect(verdict).toMatchObject({ status: 'valid', scheme: 'standard-webhooks', code: null, deliveryId: 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W' })
    expect(verdict.steps.every((step) => step.ok)).toBe(true)
    expect(verdict.signedContent).toBe(`msg_2KWPBgLlAfxdpx2AI54pPJ85f4W.${NOW}.${body}`)
  })

  it('accepts the published vector from the Standard Webhooks / Svix documentation', async () => {
    // From the Standard Webhooks reference tests.
    const headers = {
      'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek',
      'webhook-timestamp': '1614265330',
      'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE='
    }
    const payload = '{"test": 2432232314}'
    const key = makeKey('standard-webhooks', { secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' })
    const verdict = await verify(headers, [key], payload, 1614265330)
    expect(verdict.status).toBe('valid')
  })

  it('accepts several signatures when one matches (rotation), ignoring unknown versions', async () => {
    const headers = signed()
    headers['webhook-signature'] = `v1a,AAAA v1,bm90IHRoaXMgb25l ${headers['webhook-signature']} v2,zzz`
    expect((await verify(headers)).status).toBe('valid')
  })

  it('verifies Svix deliveries signed by the svix library', async () => {
    const id = 'msg_svix_1'
    const signature = new SvixWebhook(SECRET).sign(id, new Date(NOW * 1000), body)
    const headers = { 'svix-id': id, 'svix-timestamp': String(NOW), 'svix-signature': signature }
    const verdict = await verify(headers, [makeKey('svix', { secret: SECRET })])
    expect(verdict).toMatchObject({ status: 'valid', scheme: 'svix' })
  })

  it('says which header is missing', async () => {
    const headers = signed()
    delete (headers as Record<string, string | undefined>)['webhook-timestamp']
    const verdict = await verify(headers)
    expect(verdict).toMatchObject({ status: 'invalid', code: 'SIG_HEADER_MISSING' })
    expect(verdict.summary).toContain('webhook-timestamp')
  })

  it('calls a malformed signature header malformed', async () => {
    expect(await verify({ ...signed(), 'webhook-signature': 'not-a-signature' })).toMatchObject({ code: 'SIG_HEADER_MALFORMED' })
    expect(await verify({ ...signed(), 'webhook-timestamp': '2023-11-14T22:13:20Z' })).toMatchObject({ code: 'SIG_HEADER_MALFORMED' })
  })

  it('reports a stale timestamp with how far outside the window it is', async () => {
    const verdict = await verify(signed(SECRET, 'msg_1', NOW - 900))
    expect(verdict).toMatchObject({ status: 'invalid', code: 'TIMESTAMP_STALE', timestamp: { skewSeconds: 900, toleranceSeconds: 300 } })
    expect(verdict.summary).toContain('600 s older')
  })

  it('reports a timestamp from the future', async () => {
    const verdict = await verify(signed(SECRET, 'msg_1', NOW + 400))
    expect(verdict).toMatchObject({ code: 'TIMESTAMP_FUTURE', timestamp: { skewSeconds: -400 } })
  })

  it('honours a per-key tolerance', async () => {
    const key = makeKey('standard-webhooks', { secret: SECRET }, { options: { toleranceSeconds: 1000 } })
    expect((await verify(signed(SECRET, 'msg_1', NOW - 900), [key])).status).toBe('valid')
  })

  it('rejects every single-byte change to the body (property)', async () => {
    const headers = signed()
    const original = Buffer.from(body)
    for (let i = 0; i < original.length; i++) {
      const changed = Buffer.from(original)
      changed[i] = (changed[i]! + 1 + (i % 255)) % 256
      const verdict = await verifyDelivery(
        makeRequest(headers, changed),
        { locked: false, keys: [makeKey('standard-webhooks', { secret: SECRET })] },
        {
          schemes: allSchemes,
          now: NOW * 1000,
          checkedAt: 0
        }
      )
      expect(verdict.status, `byte ${i}`).toBe('invalid')
    }
  })
})
