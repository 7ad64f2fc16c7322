import { generateKeyPairSync } from 'node:crypto'
import { SignJWT } from 'jose'
import { describe, expect, it } from 'vitest'
import { bearer } from '../../../../../electron/engine/verify/schemes/keyed/bearer'
import type { KeyEntry, KeyMaterial } from '../../../../../shared/model/keyring'
import { makeKey, makeRequest } from '../../../../helpers/verify-fixtures'
import { BOUND, ELSEWHERE, run, verdictText } from './support/run'

const NOW = Date.UTC(2025, 2, 3, 4)
const NOW_S = NOW / 1000
const TOKEN = 'hooks_tok_4f1b2c3d4e5f60718293a4b5'
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 })
const pem = rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString()
const key = (material: KeyMaterial = { secret: TOKEN }, overrides: Partial<KeyEntry> = {}) => makeKey('bearer', material, overrides)
const auth = (token: string) => ({ Authorization: `Bearer ${token}` })
const jwt = (claims: Record<string, unknown> = {}, o: { exp?: number; iss?: string; aud?: string; kid?: string } = {}) => {
  const builder = new SignJWT({ scope: 'webhooks', ...claims }).setProtectedHeader({ alg: 'RS256', ...(o.kid ? { kid: o.kid } : {}) }).setIssuedAt(NOW_S - 5)
  if (o.exp !== undefined) builder.setExpirationTime(o.exp)
  if (o.iss) builder.setIssuer(o.iss)
  if (o.aud) builder.setAudience(o.aud)
  return builder.sign(rsa.privateKey)
}

describe('bearer', () => {
  it('accepts a fixed token, masked', async () => {
    const verdict = await run(makeRequest(auth(TOKEN), '{}'), [key()], NOW)
    expect(verdict).toMatchObject({ status: 'valid', scheme: 'bearer', credential: { kind: 'bearer', expected: `hook…(${TOKEN.length} chars)` } })
    expect(verdictText(verdict)).not.toContain(TOKEN)
  })

  it('refuses a wrong fixed token and names the key it belongs to', async () => {
    const other = 'hooks_tok_ffffffffffffffffffffffff'
    expect(await run(makeRequest(auth(other), '{}'), [key()], NOW)).toMatchObject({ code: 'CREDENTIAL_MISMATCH', findings: [] })
    const owner = key({ secret: other }, ELSEWHERE)
    const verdict = await run(makeRequest(auth(other), '{}'), [key(), owner], NOW)
    expect(verdict).toMatchObject({ findings: [{ code: 'OTHER_KEY', keyId: owner.id }] })
    expect(verdictText(verdict)).not.toContain(other)
  })

  it('reports a missing token', async () => {
    expect(await run(makeRequest({}, '{}'), [key(undefined, BOUND)], NOW)).toMatchObject({ code: 'CREDENTIAL_MISSING', credential: { received: null } })
  })

  it('verifies a JWT against a public key, with issuer and audience', async () => {
    const k = key({ publicKey: pem }, { options: { issuer: 'https://issuer.example', audience: 'hookscope' } })
    const token = await jwt({}, { exp: NOW_S + 300, iss: 'https://issuer.example', aud: 'hookscope' })
    const verdict = await run(makeRequest(auth(token), '{}'), [k], NOW)
    expect(verdict).toMatchObject({
      status: 'valid',
      credential: { kind: 'bearer-jwt' },
      token: { protectedHeader: { alg: 'RS256' }, payload: { scope: 'webhooks' } }
    })
    const otherIssuer = await jwt({}, { exp: NOW_S + 300, iss: 'https://evil.example', aud: 'hookscope' })
    const wrong = await run(makeRequest(auth(otherIssuer), '{}'), [k], NOW)
    expect(wrong).toMatchObject({ code: 'TOKEN_INVALID' })
    expect(wrong.summary).toContain('issuer')
  })

  it('judges exp at the arrival time, and refuses a JWT signed by another key', async () => {
    const token = await jwt({}, { exp: NOW_S - 30 })
    expect(await run(makeRequest(auth(token), '{}'), [key({ publicKey: pem })], NOW)).toMatchObject({ code: 'TOKEN_EXPIRED' })
    expect((await run(makeRequest(auth(token), '{}'), [key({ publicKey: pem })], NOW - 60_000)).status).toBe('valid')
    const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString()
    expect(await run(makeRequest(auth(await jwt()), '{}'), [key({ publicKey: stranger })], NOW)).toMatchObject({ code: 'TOKEN_INVALID' })
  })

  it('selects a JWKS key by kid', async () => {
    const jwks = { keys: [{ ...rsa.publicKey.export({ format: 'jwk' }), kid: 'rsa-1' } as Record<string, unknown>] }
    expect((await run(makeRequest(auth(await jwt({}, { kid: 'rsa-1' })), '{}'), [key({ jwks })], NOW)).status).toBe('valid')
    expect(await run(makeRequest(auth(await jwt({}, { kid: 'rsa-2' })), '{}'), [key({ jwks })], NOW)).toMatchObject({ code: 'UNKNOWN_KEY_ID' })
  })

  it('checkKey wants a token or JWT verification material', () => {
    expect(bearer.checkKey({ material: { secret: TOKEN }, options: {}, keyId: null })).toBeNull()
    expect(bearer.checkKey({ material: { publicKey: pem }, options: {}, keyId: null })).toBeNull()
    expect(bearer.checkKey({ material: {}, options: {}, keyId: null })).toContain('fixed token')
    expect(bearer.checkKey({ material: { secret: TOKEN }, options: { audience: '' }, keyId: null })).toContain('audience')
  })
})
