import { createHash, createHmac } from 'node:crypto'
import { hmacValidator as HmacValidator } from '@adyen/api-library'
import { Signature } from '@hubspot/api-client'
import { LinearWebhookClient } from '@linear/sdk/webhooks'
import { Paddle } from '@paddle/paddle-node-sdk'
import { WebhooksHelper } from 'square'
import twilio from 'twilio'
import { describe, expect, it } from 'vitest'
import { signRequest } from '../../../../electron/engine/sign/sign-request'
import { expectVerifies, headerOf, makeKey, NOW, pinDateToSigningClock, resign, signInput, URL } from './sign-harness'

pinDateToSigningClock()

const json = JSON.stringify({ id: 'evt_1', type: 'order.created', data: { total: '12.00', name: 'Zoë' } })
const hex = (algorithm: string, secret: string | Buffer, content: string | Buffer) => createHmac(algorithm, secret).update(content).digest('hex')
const b64 = (algorithm: string, secret: string | Buffer, content: string | Buffer) => createHmac(algorithm, secret).update(content).digest('base64')

/** Signs `body` with a fresh key of `scheme`, checks Hookscope verifies it, and returns both. */
async function roundTrip(
  scheme: string,
  secret: string,
  headers: Record<string, string>,
  body = json,
  extra: { options?: Record<string, unknown>; url?: string } = {}
) {
  const key = makeKey(scheme, { secret }, { options: extra.options ?? {} })
  const decoy = makeKey(scheme, { secret: `${secret}-other` }, { options: extra.options ?? {} })
  const input = signInput(headers, body, extra.url ? { url: extra.url } : {})
  const signed = resign(input, key)
  await expectVerifies(signed, input, key, [decoy, key])
  return { signed, input, key }
}

