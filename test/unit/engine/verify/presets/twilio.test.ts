import { createHash, createHmac } from 'node:crypto'
import twilio from 'twilio'
import { describe, expect, it } from 'vitest'
import { twilio as twilioScheme } from '../../../../../electron/engine/verify/schemes/presets/twilio'
import { check, detectedScheme, makeKey, makeRequest, outcome } from './preset-harness'

const TOKEN = '12345abcdefghijklmnopqrstuvwxyz0'
const NOW = 1_700_000_000
const URL_FORM = 'https://hooks.example.test/twilio/sms?source=prod'
const params = { To: '+15558675310', From: '+14158675309', Body: 'Hello Zoë & co', MessageSid: 'SM1234', MediaUrl0: 'https://example.test/a.png' }
const form = new URLSearchParams(params).toString()
const formHeaders = (signature: string) => ({
  'X-Twilio-Signature': signature,
  'Content-Type': 'application/x-www-form-urlencoded',
  'I-Twilio-Idempotency-Token': '5b2b8a7d-2a3e-4a8e-9d7c-1e0f3b7a9c21'
})
const key = (options: Record<string, unknown> = {}) => makeKey('twilio', { secret: TOKEN }, { options })
const run = (headers: Record<string, string>, body: string, url: string, keys = [key()]) => check(makeRequest(headers, body, { url }), keys, NOW)

const jsonBody = '{"event":"com.twilio.messaging.message.delivered","data":{"messageSid":"SM1234"}}'
const jsonUrl = (payload = jsonBody) => `https://hooks.example.test/twilio/events?bodySHA256=${twilio.getExpectedBodyHash(payload)}`

