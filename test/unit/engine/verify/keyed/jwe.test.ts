import { generateKeyPairSync, type KeyObject } from 'node:crypto'
import { CompactEncrypt } from 'jose'
import { describe, expect, it } from 'vitest'
import { jwe } from '../../../../../electron/engine/verify/schemes/keyed/jwe'
import type { KeyEntry } from '../../../../../shared/model/keyring'
import { makeKey, makeRequest } from '../../../../helpers/verify-fixtures'
import { BOUND, ELSEWHERE, run, verdictText } from './support/run'

const NOW = 1_700_000_000_000
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 })
const otherRsa = generateKeyPairSync('rsa', { modulusLength: 2048 })
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' })
const event = '{"event":"refund.created","amount":990}'
const pkcs8 = (key: KeyObject) => key.export({ type: 'pkcs8', format: 'pem' }).toString()

const encrypt = (publicKey: KeyObject, header: Record<string, unknown> = { alg: 'RSA-OAEP-256', enc: 'A256GCM' }, text = event) =>
  new CompactEncrypt(Buffer.from(text)).setProtectedHeader(header as never).encrypt(publicKey)
const key = (privateKey: string, overrides: Partial<KeyEntry> = {}) => makeKey('jwe', { privateKey }, overrides)
const text = (verdict: { decrypted?: { bodyBase64: string } }) => Buffer.from(verdict.decrypted!.bodyBase64, 'base64').toString('utf8')

describe('jwe', () => {
  it('decrypts a compact JWE body with a PKCS#8 key', async () => {
    const verdict = await run(makeRequest({ 'content-type': 'application/jose' }, await encrypt(rsa.publicKey)), [key(pkcs8(rsa.privateKey))], NOW)
    expect(verdict).toMatchObject({
      status: 'decrypted',
      scheme: 'jwe',
      code: null,
      token: { protectedHeader: { alg: 'RSA-OAEP-256', enc: 'A256GCM' } },
      decrypted: { keyStatus: 'ACTIVE' }
    })
    expect(text(verdict)).toBe(event)
  })

  it('decrypts ECDH-ES with a private JWK, from a header', async () => {
    const token = await encrypt(ec.publicKey, { alg: 'ECDH-ES+A256KW', enc: 'A128CBC-HS256' })
    const jwk = JSON.stringify(ec.privateKey.export({ format: 'jwk' }))
    const verdict = await run(makeRequest({ 'X-Encrypted': token }, '{}'), [key(jwk, { options: { header: 'X-Encrypted' } })], NOW)
    expect(verdict.status).toBe('decrypted')
    expect(text(verdict)).toBe(event)
  })

  it('refuses a tampered JWE', async () => {
    const token = await encrypt(rsa.publicKey)
    const parts = token.split('.')
    const ciphertext = Buffer.from(parts[3]!, 'base64url')
    ciphertext[0]! ^= 1
    parts[3] = ciphertext.toString('base64url')
    expect(await run(makeRequest({}, parts.join('.')), [key(pkcs8(rsa.privateKey))], NOW)).toMatchObject({ status: 'invalid', code: 'DECRYPT_FAILED' })
  })

  it('fails with the wrong key and names the keyring key that decrypts', async () => {
    const token = await encrypt(rsa.publicKey)
    const wrong = key(pkcs8(otherRsa.privateKey))
    expect(await run(makeRequest({}, token), [wrong], NOW)).toMatchObject({ code: 'DECRYPT_FAILED', findings: [] })
    const right = key(pkcs8(rsa.privateKey), { ...ELSEWHERE, name: 'jwe key (2024)' })
    const verdict = await run(makeRequest({}, token), [wrong, right], NOW)
    expect(verdict).toMatchObject({ code: 'DECRYPT_FAILED', findings: [{ code: 'OTHER_KEY', keyId: right.id }] })
    expect(verdict.summary).toContain('jwe key (2024)')
    expect(verdictText(verdict)).not.toContain('PRIVATE KEY')
  })

  it('reports a kid naming another key, a missing header, and a disallowed algorithm', async () => {
    const named = await encrypt(rsa.publicKey, { alg: 'RSA-OAEP-256', enc: 'A256GCM', kid: 'enc-2025' })
    expect(await run(makeRequest({}, named), [key(pkcs8(rsa.privateKey), { keyId: 'enc-2024' })], NOW)).toMatchObject({ code: 'UNKNOWN_KEY_ID' })
    expect((await run(makeRequest({}, named), [key(pkcs8(rsa.privateKey), { keyId: 'enc-2025' })], NOW)).status).toBe('decrypted')
    const missing = await run(makeRequest({}, '{}'), [key(pkcs8(rsa.privateKey), { ...BOUND, options: { header: 'X-Encrypted' } })], NOW)
    expect(missing).toMatchObject({ code: 'SIG_HEADER_MISSING' })
    const narrow = key(pkcs8(rsa.privateKey), { options: { keyManagementAlgorithms: ['RSA-OAEP'] } })
    const refused = await run(makeRequest({}, await encrypt(rsa.publicKey)), [narrow], NOW)
    expect(refused).toMatchObject({ code: 'DECRYPT_FAILED' })
    expect(refused.summary).toContain('not among the algorithms')
  })

  it('checkKey wants an unencrypted private key', () => {
    const check = (privateKey?: string) => jwe.checkKey({ material: privateKey ? { privateKey } : {}, options: {}, keyId: null })
    expect(check(pkcs8(rsa.privateKey))).toBeNull()
    expect(check()).toContain('private key')
    expect(check(rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString())).toContain('not a private key')
    const encrypted = rsa.privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pw' }).toString()
    expect(check(encrypted)).toContain('encrypted PEM')
  })
})
