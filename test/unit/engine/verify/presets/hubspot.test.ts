import { createHash } from 'node:crypto'
import { Signature } from '@hubspot/api-client'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { hubspot as hubspotScheme } from '../../../../../electron/engine/verify/schemes/presets/hubspot'
import { check, detectedScheme, makeKey, makeRequest, outcome, without } from './preset-harness'

const SECRET = 'yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy'
const NOW_MS = 1_700_000_000_000
const NOW = NOW_MS / 1000
const URL = 'https://hooks.example.test/hubspot?portal=62515'
const body =
  '[{"eventId":1,"subscriptionId":12345,"portalId":62515,"occurredAt":1564113600000,"subscriptionType":"contact.creation","attemptNumber":0,"objectId":123,"changeSource":"CRM","changeFlag":"NEW","appId":54321}]'

const v3 = (timestamp = NOW_MS - 1000, url = URL, requestBody = body, method = 'POST') =>
  Signature.getSignature(method, 'v3', { signature: '', clientSecret: SECRET, requestBody, url, timestamp })
const legacy = (version: 'v1' | 'v2', url = URL, requestBody = body) =>
  Signature.getSignature('POST', version, { signature: '', clientSecret: SECRET, requestBody, url })
const v3Headers = (signature = v3(), timestamp = NOW_MS - 1000) => ({
  'X-HubSpot-Signature-v3': signature,
  'X-HubSpot-Request-Timestamp': String(timestamp),
  'Content-Type': 'application/json'
})
const legacyHeaders = (version: 'v1' | 'v2', signature = legacy(version)) => ({ 'X-HubSpot-Signature': signature, 'X-HubSpot-Signature-Version': version })
const key = (options: Record<string, unknown> = {}) => makeKey('hubspot', { secret: SECRET }, { options })
const run = (h: Record<string, string>, url = URL, payload: string = body, keys = [key()], nowSec = NOW) =>
  check(makeRequest(h, payload, { url }), keys, nowSec)

