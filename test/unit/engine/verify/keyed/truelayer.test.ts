import { generateKeyPairSync, type KeyObject } from 'node:crypto'
import { FlattenedSign } from 'jose'
import { describe, expect, it } from 'vitest'
import { truelayer } from '../../../../../electron/engine/verify/schemes/keyed/truelayer'
import type { KeyEntry, KeyMaterial } from '../../../../../shared/model/keyring'
import { makeKey, makeRequest } from '../../../../helpers/verify-fixtures'
import { BOUND, ELSEWHERE, run } from './support/run'

const NOW = Date.UTC(2021, 10, 29, 11, 43)

/**
 * The shared cross-language vector from github.com/TrueLayer/truelayer-signing (test-resources:
 * webhook-signature.txt, jwks.json), signed by their ec512-private.pem for POST /tl-webhook.
 */
const VECTOR = {
  signature:
    'eyJhbGciOiJFUzUxMiIsImtpZCI6IjQ1ZmM3NWNmLTU2NDktNDEzNC04NGIzLTE5MmMyYzc4ZTk5MCIsInRsX3ZlcnNpb24iOiIyIiwidGxfaGVhZGVycyI6IlgtVGwtV2ViaG9vay1UaW1lc3RhbXAsQ29udGVudC1UeXBlIiwiamt1IjoiaHR0cHM6Ly93ZWJob29rcy50cnVlbGF5ZXIuY29tLy53ZWxsLWtub3duL2p3a3MifQ..AB9S1dzZTmw0tofUjJNGO7Kt_jZsahPyIrBTdhfxBWOI3KoLALkMy6ka1MjpZQx06_hQUJnanu9K_LS6V9lNaNGiAX5Cos5RWQfbeBCZWqAvIpXO3FvIzyJKRaTYK8FBG4lfJYPi76_pIkCLGKWeq8__7ElpMVRcLTM5IBKWL8isVZn_',
  jwks: {
    keys: [
      {
        kty: 'RSA',
        alg: 'RS512',
        kid: 'db2e0bb4-e33d-4fc6-a8c5-645e70331127',
        n: 'piC9AfXk1FyhocC77L42j8zWhy-jOeuxdvZCRYACPbU5DB-4zd5JLpTFuYPY5LweqT8tmBbqgXMN_35EQifHrLbBB5a5p-0z3QlVhqMP_K4nu65uIVzC-wjKBcTctqY_jFzSotFZnDNCZEUXcGrTzQifOCy1OD7zT0jm7-1ceWs375joA-KnyJj5rVKBmYrLWa6E2ukLhNBHFzO2N7Aai2w6UFmwfG27viV3_aNkDVC6vkEtZx4oZuCtQ6DKmbiQBTiS1-41wU7QN5PTuA9YUlhOU9yiwnCAG9MDWuJHT7691iLvIIgRctuSQ4HDDg49M39Un4DBt51KCoZsAwxtNw',
        e: 'AQAB'
      },
      {
        kty: 'EC',
        alg: 'ES512',
        kid: '45fc75cf-5649-4134-84b3-192c2c78e990',
        crv: 'P-521',
        x: 'oLuW4nFqoUuR8d7FVsUoI62libYdQlWGtLStnqdudLY92bQ0ra5eZAbkunrGTR9-w9mr4o2Etyb6pC7YB2-23WM',
        y: 'AX1cjkGMiltikPrkX49qwuJDdcETaTsj-kyFP8jsF9W5XAB3Z4tBiQtc72DQnJYeKyAV_T6qZTtFKFr-Tp4iu-j7'
      }
    ]
  },
  body: '{"event_type":"example","event_id":"18b2842b-a57b-4887-a0a6-d3c7c36f1020"}',
  headers: { 'X-Tl-Webhook-Timestamp': '2021-11-29T11:42:55Z', 'Content-Type': 'application/json' }
}

const vectorRequest = (overrides: { body?: string; url?: string; headers?: Record<string, string> } = {}) =>
  makeRequest({ ...VECTOR.headers, 'Tl-Signature': VECTOR.signature, ...overrides.headers }, overrides.body ?? VECTOR.body, {
    url: overrides.url ?? 'https://hooks.example.test/tl-webhook'
  })
const key = (material: KeyMaterial = { jwks: VECTOR.jwks }, overrides: Partial<KeyEntry> = {}) => makeKey('truelayer', material, overrides)

const p521 = generateKeyPairSync('ec', { namedCurve: 'P-521' })

async function tlSign(o: { path: string; headers: [string, string][]; body: string; kid?: string; privateKey?: KeyObject }) {
  const names = o.headers.map(([name]) => name)
  const payload = `POST ${o.path}\n${o.headers.map(([name, value]) => `${name}: ${value}\n`).join('')}${o.body}`
  const signed = await new FlattenedSign(Buffer.from(payload))
    .setProtectedHeader({ alg: 'ES512', kid: o.kid ?? 'mine', tl_version: '2', tl_headers: names.join(',') } as never)
    .sign(o.privateKey ?? p521.privateKey)
  return `${signed.protected}..${signed.signature}`
}

