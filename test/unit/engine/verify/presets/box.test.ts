import { createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { box as boxScheme } from '../../../../../electron/engine/verify/schemes/presets/box'
import { check, detectedScheme, makeKey, makeRequest, outcome, without } from './preset-harness'

// No Box SDK is installed: signed here by the documented algorithm (developer.box.com "Signature
// verification": base64 HMAC-SHA256 of the raw body followed by box-delivery-timestamp, one key per header).
const PRIMARY = 'SamplePrimaryKey1234567890abcdef'
const SECONDARY = 'SampleSecondaryKey0987654321fedc'
const TIMESTAMP = '2023-11-14T14:13:20-08:00'
const NOW = Date.parse(TIMESTAMP) / 1000
const body =
  '{"type":"webhook_event","id":"eb0e4e06-4b17-4b7f-9d2e-1b5a8c4e8f3d","trigger":"FILE.UPLOADED","source":{"id":"12345","type":"file","name":"Résumé.pdf"}}'
const sign = (secret: string, ts = TIMESTAMP, payload = body) => createHmac('sha256', secret).update(payload).update(ts).digest('base64')
const headers = (primary = sign(PRIMARY), secondary = sign(SECONDARY), ts = TIMESTAMP): Record<string, string> => ({
  'box-delivery-id': 'f96bb54b-ee16-4fc5-aa65-8c2d9e5b546f',
  'box-delivery-timestamp': ts,
  'box-signature-algorithm': 'HmacSHA256',
  'box-signature-primary': primary,
  'box-signature-secondary': secondary,
  'box-signature-version': '1'
})
const key = (secret: string, options: Record<string, unknown> = {}) => makeKey('box', { secret }, { options })
const run = (h: Record<string, string>, keys = [key(PRIMARY)], nowSec = NOW, payload: string = body) => check(makeRequest(h, payload), keys, nowSec)

describe('box preset', () => {
  it('accepts the primary and the secondary key, each as its own keyring entry', async () => {
    const verdict = await run(headers())
    expect(outcome(verdict)).toEqual({ status: 'valid', scheme: 'box', code: null, findings: [] })
    expect(verdict.deliveryId).toBe('f96bb54b-ee16-4fc5-aa65-8c2d9e5b546f')
    expect((await run(headers(), [key(SECONDARY)])).status).toBe('valid')
  })

  it('pins an entry to its header with the signatureKey option', async () => {
    expect((await run(headers(), [key(SECONDARY, { signatureKey: 'primary' })])).code).toBe('SIG_MISMATCH')
    expect((await run(headers(), [key(SECONDARY, { signatureKey: 'secondary' })])).status).toBe('valid')
    expect(boxScheme.checkKey({ material: { secret: PRIMARY }, options: { signatureKey: 'tertiary' }, keyId: null })).toContain('signatureKey')
  })

  it('refuses deliveries more than 10 minutes old, allows future ones', async () => {
    expect(await run(headers(), [key(PRIMARY)], NOW + 601)).toMatchObject({ code: 'TIMESTAMP_STALE', timestamp: { skewSeconds: 601, toleranceSeconds: 600 } })
    expect((await run(headers(), [key(PRIMARY)], NOW - 3600)).status).toBe('valid')
  })

  it('explains a changed body and hex output', async () => {
    expect(outcome(await run(headers(), [key(PRIMARY)], NOW, JSON.stringify(JSON.parse(body), null, 2)))).toMatchObject({ findings: ['BODY_CHANGED'] })
    const hex = createHmac('sha256', PRIMARY).update(body).update(TIMESTAMP).digest('hex')
    expect(outcome(await run(headers(hex, '')))).toMatchObject({ code: 'SIG_MISMATCH', findings: ['SIGNATURE_ENCODING'] })
  })

  it('gives the header codes and is detected from its headers', async () => {
    expect(await run(without(headers(), 'box-delivery-timestamp'))).toMatchObject({ code: 'TIMESTAMP_MISSING' })
    expect(await run({ ...headers(), 'box-signature-version': '2' })).toMatchObject({ code: 'SIG_HEADER_MALFORMED' })
    expect(await run({ ...headers(), 'box-signature-algorithm': 'HmacSHA1' })).toMatchObject({ code: 'SIG_HEADER_MALFORMED' })
    expect(await run({ ...headers(), 'box-delivery-timestamp': 'yesterday' })).toMatchObject({ code: 'SIG_HEADER_MALFORMED' })
    expect(await run(without(headers(), 'box-signature-primary'), [key(PRIMARY, { signatureKey: 'primary' })])).toMatchObject({ code: 'SIG_HEADER_MISSING' })
    expect(await detectedScheme(headers(), body)).toMatchObject({ code: 'NO_KEY', scheme: 'box' })
  })
})