describe('twilio preset', () => {
  it('accepts a form POST signed by twilio-node (URL + sorted params), with the idempotency token as delivery id', async () => {
    const signature = twilio.getExpectedTwilioSignature(TOKEN, URL_FORM, params)
    expect(twilio.validateRequest(TOKEN, signature, URL_FORM, params)).toBe(true)
    const verdict = await run(formHeaders(signature), form, URL_FORM)
    expect(outcome(verdict)).toEqual({ status: 'valid', scheme: 'twilio', code: null, findings: [] })
    expect(verdict.deliveryId).toBe('5b2b8a7d-2a3e-4a8e-9d7c-1e0f3b7a9c21')
  })

  it('sorts repeated parameters the way twilio-node does', async () => {
    const repeated = { ...params, MediaUrl0: ['https://example.test/b.png', 'https://example.test/a.png'] }
    const signature = twilio.getExpectedTwilioSignature(TOKEN, URL_FORM, repeated)
    // Sent in the order b, a: only sorting the values gives twilio-node's string.
    const body = new URLSearchParams([
      ...Object.entries(params).filter(([k]) => k !== 'MediaUrl0'),
      ['MediaUrl0', 'https://example.test/b.png'],
      ['MediaUrl0', 'https://example.test/a.png']
    ]).toString()
    expect((await run(formHeaders(signature), body, URL_FORM)).status).toBe('valid')
  })

  it('rejects a changed parameter as twilio-node does', async () => {
    const signature = twilio.getExpectedTwilioSignature(TOKEN, URL_FORM, params)
    const changed = { ...params, Body: 'Hello Zoe & co' }
    expect(twilio.validateRequest(TOKEN, signature, URL_FORM, changed)).toBe(false)
    expect(outcome(await run(formHeaders(signature), new URLSearchParams(changed).toString(), URL_FORM))).toMatchObject({ code: 'SIG_MISMATCH', findings: [] })
  })

  it('accepts the URL with or without the default port, like twilio-node', async () => {
    const signedWithPort = twilio.getExpectedTwilioSignature(TOKEN, 'https://hooks.example.test:443/twilio/sms?source=prod', params)
    expect(twilio.validateRequest(TOKEN, signedWithPort, URL_FORM, params)).toBe(true)
    expect((await run(formHeaders(signedWithPort), form, URL_FORM)).status).toBe('valid')
    const signedWithout = twilio.getExpectedTwilioSignature(TOKEN, URL_FORM, params)
    expect((await run(formHeaders(signedWithout), form, 'https://hooks.example.test:443/twilio/sms?source=prod')).status).toBe('valid')
  })

  it('explains http vs https (a TLS-terminating tunnel) as URL_VARIANT', async () => {
    const signature = twilio.getExpectedTwilioSignature(TOKEN, URL_FORM, params)
    const arrived = URL_FORM.replace('https:', 'http:')
    expect(twilio.validateRequest(TOKEN, signature, arrived, params)).toBe(false)
    expect(outcome(await run(formHeaders(signature), form, arrived))).toMatchObject({ code: 'SIG_MISMATCH', findings: ['URL_VARIANT'] })
  })

  it('signs the configured URL from the key option webhookUrl when the request arrives elsewhere', async () => {
    const signature = twilio.getExpectedTwilioSignature(TOKEN, URL_FORM, params)
    const local = 'http://127.0.0.1:8787/twilio/sms?source=prod'
    expect((await run(formHeaders(signature), form, local, [key({ webhookUrl: URL_FORM })])).status).toBe('valid')
  })

  it('checks JSON bodies through bodySHA256: valid, and a changed body is caught even though the URL signature holds', async () => {
    const url = jsonUrl()
    const signature = twilio.getExpectedTwilioSignature(TOKEN, url, {})
    expect(twilio.validateRequestWithBody(TOKEN, signature, url, jsonBody)).toBe(true)
    const headers = { 'X-Twilio-Signature': signature, 'Content-Type': 'application/json' }
    expect(outcome(await run(headers, jsonBody, url))).toEqual({ status: 'valid', scheme: 'twilio', code: null, findings: [] })

    const pretty = JSON.stringify(JSON.parse(jsonBody), null, 2)
    expect(twilio.validateRequestWithBody(TOKEN, signature, url, pretty)).toBe(false)
    expect(outcome(await run(headers, pretty, url))).toMatchObject({ status: 'invalid', code: 'SIG_MISMATCH', findings: ['BODY_CHANGED'] })
    const tampered = jsonBody.replace('delivered', 'failed')
    expect(outcome(await run(headers, tampered, url))).toMatchObject({ status: 'invalid', code: 'SIG_MISMATCH', findings: [] })
  })

  it('spots hex where Twilio sends base64', async () => {
    const hex = createHmac('sha1', TOKEN)
      .update(
        URL_FORM +
          Object.keys(params)
            .sort()
            .map((k) => k + params[k as keyof typeof params])
            .join('')
      )
      .digest('hex')
    expect(outcome(await run(formHeaders(hex), form, URL_FORM))).toMatchObject({ code: 'SIG_MISMATCH', findings: ['SIGNATURE_ENCODING'] })
  })

  it('gives the header codes, checks key options, and is detected from its header', async () => {
    const bound = makeKey('twilio', { secret: TOKEN }, { endpointIds: ['default'] })
    expect(await run({ 'Content-Type': 'application/x-www-form-urlencoded' }, form, URL_FORM, [bound])).toMatchObject({ code: 'SIG_HEADER_MISSING' })
    expect(await run(formHeaders(' '), form, URL_FORM)).toMatchObject({ code: 'SIG_HEADER_MALFORMED' })
    expect(twilioScheme.checkKey({ material: { secret: TOKEN }, options: { webhookUrl: 'not a url' }, keyId: null })).toContain('webhookUrl')
    expect(await detectedScheme(formHeaders('abc='), form)).toMatchObject({ code: 'NO_KEY', scheme: 'twilio' })
  })
})

// Keep the independent hash honest: twilio-node's getExpectedBodyHash is plain SHA-256 hex.
it('bodySHA256 is the SHA-256 hex of the body', () => {
  expect(twilio.getExpectedBodyHash(jsonBody)).toBe(createHash('sha256').update(jsonBody).digest('hex'))
})
