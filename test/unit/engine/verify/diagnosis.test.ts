import { createHmac } from 'node:crypto'
import { Webhook } from 'standardwebhooks'
import { describe, expect, it } from 'vitest'
import { allSchemes } from '../../../../electron/engine/verify/registry'
import { verifyDelivery } from '../../../../electron/engine/verify/verify-delivery'
import type { VerifyRequest } from '../../../../electron/engine/verify/verify-request'
import type { KeyEntry } from '../../../../shared/model/keyring'
import { makeKey, makeRequest } from '../../../helpers/verify-fixtures'

/**
 * One test per near-miss diagnosis: make the mistake a sender or a user really makes, and check
 * that the verdict names it. Generic HMAC options make each mistake easy to stage.
 */
const NOW = 1_700_000_000
const check = (request: VerifyRequest, keys: KeyEntry[], nowSec = NOW) =>
  verifyDelivery(request, { locked: false, keys }, { schemes: allSchemes, now: nowSec * 1000, checkedAt: 0 })
const hmacHex = (key: Buffer | string, content: string | Buffer) => createHmac('sha256', key).update(content).digest('hex')
const codes = (verdict: { findings: { code: string }[] }) => verdict.findings.map((finding) => finding.code)

const body = '{"event":"order.paid","customer":"Zoë","amount":12.5}'