describe('HMAC presets re-sign so that Hookscope and the providers SDKs accept them', () => {
  it('Shopify: base64 of the body, fresh webhook id', async () => {
    const { signed } = await roundTrip('shopify', 'shpss_secret', {
      'X-Shopify-Topic': 'orders/create',
      'X-Shopify-Hmac-Sha256': 'x',
      'X-Shopify-Webhook-Id': 'old'
    })
    expect(headerOf(signed, 'X-Shopify-Hmac-Sha256')).toBe(b64('sha256', 'shpss_secret', json))
    expect(headerOf(signed, 'X-Shopify-Webhook-Id')).not.toBe('old')
  })

  it('Slack: v0 over v0:ts:body with a fresh timestamp', async () => {
    const { signed } = await roundTrip('slack', '8f742231b10e8888abcd99yyyzzz85a5', { 'X-Slack-Signature': 'v0=00', 'X-Slack-Request-Timestamp': '1' })
    expect(headerOf(signed, 'X-Slack-Request-Timestamp')).toBe(String(NOW / 1000))
    expect(headerOf(signed, 'X-Slack-Signature')).toBe(`v0=${hex('sha256', '8f742231b10e8888abcd99yyyzzz85a5', `v0:${NOW / 1000}:${json}`)}`)
  })

  it('Zoom, PagerDuty, Coinbase, Intercom and Twitch', async () => {
    const zoom = await roundTrip('zoom', 'zoom-secret', { 'x-zm-signature': 'v0=1', 'x-zm-request-timestamp': '1' })
    expect(headerOf(zoom.signed, 'x-zm-signature')).toBe(`v0=${hex('sha256', 'zoom-secret', `v0:${NOW / 1000}:${json}`)}`)
    const pagerduty = await roundTrip('pagerduty', 'pd-secret', { 'X-PagerDuty-Signature': 'v1=aa,v1=bb' })
    expect(headerOf(pagerduty.signed, 'X-PagerDuty-Signature')).toBe(`v1=${hex('sha256', 'pd-secret', json)}`)
    const coinbase = await roundTrip('coinbase', 'cb-secret', { 'X-CC-Webhook-Signature': 'aa' })
    expect(headerOf(coinbase.signed, 'X-CC-Webhook-Signature')).toBe(hex('sha256', 'cb-secret', json))
    const intercomBody = JSON.stringify({ type: 'notification_event', id: 'notif_1', topic: 'ping' })
    const intercom = await roundTrip('intercom', 'ic-secret', { 'X-Hub-Signature': 'sha1=00' }, intercomBody)
    expect(headerOf(intercom.signed, 'X-Hub-Signature')).toBe(`sha1=${hex('sha1', 'ic-secret', intercomBody)}`)
    const twitch = await roundTrip('twitch', 'twitch-secret', {
      'Twitch-Eventsub-Message-Signature': 'sha256=00',
      'Twitch-Eventsub-Message-Id': 'old',
      'Twitch-Eventsub-Message-Timestamp': '2019-11-16T10:11:12.634234626Z'
    })
    const id = headerOf(twitch.signed, 'Twitch-Eventsub-Message-Id')!
    expect(headerOf(twitch.signed, 'Twitch-Eventsub-Message-Timestamp')).toBe('2023-11-14T22:13:20Z')
    expect(headerOf(twitch.signed, 'Twitch-Eventsub-Message-Signature')).toBe(`sha256=${hex('sha256', 'twitch-secret', `${id}2023-11-14T22:13:20Z${json}`)}`)
  })

  it('Paddle: ts and h1 that the Paddle SDK accepts', async () => {
    const SECRET = 'pdl_ntfset_01gkpjp8bkm3tm53kdgkx6sms7_6h3qd3uFSi9YCD3OLYAShQI90XTI5vEI'
    const body = JSON.stringify({ event_id: 'evt_01', event_type: 'subscription.created', notification_id: 'ntf_01', data: {} })
    const { signed } = await roundTrip('paddle', SECRET, { 'Paddle-Signature': 'ts=1;h1=00' }, body)
    expect(await new Paddle('test_api_key').webhooks.isSignatureValid(body, SECRET, headerOf(signed, 'Paddle-Signature')!)).toBe(true)
  })

  it('Linear: webhookTimestamp set to now inside the body text, which @linear/sdk accepts', async () => {
    const SECRET = 'lin_wh_secret'
    const body = '{\n  "action": "create",\n  "type": "Issue",\n  "data": {"id": "1"},\n  "webhookTimestamp": 1600000000000\n}'
    const { signed } = await roundTrip('linear', SECRET, { 'Linear-Signature': 'aa', 'Linear-Delivery': 'old', 'Linear-Event': 'Issue' }, body)
    expect(signed.body.toString()).toBe(body.replace('1600000000000', String(NOW)))
    expect(new LinearWebhookClient(SECRET).verify(signed.body, headerOf(signed, 'Linear-Signature')!)).toBe(true)
    expect(signRequest(signInput({}, 'not json'), makeKey('linear', { secret: SECRET }))).toMatchObject({ ok: false, code: 'PAYLOAD_UNSUITABLE' })
  })

  it('Square: URL + body, which the square SDK accepts for the same URL; the legacy sha1 header too', async () => {
    const KEY = 'asdf1234-square-signature-key'
    const { signed } = await roundTrip('square', KEY, { 'x-square-hmacsha256-signature': 'x', 'x-square-signature': 'y' })
    expect(
      await WebhooksHelper.verifySignature({
        requestBody: json,
        signatureHeader: headerOf(signed, 'x-square-hmacsha256-signature')!,
        signatureKey: KEY,
        notificationUrl: URL
      })
    ).toBe(true)
    expect(headerOf(signed, 'x-square-signature')).toBe(b64('sha1', KEY, URL + json))
  })

  it('Square with the key option notificationUrl signs that URL wherever the request goes', async () => {
    const KEY = 'asdf1234-square-signature-key'
    const notificationUrl = 'https://example.com/square'
    const { signed } = await roundTrip('square', KEY, {}, json, { options: { notificationUrl }, url: 'http://127.0.0.1:3000/square' })
    expect(
      await WebhooksHelper.verifySignature({
        requestBody: json,
        signatureHeader: headerOf(signed, 'x-square-hmacsha256-signature')!,
        signatureKey: KEY,
        notificationUrl
      })
    ).toBe(true)
  })

  it('Twilio forms: URL + sorted parameters, which twilio.validateRequest accepts', async () => {
    const TOKEN = '12345-twilio-auth-token'
    const params = { CallSid: 'CA1234567890ABCDE', Caller: '+12349013030', Digits: '1234', From: '+12349013030', To: '+18005551212' }
    const url = 'https://mycompany.com/myapp.php?foo=1&bar=2'
    const { signed } = await roundTrip(
      'twilio',
      TOKEN,
      { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Twilio-Signature': 'x' },
      new URLSearchParams(params).toString(),
      { url }
    )
    expect(signed.url).toBeUndefined()
    expect(twilio.validateRequest(TOKEN, headerOf(signed, 'X-Twilio-Signature')!, url, params)).toBe(true)
  })

  it('Twilio JSON: bodySHA256 recomputed for an edited body (or added), which validateRequestWithBody accepts', async () => {
    const TOKEN = '12345-twilio-auth-token'
    const edited = JSON.stringify({ status: 'delivered', sid: 'SM1' })
    const stale = `https://mycompany.com/status?bodySHA256=${createHash('sha256').update('{}').digest('hex')}&x=1`
    const { signed } = await roundTrip('twilio', TOKEN, { 'Content-Type': 'application/json', 'X-Twilio-Signature': 'x' }, edited, { url: stale })
    expect(signed.url).toBe(stale.replace(/bodySHA256=[0-9a-f]+/, `bodySHA256=${createHash('sha256').update(edited).digest('hex')}`))
    expect(twilio.validateRequestWithBody(TOKEN, headerOf(signed, 'X-Twilio-Signature')!, signed.url!, edited)).toBe(true)

    const added = await roundTrip('twilio', TOKEN, { 'Content-Type': 'application/json' }, edited, { url: 'https://mycompany.com/status' })
    expect(added.signed.url).toMatch(/^https:\/\/mycompany\.com\/status\?bodySHA256=[0-9a-f]{64}$/)
    expect(twilio.validateRequestWithBody(TOKEN, headerOf(added.signed, 'X-Twilio-Signature')!, added.signed.url!, edited)).toBe(true)
  })

  it('Twilio refuses an edited JSON body when the key pins a webhookUrl with another bodySHA256', () => {
    const key = makeKey('twilio', { secret: 't' }, { options: { webhookUrl: `https://a.test/s?bodySHA256=${'0'.repeat(64)}` } })
    expect(signRequest(signInput({ 'Content-Type': 'application/json' }, json), key)).toMatchObject({ ok: false, code: 'PAYLOAD_UNSUITABLE' })
  })

  it('HubSpot v3 (and the legacy v1/v2 a legacy request asks for), as @hubspot/api-client accepts', async () => {
    const SECRET = 'hubspot-client-secret'
    const body = '[{"eventId":1,"subscriptionType":"contact.creation","objectId":123}]'
    const v3 = await roundTrip('hubspot', SECRET, { 'X-HubSpot-Signature-v3': 'x', 'X-HubSpot-Request-Timestamp': '1' }, body)
    expect(headerOf(v3.signed, 'X-HubSpot-Request-Timestamp')).toBe(String(NOW))
    expect(
      Signature.isValid({
        signatureVersion: 'v3',
        signature: headerOf(v3.signed, 'X-HubSpot-Signature-v3')!,
        clientSecret: SECRET,
        requestBody: body,
        url: URL,
        timestamp: NOW
      })
    ).toBe(true)
    for (const version of ['v1', 'v2'] as const) {
      const legacy = await roundTrip('hubspot', SECRET, { 'X-HubSpot-Signature': 'x', 'X-HubSpot-Signature-Version': version }, body)
      expect(
        Signature.isValid({
          signatureVersion: version,
          signature: headerOf(legacy.signed, 'X-HubSpot-Signature')!,
          clientSecret: SECRET,
          requestBody: body,
          url: URL
        })
      ).toBe(true)
    }
  })

  it('Box: primary (or, by key option, secondary) over body + RFC 3339 timestamp', async () => {
    const primary = await roundTrip('box', 'box-primary', {
      'box-signature-primary': 'x',
      'box-delivery-timestamp': '2020-01-01T00:00:00-08:00',
      'box-delivery-id': 'old'
    })
    expect(headerOf(primary.signed, 'box-delivery-timestamp')).toBe('2023-11-14T22:13:20Z')
    expect(headerOf(primary.signed, 'box-signature-primary')).toBe(b64('sha256', 'box-primary', `${json}2023-11-14T22:13:20Z`))
    const secondary = await roundTrip('box', 'box-secondary', {}, json, { options: { signatureKey: 'secondary' } })
    expect(headerOf(secondary.signed, 'box-signature-secondary')).toBe(b64('sha256', 'box-secondary', `${json}2023-11-14T22:13:20Z`))
    expect(headerOf(secondary.signed, 'box-signature-primary')).toBeUndefined()
  })

  it('Mailgun: a fresh timestamp and token in the body (JSON and form)', async () => {
    const body = JSON.stringify({ signature: { timestamp: '1', token: 'old', signature: 'x' }, 'event-data': { event: 'delivered' } }, null, 2)
    const { signed } = await roundTrip('mailgun', 'mg-key', { 'Content-Type': 'application/json' }, body)
    const block = JSON.parse(signed.body.toString()).signature
    expect(block.timestamp).toBe(String(NOW / 1000))
    expect(block.token).toMatch(/^[0-9a-f]{50}$/)
    expect(block.signature).toBe(hex('sha256', 'mg-key', `${block.timestamp}${block.token}`))
    expect(signed.body.toString()).toContain('\n  "event-data"')
    const form = await roundTrip(
      'mailgun',
      'mg-key',
      { 'Content-Type': 'application/x-www-form-urlencoded' },
      'event=delivered&timestamp=1&token=old&signature=x'
    )
    expect(new URLSearchParams(form.signed.body.toString()).get('event')).toBe('delivered')
  })

  it('Adyen notifications: every item signed as the Adyen library computes; the header mode too', async () => {
    const HMAC_KEY = '44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056'
    const validator = new HmacValidator()
    const item = (psp: string) => ({
      NotificationRequestItem: {
        additionalData: { hmacSignature: 'x' },
        amount: { currency: 'EUR', value: 1130 },
        eventCode: 'AUTHORISATION',
        merchantAccountCode: 'Acme',
        merchantReference: 'order-42',
        pspReference: psp,
        success: 'true'
      }
    })
    const body = JSON.stringify({ live: 'false', notificationItems: [item('A1'), item('B2')] })
    const { signed } = await roundTrip('adyen', HMAC_KEY, { 'Content-Type': 'application/json' }, body)
    for (const entry of JSON.parse(signed.body.toString()).notificationItems) expect(validator.validateHMAC(entry.NotificationRequestItem, HMAC_KEY)).toBe(true)
    const header = await roundTrip('adyen', HMAC_KEY, { HmacSignature: 'x', Protocol: 'HmacSHA256' }, json)
    expect(validator.validateHMACSignature(HMAC_KEY, headerOf(header.signed, 'HmacSignature')!, json)).toBe(true)
  })

  it('GitLab: the token itself, fresh UUIDs where present', async () => {
    const { signed } = await roundTrip('gitlab', 'glpat-token', { 'X-Gitlab-Event': 'Push Hook', 'X-Gitlab-Webhook-UUID': 'old' })
    expect(headerOf(signed, 'X-Gitlab-Token')).toBe('glpat-token')
    expect(headerOf(signed, 'X-Gitlab-Webhook-UUID')).not.toBe('old')
    expect(headerOf(signed, 'Idempotency-Key')).toBeUndefined()
  })
})