describe('truelayer (Tl-Signature)', () => {
  it('verifies the published cross-language webhook vector with the published JWKS', async () => {
    const verdict = await run(vectorRequest(), [key()], NOW)
    expect(verdict).toMatchObject({ status: 'valid', scheme: 'truelayer', code: null, token: { protectedHeader: { alg: 'ES512', tl_version: '2' } } })
    expect(verdict.summary).toContain('45fc75cf')
  })

  it('refuses the vector with a changed body, a changed signed header, or another path', async () => {
    expect(await run(vectorRequest({ body: VECTOR.body.replace('example', 'exampel') }), [key()], NOW)).toMatchObject({
      status: 'invalid',
      code: 'TOKEN_INVALID'
    })
    expect(await run(vectorRequest({ headers: { 'X-Tl-Webhook-Timestamp': '2021-11-29T11:42:56Z' } }), [key()], NOW)).toMatchObject({ code: 'TOKEN_INVALID' })
    expect(await run(vectorRequest({ url: 'https://hooks.example.test/other-webhook' }), [key()], NOW)).toMatchObject({ code: 'TOKEN_INVALID' })
  })

  it('accepts the path with a trailing slash, as the official verifiers do', async () => {
    const verdict = await run(vectorRequest({ url: 'https://hooks.example.test/tl-webhook/' }), [key()], NOW)
    expect(verdict.status).toBe('valid')
    expect(verdict.steps.some((step) => step.detail?.includes('trailing slash'))).toBe(true)
  })

  it('verifies its own signatures with a PEM key, header names as listed and values case-insensitively', async () => {
    const body = '{"currency":"GBP","amount_in_minor":100}'
    const signature = await tlSign({ path: '/payouts', headers: [['Idempotency-Key', 'idemp-1']], body })
    const pem = key({ publicKey: p521.publicKey.export({ type: 'spki', format: 'pem' }).toString() })
    const request = makeRequest({ 'tl-signature': signature, 'idempotency-key': 'idemp-1' }, body, { url: 'https://x.test/payouts' })
    expect((await run(request, [pem], NOW)).status).toBe('valid')
    const changed = makeRequest({ 'tl-signature': signature, 'idempotency-key': 'idemp-1' }, `${body}\n`, { url: 'https://x.test/payouts' })
    expect(await run(changed, [pem], NOW)).toMatchObject({ code: 'TOKEN_INVALID', findings: [{ code: 'BODY_CHANGED' }] })
  })

  it('reports an unknown kid, a wrong key with the keyring key that verifies, and a missing header', async () => {
    const body = '{}'
    const signature = await tlSign({ path: '/hook', headers: [], body, kid: 'not-in-jwks' })
    const request = makeRequest({ 'Tl-Signature': signature }, body, { url: 'https://x.test/hook' })
    const unknown = await run(request, [key()], NOW)
    expect(unknown).toMatchObject({ code: 'UNKNOWN_KEY_ID' })
    expect(unknown.summary).toContain('not-in-jwks')
    const otherPem = generateKeyPairSync('ec', { namedCurve: 'P-521' }).publicKey.export({ type: 'spki', format: 'pem' }).toString()
    const wrong = key({ publicKey: otherPem })
    const right = key({ publicKey: p521.publicKey.export({ type: 'spki', format: 'pem' }).toString() }, ELSEWHERE)
    expect(await run(request, [wrong, right], NOW)).toMatchObject({ code: 'TOKEN_INVALID', findings: [{ code: 'OTHER_KEY', keyId: right.id }] })
    const missing = await run(makeRequest({}, body), [key(undefined, BOUND)], NOW)
    expect(missing).toMatchObject({ code: 'SIG_HEADER_MISSING' })
    expect(missing.summary).toContain('Tl-Signature')
  })

  it('enforces requiredHeaders and the ES512 default', async () => {
    const strict = key(undefined, { options: { requiredHeaders: ['X-Tl-Webhook-Timestamp', 'Idempotency-Key'] } })
    const verdict = await run(vectorRequest(), [strict], NOW)
    expect(verdict).toMatchObject({ code: 'TOKEN_INVALID' })
    expect(verdict.summary).toContain('Idempotency-Key')
    expect(truelayer.checkKey({ material: { jwks: VECTOR.jwks }, options: { requiredHeaders: 'X-Tl-Webhook-Timestamp' }, keyId: null })).toContain(
      'requiredHeaders'
    )
    expect(truelayer.checkKey({ material: { jwks: VECTOR.jwks }, options: {}, keyId: null })).toBeNull()
  })

  it('checks X-Tl-Webhook-Timestamp against the arrival time when the key sets a window', async () => {
    const windowed = key(undefined, { options: { toleranceSeconds: 300 } })
    expect((await run(vectorRequest(), [windowed], NOW)).status).toBe('valid')
    expect(await run(vectorRequest(), [windowed], NOW + 3_600_000)).toMatchObject({ code: 'TIMESTAMP_STALE' })
  })
})