describe('near-miss diagnosis', () => {
  it('SECRET_DECODING: the sender used the hex-decoded secret, the key says raw text', async () => {
    const secret = '8f3a1c2b9d4e5f60718293a4b5c6d7e8'
    const request = makeRequest({ 'X-Signature': hmacHex(Buffer.from(secret, 'hex'), body) }, body)
    const verdict = await check(request, [makeKey('hmac', { secret })])
    expect(verdict).toMatchObject({ status: 'invalid', code: 'SIG_MISMATCH' })
    expect(codes(verdict)).toContain('SECRET_DECODING')
    expect(verdict.findings[0]!.message).toContain('hex')
  })

  it('SECRET_DECODING: a whsec_ secret used raw where Standard Webhooks base64-decodes it', async () => {
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'
    const content = `msg_1.${NOW}.${body}`
    const wrong = createHmac('sha256', secret).update(content).digest('base64')
    const request = makeRequest({ 'webhook-id': 'msg_1', 'webhook-timestamp': String(NOW), 'webhook-signature': `v1,${wrong}` }, body)
    const verdict = await check(request, [makeKey('standard-webhooks', { secret })])
    expect(codes(verdict)).toContain('SECRET_DECODING')
  })

  it('SIGNATURE_ENCODING: the right HMAC sent as base64 where hex is expected', async () => {
    const secret = 'shared-secret'
    const base64 = createHmac('sha256', secret).update(body).digest('base64')
    const verdict = await check(makeRequest({ 'X-Signature': base64 }, body), [makeKey('hmac', { secret })])
    expect(codes(verdict)).toContain('SIGNATURE_ENCODING')
  })

  it('SIGNATURE_ENCODING: upper-case hex', async () => {
    const secret = 'shared-secret'
    const verdict = await check(makeRequest({ 'X-Signature': hmacHex(secret, body).toUpperCase() }, body), [makeKey('hmac', { secret })])
    expect(codes(verdict)).toContain('SIGNATURE_ENCODING')
  })

  const bodyChanges: [string, string, string][] = [
    ['JSON re-serialised by a framework', JSON.stringify(JSON.parse(body), null, 2), body],
    ['a trailing newline added in transit', body, body + '\n'],
    ['CRLF line endings turned into LF', 'line one\r\nline two\r\n', 'line one\nline two\n'],
    ['unicode escaped by the sender, decoded on the way', body.replace('ë', '\\u00eb'), body],
    ['a trailing CRLF stripped by a proxy', body + '\r\n', body]
  ]
  for (const [what, signed, delivered] of bodyChanges) {
    it(`BODY_CHANGED: ${what}`, async () => {
      const secret = 'shared-secret'
      const verdict = await check(makeRequest({ 'X-Signature': hmacHex(secret, signed) }, delivered), [makeKey('hmac', { secret })])
      expect(verdict.code).toBe('SIG_MISMATCH')
      expect(codes(verdict)).toContain('BODY_CHANGED')
    })
  }

  it('KEY_DELETED: signed with an older key that was deleted, reported as such rather than valid', async () => {
    const old = makeKey('hmac', { secret: 'old-secret' }, { name: 'Old secret', status: 'DELETED', group: 'legacy' })
    const current = makeKey('hmac', { secret: 'new-secret' }, { name: 'New secret' })
    const verdict = await check(makeRequest({ 'X-Signature': hmacHex('old-secret', body) }, body), [current, old])
    // The DELETED key matches: reported as such, not as "valid".
    expect(verdict).toMatchObject({ status: 'invalid', code: 'KEY_DELETED', keyId: old.id })
  })

  it('OTHER_KEY: the signature matches a key bound to another endpoint', async () => {
    const elsewhere = makeKey('hmac', { secret: 'staging-secret' }, { name: 'Staging', endpointIds: ['staging'] })
    const here = makeKey('hmac', { secret: 'prod-secret' }, { name: 'Production' })
    const verdict = await check(makeRequest({ 'X-Signature': hmacHex('staging-secret', body) }, body), [here, elsewhere])
    expect(verdict.code).toBe('SIG_MISMATCH')
    expect(verdict.findings).toContainEqual(expect.objectContaining({ code: 'OTHER_KEY', keyId: elsewhere.id }))
  })

  it('URL_VARIANT: the sender signed the URL with the default port written out', async () => {
    const secret = 'shared-secret'
    const options = { template: '{url}{body}' }
    const signed = hmacHex(secret, `https://hooks.example.test:443/webhook${body}`)
    const request = makeRequest({ 'X-Signature': signed }, body, { url: 'https://hooks.example.test/webhook' })
    const verdict = await check(request, [makeKey('hmac', { secret }, { options })])
    expect(codes(verdict)).toContain('URL_VARIANT')
  })

  it('URL_VARIANT: signed for http behind a TLS-terminating tunnel', async () => {
    const secret = 'shared-secret'
    const options = { template: '{url}{body}' }
    const signed = hmacHex(secret, `https://hooks.example.test/webhook${body}`)
    const request = makeRequest({ 'X-Signature': signed }, body, { url: 'http://hooks.example.test/webhook' })
    const verdict = await check(request, [makeKey('hmac', { secret }, { options })])
    expect(codes(verdict)).toContain('URL_VARIANT')
  })

  it('TIMESTAMP_UNIT: milliseconds sent where seconds belong', async () => {
    const secret = 'shared-secret'
    const ms = String(NOW * 1000)
    const options = { timestampHeader: 'X-Timestamp', template: '{timestamp}.{body}' }
    const request = makeRequest({ 'X-Signature': hmacHex(secret, `${ms}.${body}`), 'X-Timestamp': ms }, body)
    const verdict = await check(request, [makeKey('hmac', { secret }, { options })])
    expect(verdict.code).toBe('TIMESTAMP_FUTURE')
    expect(codes(verdict)).toContain('TIMESTAMP_UNIT')
  })

  it('stale and future timestamps say by how much and in which direction', async () => {
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'
    const signed = (at: number) => {
      const signature = new Webhook(secret).sign('msg_t', new Date(at * 1000), body)
      return makeRequest({ 'webhook-id': 'msg_t', 'webhook-timestamp': String(at), 'webhook-signature': signature }, body)
    }
    const key = makeKey('standard-webhooks', { secret })
    expect(await check(signed(NOW - 400), [key])).toMatchObject({ code: 'TIMESTAMP_STALE', timestamp: { skewSeconds: 400 } })
    expect(await check(signed(NOW + 400), [key])).toMatchObject({ code: 'TIMESTAMP_FUTURE', timestamp: { skewSeconds: -400 } })
  })

  it('a missing header is named, even when the key is bound to this endpoint', async () => {
    const key = makeKey('stripe', { secret: 'whsec_abc' }, { endpointIds: ['default'] })
    const verdict = await check(makeRequest({ 'Content-Type': 'application/json' }, body), [key])
    expect(verdict).toMatchObject({ status: 'invalid', code: 'SIG_HEADER_MISSING', scheme: 'stripe' })
    expect(verdict.summary).toContain('Stripe-Signature')
  })

  it('a wrong secret with no usual mistake behind it says so plainly, with no invented finding', async () => {
    const verdict = await check(makeRequest({ 'X-Signature': hmacHex('someone-elses-secret', body) }, body), [makeKey('hmac', { secret: 'mine' })])
    expect(verdict).toMatchObject({ status: 'invalid', code: 'SIG_MISMATCH', findings: [] })
    expect(verdict.summary).toMatch(/wrong secret/)
  })

  it('NO_KEY names the provider it recognised; NO_SCHEME when nothing is recognisable', async () => {
    const github = makeRequest({ 'X-Hub-Signature-256': 'sha256=' + hmacHex('x', body), 'X-GitHub-Event': 'push' }, body)
    expect(await check(github, [])).toMatchObject({ status: 'unchecked', code: 'NO_KEY', scheme: 'github' })
    expect(await check(makeRequest({ 'Content-Type': 'text/plain' }, 'hello'), [])).toMatchObject({ status: 'unchecked', code: 'NO_SCHEME' })
  })
})