describe('hubspot preset', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('accepts v3 signed by @hubspot/api-client, which also accepts it', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: NOW_MS })
    expect(Signature.isValid({ signatureVersion: 'v3', signature: v3(), clientSecret: SECRET, requestBody: body, url: URL, timestamp: NOW_MS - 1000 })).toBe(
      true
    )
    vi.useRealTimers()
    expect(outcome(await run(v3Headers()))).toEqual({ status: 'valid', scheme: 'hubspot', code: null, findings: [] })
  })

  it('refuses v3 timestamps (ms) older than 300 s, as the SDK does', async () => {
    const old = NOW_MS - 301_000
    vi.useFakeTimers({ toFake: ['Date'], now: NOW_MS })
    expect(() => Signature.isValid({ signatureVersion: 'v3', signature: v3(old), clientSecret: SECRET, requestBody: body, url: URL, timestamp: old })).toThrow()
    vi.useRealTimers()
    expect(await run(v3Headers(v3(old), old))).toMatchObject({ code: 'TIMESTAMP_STALE', timestamp: { skewSeconds: 301, toleranceSeconds: 300 } })
  })

  it('explains a v3 URL with the default port or http as URL_VARIANT, and a re-serialised body', async () => {
    expect(outcome(await run(v3Headers(v3(NOW_MS - 1000, 'https://hooks.example.test:443/hubspot?portal=62515'))))).toMatchObject({
      code: 'SIG_MISMATCH',
      findings: ['URL_VARIANT']
    })
    expect(outcome(await run(v3Headers(), URL.replace('https:', 'http:')))).toMatchObject({ findings: ['URL_VARIANT'] })
    expect(outcome(await run(v3Headers(), URL, JSON.stringify(JSON.parse(body), null, 2)))).toMatchObject({ findings: ['BODY_CHANGED'] })
  })

  it('covers the method in v3', async () => {
    expect((await check(makeRequest(v3Headers(v3(NOW_MS - 1000, URL, body, 'GET')), body, { url: URL, method: 'GET' }), [key()], NOW)).status).toBe('valid')
    expect((await run(v3Headers(v3(NOW_MS - 1000, URL, body, 'GET')))).code).toBe('SIG_MISMATCH')
  })

  it('verifies the legacy v1 (SHA-256 of secret + body) and its documented example', async () => {
    // developers.hubspot.com "v1 request validation" example: this secret and body give this hash.
    expect(legacy('v1')).toBe('232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de')
    const verdict = await run(legacyHeaders('v1'))
    expect(outcome(verdict)).toEqual({ status: 'valid', scheme: 'hubspot', code: null, findings: [] })
    expect(verdict.signedContent?.startsWith('<client secret>')).toBe(true)
    expect(verdict.signedContent).not.toContain(SECRET)
  })

  it('verifies the legacy v2 (secret + method + URL + body) and diagnoses it without an HMAC', async () => {
    expect(Signature.isValid({ signatureVersion: 'v2', signature: legacy('v2'), clientSecret: SECRET, requestBody: body, url: URL })).toBe(true)
    expect((await run(legacyHeaders('v2'))).status).toBe('valid')
    expect(outcome(await run(legacyHeaders('v2'), URL.replace('https:', 'http:')))).toMatchObject({ code: 'SIG_MISMATCH', findings: ['URL_VARIANT'] })
    expect(outcome(await run(legacyHeaders('v1'), URL, body + '\n'))).toMatchObject({ code: 'SIG_MISMATCH', findings: ['BODY_CHANGED'] })
    const b64 = createHash('sha256')
      .update(SECRET + body)
      .digest('base64')
    expect(outcome(await run(legacyHeaders('v1', b64)))).toMatchObject({ findings: ['SIGNATURE_ENCODING'] })
    // The secret was filed under another scheme: the finding names that key.
    const other = makeKey('github', { secret: 'other-app-secret' })
    const verdict = await run(
      legacyHeaders(
        'v1',
        createHash('sha256')
          .update('other-app-secret' + body)
          .digest('hex')
      ),
      URL,
      body,
      [key(), other]
    )
    expect(outcome(verdict)).toMatchObject({ code: 'SIG_MISMATCH', findings: ['OTHER_KEY'] })
    expect(verdict.findings[0]?.keyId).toBe(other.id)
  })

  it('prefers v3 when HubSpot sends every version, and honours the version option', async () => {
    const all = { ...v3Headers(), ...legacyHeaders('v1', '0'.repeat(64)) }
    expect((await run(all)).status).toBe('valid')
    expect((await run(all, URL, body, [key({ version: 'v1' })])).code).toBe('SIG_MISMATCH')
    expect(hubspotScheme.checkKey({ material: { secret: SECRET }, options: { version: 'v4' }, keyId: null })).toContain('version')
  })

  it('gives the header codes and is detected from its headers', async () => {
    expect(await run(without(v3Headers(), 'X-HubSpot-Request-Timestamp'))).toMatchObject({ code: 'TIMESTAMP_MISSING' })
    expect(await run({ ...v3Headers(), 'X-HubSpot-Request-Timestamp': '2023-11-14' })).toMatchObject({ code: 'SIG_HEADER_MALFORMED' })
    const bound = makeKey('hubspot', { secret: SECRET }, { endpointIds: ['default'] })
    expect(await run({ 'X-HubSpot-Signature-Version': 'v2' }, URL, body, [bound])).toMatchObject({ code: 'SIG_HEADER_MISSING' })
    expect(await detectedScheme(v3Headers(), body)).toMatchObject({ code: 'NO_KEY', scheme: 'hubspot' })
    expect(await detectedScheme(legacyHeaders('v1'), body)).toMatchObject({ code: 'NO_KEY', scheme: 'hubspot' })
  })
})
