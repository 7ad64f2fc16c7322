import { generateKeyPairSync, sign } from 'node:crypto'
import { EventWebhook } from '@sendgrid/eventwebhook'
import { describe, expect, it } from 'vitest'
import { sendgrid } from '../../../../../electron/engine/verify/schemes/keyed/sendgrid'
import { makeKey, makeRequest } from '../../../../helpers/verify-fixtures'
import { BOUND, ELSEWHERE, run } from './support/run'

const NOW = 1_700_000_000
const body = '[{"email":"zoe@example.com","event":"delivered","sg_event_id":"abc"}]\r\n'
const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' })
const other = generateKeyPairSync('ec', { namedCurve: 'P-256' })
/** The dashboard shows the verification key as base64 DER SPKI, without PEM armour. */
const dashboardKey = (key = pair.publicKey) => key.export({ type: 'spki', format: 'der' }).toString('base64')

function signed(payload = body, timestamp = String(NOW), dsaEncoding: 'der' | 'ieee-p1363' = 'der') {
  const signature = sign('sha256', Buffer.from(timestamp + payload), { key: pair.privateKey, dsaEncoding }).toString('base64')
  return { 'X-Twilio-Email-Event-Webhook-Signature': signature, 'X-Twilio-Email-Event-Webhook-Timestamp': timestamp }
}
const key = (publicKey = dashboardKey(), overrides = {}) => makeKey('sendgrid', { publicKey }, overrides)
const oracle = (payload: string, headers: Record<string, string>, publicKey = dashboardKey()) => {
  const webhook = new EventWebhook()
  return webhook.verifySignature(
    webhook.convertPublicKeyToECDSA(publicKey),
    payload,
    headers['X-Twilio-Email-Event-Webhook-Signature']!,
    headers['X-Twilio-Email-Event-Webhook-Timestamp']!
  )
}

describe('sendgrid (ECDSA P-256)', () => {
  it('agrees with @sendgrid/eventwebhook on a valid delivery', async () => {
    const headers = signed()
    expect(oracle(body, headers)).toBe(true)
    expect(await run(makeRequest(headers, body), [key()], NOW * 1000)).toMatchObject({ status: 'valid', scheme: 'sendgrid', code: null })
  })

  it('agrees with the oracle on a tampered body, and spots a CRLF added after signing', async () => {
    const headers = signed()
    const tampered = body.replace('delivered', 'bounce')
    expect(oracle(tampered, headers)).toBe(false)
    expect(await run(makeRequest(headers, tampered), [key()], NOW * 1000)).toMatchObject({ code: 'SIG_MISMATCH', findings: [] })
    const signedWithout = signed(body.trimEnd())
    expect(oracle(body, signedWithout)).toBe(false)
    expect(await run(makeRequest(signedWithout, body), [key()], NOW * 1000)).toMatchObject({ code: 'SIG_MISMATCH', findings: [{ code: 'BODY_CHANGED' }] })
  })

  it('refuses another verification key, and names the keyring key that verifies', async () => {
    const headers = signed()
    expect(oracle(body, headers, dashboardKey(other.publicKey))).toBe(false)
    const wrong = key(dashboardKey(other.publicKey))
    expect(await run(makeRequest(headers, body), [wrong], NOW * 1000)).toMatchObject({ code: 'SIG_MISMATCH', findings: [] })
    const right = key(dashboardKey(), ELSEWHERE)
    expect(await run(makeRequest(headers, body), [wrong, right], NOW * 1000)).toMatchObject({ findings: [{ code: 'OTHER_KEY', keyId: right.id }] })
  })

  it('names a missing timestamp header', async () => {
    const { 'X-Twilio-Email-Event-Webhook-Timestamp': _, ...rest } = signed()
    const verdict = await run(makeRequest(rest, body), [key(dashboardKey(), BOUND)], NOW * 1000)
    expect(verdict).toMatchObject({ code: 'SIG_HEADER_MISSING' })
    expect(verdict.summary).toContain('X-Twilio-Email-Event-Webhook-Timestamp')
  })

  it('explains a raw r||s signature where DER belongs', async () => {
    const verdict = await run(makeRequest(signed(body, String(NOW), 'ieee-p1363'), body), [key()], NOW * 1000)
    expect(verdict).toMatchObject({ code: 'SIG_MISMATCH', findings: [{ code: 'SIGNATURE_ENCODING' }] })
    expect(verdict.summary).toContain('P1363')
  })

  it('accepts the key as PEM too, and checkKey wants P-256', () => {
    const pem = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString()
    expect(sendgrid.checkKey({ material: { publicKey: pem }, options: {}, keyId: null })).toBeNull()
    expect(sendgrid.checkKey({ material: { publicKey: dashboardKey() }, options: {}, keyId: null })).toBeNull()
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey.export({ type: 'spki', format: 'der' }).toString('base64')
    expect(sendgrid.checkKey({ material: { publicKey: p384 }, options: {}, keyId: null })).toContain('P-256')
  })
})
