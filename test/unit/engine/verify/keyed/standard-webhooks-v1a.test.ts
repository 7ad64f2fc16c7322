import { generateKeyPairSync, sign } from 'node:crypto'
import fc from 'fast-check'
import { Webhook } from 'standardwebhooks'
import { describe, expect, it } from 'vitest'
import { standardWebhooksV1a } from '../../../../../electron/engine/verify/schemes/keyed/standard-webhooks-v1a'
import { makeKey, makeRequest } from '../../../../helpers/verify-fixtures'
import { ELSEWHERE, run } from './support/run'

const NOW = 1_700_000_000
const body = '{"type":"invoice.paid","data":{"amount":4200,"customer":"Zoë"}}'
const pair = generateKeyPairSync('ed25519')
const other = generateKeyPairSync('ed25519')
const raw = (key = pair.publicKey) => key.export({ format: 'jwk' }).x! // base64url of the raw 32 bytes
const whpk = (key = pair.publicKey) => `whpk_${Buffer.from(raw(key), 'base64url').toString('base64')}`

function signV1a(payload: string | Buffer, id = 'msg_1', at = NOW, privateKey = pair.privateKey): string {
  const content = Buffer.concat([Buffer.from(`${id}.${at}.`), Buffer.from(payload)])
  return `v1a,${sign(null, content, privateKey).toString('base64')}`
}

const headers = (signature = signV1a(body), at = NOW) => ({ 'webhook-id': 'msg_1', 'webhook-timestamp': String(at), 'webhook-signature': signature })
const key = (material = { publicKey: whpk() }, overrides = {}) => makeKey('standard-webhooks-v1a', material, overrides)

