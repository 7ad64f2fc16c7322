import { createHmac } from 'node:crypto'
import { hmacValidator as HmacValidator } from '@adyen/api-library'
import { describe, expect, it } from 'vitest'
import { adyen as adyenScheme } from '../../../../../electron/engine/verify/schemes/presets/adyen'
import { check, detectedScheme, makeKey, makeRequest, outcome } from './preset-harness'

const HMAC_KEY = '44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056'
const NOW = 1_700_000_000
const validator = new HmacValidator()

// Shape of a NotificationRequestItem (types as Adyen sends them: amount.value a number, success a string).
const item = (overrides: Record<string, unknown> = {}) => ({
  additionalData: {} as Record<string, unknown>,
  amount: { currency: 'EUR', value: 1130 },
  eventCode: 'AUTHORISATION',
  eventDate: '2023-11-14T22:13:20+01:00',
  merchantAccountCode: 'YourMerchantAccount',
  merchantReference: 'order-Zoë-42',
  paymentMethod: 'visa',
  pspReference: 'QFQTPCQ8HXSKGK82',
  reason: '033899:1111:03/2030',
  success: 'true',
  ...overrides
})
/** Signs each item with the official HmacValidator and puts the signature where Adyen does. */
function notification(items = [item()], key = HMAC_KEY) {
  const signed = items.map((entry) => {
    const copy = structuredClone(entry)
    copy.additionalData.hmacSignature = validator.calculateHmac(copy as never, key)
    return { NotificationRequestItem: copy }
  })
  return { live: 'false', notificationItems: signed }
}
const key = (secret = HMAC_KEY, options: Record<string, unknown> = {}) => makeKey('adyen', { secret }, { options })
const run = (body: string, keys = [key()], headers: Record<string, string> = { 'Content-Type': 'application/json' }) =>
  check(makeRequest(headers, body), keys, NOW)

describe('adyen preset', () => {
  it('accepts a notification signed by the official HmacValidator (8 fields, hex key), which also accepts it', async () => {
    const body = notification()
    const signedItem = body.notificationItems[0]!.NotificationRequestItem
    expect(validator.validateHMAC(signedItem as never, HMAC_KEY)).toBe(true)
    const verdict = await run(JSON.stringify(body))
    expect(outcome(verdict)).toEqual({ status: 'valid', scheme: 'adyen', code: null, findings: [] })
    expect(verdict.signedContent).toBe('QFQTPCQ8HXSKGK82::YourMerchantAccount:order-Zoë-42:1130:EUR:AUTHORISATION:true')
    expect(verdict.deliveryId).toBe('QFQTPCQ8HXSKGK82:AUTHORISATION:true')
  })

  it('signs fields only: unsigned fields may change, a signed one may not (same as the SDK)', async () => {
    const body = notification()
    const signedItem = body.notificationItems[0]!.NotificationRequestItem
    expect((await run(JSON.stringify({ ...body, live: 'true' }))).status).toBe('valid')
    const tampered = { ...signedItem, amount: { currency: 'EUR', value: 1 } }
    expect(validator.validateHMAC(tampered as never, HMAC_KEY)).toBe(false)
    const changed = { ...body, notificationItems: [{ NotificationRequestItem: tampered }] }
    expect(outcome(await run(JSON.stringify(changed)))).toMatchObject({ code: 'SIG_MISMATCH', findings: [] })
  })

  it('checks every item of a batch and names the failing one', async () => {
    const batch = notification([item(), item({ pspReference: 'SECONDPSP00000001' })])
    expect((await run(JSON.stringify(batch))).status).toBe('valid')
    batch.notificationItems[1]!.NotificationRequestItem.merchantReference = 'changed'
    const verdict = await run(JSON.stringify(batch))
    expect(outcome(verdict)).toMatchObject({ code: 'SIG_MISMATCH' })
    expect(verdict.summary).toContain('Item 2 of 2')
  })

  it('reads the key as hex: a signer that used the key text is a SECRET_DECODING near miss', async () => {
    const raw = item()
    const fields = validator.getDataToSign(raw as never)
    raw.additionalData.hmacSignature = createHmac('sha256', HMAC_KEY).update(fields).digest('base64')
    const body = { live: 'false', notificationItems: [{ NotificationRequestItem: raw }] }
    expect(outcome(await run(JSON.stringify(body)))).toMatchObject({ code: 'SIG_MISMATCH', findings: ['SECRET_DECODING'] })
  })

  it('spots hex output without blaming the (unsigned) body', async () => {
    const raw = item()
    raw.additionalData.hmacSignature = createHmac('sha256', Buffer.from(HMAC_KEY, 'hex'))
      .update(validator.getDataToSign(raw as never))
      .digest('hex')
    const body = JSON.stringify({ live: 'false', notificationItems: [{ NotificationRequestItem: raw }] }, null, 2)
    expect(outcome(await run(body))).toMatchObject({ code: 'SIG_MISMATCH', findings: ['SIGNATURE_ENCODING'] })
  })

  it('verifies the HmacSignature header variant (base64 over the raw body), as validateHMACSignature does', async () => {
    const body =
      '{"data":{"balancePlatform":"YourBalancePlatform","accountHolder":{"id":"AH32272223222B5CM4MWJ892H"}},"environment":"test","type":"balancePlatform.accountHolder.updated"}'
    const signature = validator.calculateHmac(body, HMAC_KEY)
    expect(validator.validateHMACSignature(HMAC_KEY, signature, body)).toBe(true)
    const headers = { HmacSignature: signature, Protocol: 'HmacSHA256', 'Content-Type': 'application/json' }
    expect(outcome(await run(body, [key()], headers))).toEqual({ status: 'valid', scheme: 'adyen', code: null, findings: [] })
    expect(validator.validateHMACSignature(HMAC_KEY, signature, body + '\n')).toBe(false)
    expect(outcome(await run(body + '\n', [key()], headers))).toMatchObject({ code: 'SIG_MISMATCH', findings: ['BODY_CHANGED'] })
    // mode: 'notification' ignores the header and wants the classic body.
    expect(await run(body, [key(HMAC_KEY, { mode: 'notification' })], headers)).toMatchObject({ code: 'PAYLOAD_MALFORMED' })
  })

  it('gives the codes for missing signatures and bad keys', async () => {
    const unsigned = { live: 'false', notificationItems: [{ NotificationRequestItem: item() }] }
    expect(await run(JSON.stringify(unsigned))).toMatchObject({ code: 'SIG_HEADER_MISSING' })
    const bound = key(HMAC_KEY, { mode: 'header' })
    expect(await run(JSON.stringify(notification()), [bound])).toMatchObject({ code: 'SIG_HEADER_MISSING' })
    expect(adyenScheme.checkKey({ material: { secret: 'not-hex' }, options: {}, keyId: null })).toContain('hex')
    expect(adyenScheme.checkKey({ material: { secret: HMAC_KEY }, options: { mode: 'soap' }, keyId: null })).toContain('mode')
    expect(adyenScheme.checkKey({ material: { secret: HMAC_KEY }, options: {}, keyId: null })).toBeNull()
  })

  it('is detected from the notification body or the HmacSignature header', async () => {
    expect(await detectedScheme({ 'Content-Type': 'application/json' }, JSON.stringify(notification()))).toMatchObject({ code: 'NO_KEY', scheme: 'adyen' })
    expect(await detectedScheme({ HmacSignature: 'abc=', Protocol: 'HmacSHA256' }, '{}')).toMatchObject({ code: 'NO_KEY', scheme: 'adyen' })
  })
})