describe('standard webhooks v1a (Ed25519)', () => {
  it('verifies an Ed25519 v1a signature with a whpk_ key', async () => {
    const verdict = await run(makeRequest(headers(), body), [key()], NOW * 1000)
    expect(verdict).toMatchObject({ status: 'valid', scheme: 'standard-webhooks-v1a', code: null, deliveryId: 'msg_1' })
    expect(verdict.signedContent).toBe(`msg_1.${NOW}.${body}`)
    expect(verdict.steps.every((step) => step.ok)).toBe(true)
  })

  it('accepts the same key as PEM, JWK, hex and base64 raw', async () => {
    const forms = [
      pair.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      JSON.stringify(pair.publicKey.export({ format: 'jwk' })),
      Buffer.from(raw(), 'base64url').toString('hex'),
      Buffer.from(raw(), 'base64url').toString('base64'),
      pair.publicKey.export({ type: 'spki', format: 'der' }).toString('base64')
    ]
    for (const publicKey of forms) {
      expect(standardWebhooksV1a.checkKey({ material: { publicKey }, options: {}, keyId: null })).toBeNull()
      expect((await run(makeRequest(headers(), body), [key({ publicKey })], NOW * 1000)).status).toBe('valid')
    }
  })

  it('coexists with a v1 HMAC entry signed by the standardwebhooks library (which ignores v1a)', async () => {
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'
    const v1 = new Webhook(secret).sign('msg_1', new Date(NOW * 1000), body)
    const mixed = headers(`${v1} ${signV1a(body)}`)
    // The official library still verifies its v1 part of the mixed header…
    const realNow = Date.now
    Date.now = () => NOW * 1000
    try {
      expect(() => new Webhook(secret).verify(body, mixed)).not.toThrow()
    } finally {
      Date.now = realNow
    }
    // …and the v1a part verifies here with the public key alone.
    expect(await run(makeRequest(mixed, body), [key()], NOW * 1000)).toMatchObject({ status: 'valid', scheme: 'standard-webhooks-v1a' })
    // With both keys in the keyring, each scheme checks its own entries.
    expect((await run(makeRequest(mixed, body), [makeKey('standard-webhooks', { secret })], NOW * 1000)).status).toBe('valid')
  })

  it('refuses a tampered body and says when the body only gained a trailing newline', async () => {
    const tampered = await run(makeRequest(headers(), body.replace('4200', '4201')), [key()], NOW * 1000)
    expect(tampered).toMatchObject({ status: 'invalid', code: 'SIG_MISMATCH', findings: [] })
    const newline = await run(makeRequest(headers(), `${body}\n`), [key()], NOW * 1000)
    expect(newline).toMatchObject({ code: 'SIG_MISMATCH', findings: [{ code: 'BODY_CHANGED' }] })
  })

  it('refuses a wrong key, and names another keyring key that verifies', async () => {
    const wrong = key({ publicKey: whpk(other.publicKey) })
    expect(await run(makeRequest(headers(), body), [wrong], NOW * 1000)).toMatchObject({ code: 'SIG_MISMATCH', findings: [] })
    const right = key({ publicKey: whpk() }, { ...ELSEWHERE, name: 'v1a key for billing' })
    const verdict = await run(makeRequest(headers(), body), [wrong, right], NOW * 1000)
    expect(verdict).toMatchObject({ code: 'SIG_MISMATCH', findings: [{ code: 'OTHER_KEY', keyId: right.id }] })
    expect(verdict.summary).toContain('v1a key for billing')
  })

  it('names a missing header, and a header without v1a entries', async () => {
    const { 'webhook-timestamp': _, ...rest } = headers()
    const bound = key(undefined, { endpointIds: ['default'] })
    const missing = await run(makeRequest(rest, body), [bound], NOW * 1000)
    expect(missing).toMatchObject({ code: 'SIG_HEADER_MISSING' })
    expect(missing.summary).toContain('webhook-timestamp')
    const v1Only = await run(makeRequest(headers('v1,AAAA'), body), [bound], NOW * 1000)
    expect(v1Only).toMatchObject({ code: 'SIG_HEADER_MALFORMED' })
  })

  it('judges the timestamp against the arrival time (±300 s by default)', async () => {
    const stale = await run(makeRequest(headers(signV1a(body, 'msg_1', NOW - 900), NOW - 900), body), [key()], NOW * 1000)
    expect(stale).toMatchObject({ code: 'TIMESTAMP_STALE', timestamp: { skewSeconds: 900, toleranceSeconds: 300 } })
    const relaxed = key(undefined, { options: { toleranceSeconds: 1000 } })
    expect((await run(makeRequest(headers(signV1a(body, 'msg_1', NOW - 900), NOW - 900), body), [relaxed], NOW * 1000)).status).toBe('valid')
  })

  it('explains a signature written in hex instead of base64', async () => {
    const content = Buffer.from(`msg_1.${NOW}.${body}`)
    const hex = `v1a,${sign(null, content, pair.privateKey).toString('hex')}`
    expect(await run(makeRequest(headers(hex), body), [key()], NOW * 1000)).toMatchObject({ code: 'SIG_MISMATCH', findings: [{ code: 'SIGNATURE_ENCODING' }] })
  })

  it('checkKey refuses private and malformed keys without echoing them', () => {
    const secretish = `whsk_${Buffer.alloc(64, 7).toString('base64')}`
    for (const publicKey of [
      secretish,
      'whpk_AAAAQQQQRRRRSSSSTTTTUUUUVVVV',
      'zzzzzzzzzzzzzzzzzzzzzzzz!!',
      pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
    ]) {
      const problem = standardWebhooksV1a.checkKey({ material: { publicKey }, options: {}, keyId: null })
      expect(problem).toBeTypeOf('string')
      expect(problem).not.toContain(publicKey.slice(5, 25))
    }
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }).toString()
    expect(standardWebhooksV1a.checkKey({ material: { publicKey: ec }, options: {}, keyId: null })).toContain('Ed25519')
    expect(standardWebhooksV1a.checkKey({ material: { publicKey: whpk() }, options: { toleranceSeconds: 'soon' }, keyId: null })).toContain('toleranceSeconds')
  })

  it('never verifies a body with one byte changed (property)', async () => {
    const original = Buffer.from(body)
    const signed = headers()
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: original.length - 1 }), fc.integer({ min: 1, max: 255 }), async (index, delta) => {
        const changed = Buffer.from(original)
        changed[index] = (changed[index]! + delta) % 256
        const verdict = await run(makeRequest(signed, changed), [key()], NOW * 1000)
        expect(verdict.status).toBe('invalid')
      }),
      { numRuns: 150 }
    )
  })
})
