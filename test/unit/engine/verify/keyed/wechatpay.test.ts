import { createCipheriv, generateKeyPairSync, randomBytes, sign } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { wechatpay } from '../../../../../electron/engine/verify/schemes/keyed/wechatpay'
import type { KeyEntry, KeyMaterial } from '../../../../../shared/model/keyring'
import { makeKey, makeRequest } from '../../../../helpers/verify-fixtures'
import { BOUND, ELSEWHERE, run, verdictText } from './support/run'
import { makeCertificate } from './support/x509'

const NOW = Date.UTC(2025, 5, 1, 8)
const TS = Math.floor(NOW / 1000)
const SERIAL = '5157F09EFDC096DE15EBE81A47057A7232F1B8E1'
const API_V3_KEY = 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6'
const platform = generateKeyPairSync('rsa', { modulusLength: 2048 })
const otherPlatform = generateKeyPairSync('rsa', { modulusLength: 2048 })

const certificate = (serialHex = SERIAL, notAfter = new Date(Date.UTC(2029, 0, 1)), pair = platform) =>
  makeCertificate({
    subject: 'Tenpay.com Root CA test platform',
    publicKey: pair.publicKey,
    selfKey: pair.privateKey,
    serialHex,
    notBefore: new Date(Date.UTC(2024, 0, 1)),
    notAfter,
    ca: false
  }).pem

const transaction = '{"mchid":"1900000001","out_trade_no":"1217752501201407033233368018","trade_state":"SUCCESS","amount":{"total":100,"currency":"CNY"}}'

function notification(apiKey = API_V3_KEY, text = transaction) {
  const nonce = 'fdasflkja484'
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(apiKey, 'utf8'), Buffer.from(nonce, 'utf8'))
  cipher.setAAD(Buffer.from('transaction', 'utf8'))
  const sealed = Buffer.concat([cipher.update(text, 'utf8'), cipher.final(), cipher.getAuthTag()])
  return JSON.stringify({
    id: 'EV-2018022511223320873',
    create_time: '2025-06-01T16:00:00+08:00',
    resource_type: 'encrypt-resource',
    event_type: 'TRANSACTION.SUCCESS',
    summary: '支付成功',
    resource: { original_type: 'transaction', algorithm: 'AEAD_AES_256_GCM', ciphertext: sealed.toString('base64'), associated_data: 'transaction', nonce }
  })
}

function headers(body: string, o: { ts?: number; serial?: string; privateKey?: typeof platform.privateKey } = {}) {
  const ts = String(o.ts ?? TS)
  const nonce = randomBytes(16).toString('hex').toUpperCase()
  const signature = sign('sha256', Buffer.from(`${ts}\n${nonce}\n${body}\n`), o.privateKey ?? platform.privateKey).toString('base64')
  return { 'Wechatpay-Signature': signature, 'Wechatpay-Timestamp': ts, 'Wechatpay-Nonce': nonce, 'Wechatpay-Serial': o.serial ?? SERIAL }
}

const key = (material: KeyMaterial = { certificate: certificate(), secret: API_V3_KEY }, overrides: Partial<KeyEntry> = {}) =>
  makeKey('wechatpay', material, overrides)

describe('wechatpay v3', () => {
  it('verifies the platform signature and decrypts the resource', async () => {
    const body = notification()
    const verdict = await run(makeRequest(headers(body), body), [key()], NOW)
    expect(verdict).toMatchObject({ status: 'decrypted', scheme: 'wechatpay', code: null, decrypted: { keyStatus: 'ACTIVE' } })
    expect(Buffer.from(verdict.decrypted!.bodyBase64, 'base64').toString('utf8')).toBe(transaction)
    expect(verdict.signedContent).toMatch(/^\d+\n[0-9A-F]+\n\{/)
    expect(verdictText(verdict)).not.toContain(API_V3_KEY)
  })

  it('verifies the signature alone when the key has no APIv3 key', async () => {
    const body = notification()
    const verdict = await run(makeRequest(headers(body), body), [key({ certificate: certificate() })], NOW)
    expect(verdict).toMatchObject({ status: 'valid', code: null })
    expect(verdict.decrypted).toBeUndefined()
  })

  it('selects the platform public key by PUB_KEY_ID', async () => {
    const body = notification()
    const publicKey = platform.publicKey.export({ type: 'spki', format: 'pem' }).toString()
    const byId = key({ publicKey, secret: API_V3_KEY }, { keyId: 'PUB_KEY_ID_0114232134912410000000000000000' })
    const verdict = await run(makeRequest(headers(body, { serial: 'PUB_KEY_ID_0114232134912410000000000000000' }), body), [byId], NOW)
    expect(verdict.status).toBe('decrypted')
  })

  it('answers UNKNOWN_KEY_ID when Wechatpay-Serial names another certificate', async () => {
    const body = notification()
    const verdict = await run(makeRequest(headers(body, { serial: '7A3B00000000000000000000000000000000FFFF' }), body), [key()], NOW)
    expect(verdict).toMatchObject({ status: 'invalid', code: 'UNKNOWN_KEY_ID' })
    expect(verdict.summary).toContain('7A3B')
  })

  it('refuses a tampered body', async () => {
    const body = notification()
    const verdict = await run(makeRequest(headers(body), body.replace('TRANSACTION.SUCCESS', 'REFUND.SUCCESS')), [key()], NOW)
    expect(verdict).toMatchObject({ status: 'invalid', code: 'SIG_MISMATCH' })
  })

  it('refuses a signature by another key, and names the keyring entry whose certificate verifies', async () => {
    const body = notification()
    const signedByOther = headers(body, { privateKey: otherPlatform.privateKey })
    const verdict = await run(makeRequest(signedByOther, body), [key()], NOW)
    expect(verdict).toMatchObject({ code: 'SIG_MISMATCH', findings: [] })
    const holder = key({ certificate: certificate('0A', undefined, otherPlatform) }, ELSEWHERE)
    expect(await run(makeRequest(signedByOther, body), [key(), holder], NOW)).toMatchObject({ findings: [{ code: 'OTHER_KEY', keyId: holder.id }] })
  })

  it('reports a resource sealed with another APIv3 key as DECRYPT_FAILED (signature still good)', async () => {
    const body = notification('Z'.repeat(32))
    const verdict = await run(makeRequest(headers(body), body), [key()], NOW)
    expect(verdict).toMatchObject({ status: 'invalid', code: 'DECRYPT_FAILED' })
    expect(verdict.steps.find((step) => step.label === 'Signature')?.ok).toBe(true)
  })

  it('recognises the WECHATPAY/SIGNTEST/ probe', async () => {
    const body = notification()
    const probe = { ...headers(body), 'Wechatpay-Signature': 'WECHATPAY/SIGNTEST/' + 'A'.repeat(300) }
    const verdict = await run(makeRequest(probe, body), [key()], NOW)
    expect(verdict).toMatchObject({ code: 'SIG_MISMATCH' })
    expect(verdict.summary).toContain('probe')
  })

  it('names missing headers, a stale timestamp and an expired platform certificate', async () => {
    const body = notification()
    const { 'Wechatpay-Serial': _, ...rest } = headers(body)
    const missing = await run(makeRequest(rest, body), [key(undefined, BOUND)], NOW)
    expect(missing).toMatchObject({ code: 'SIG_HEADER_MISSING' })
    expect(missing.summary).toContain('Wechatpay-Serial')
    expect(await run(makeRequest(headers(body, { ts: TS - 600 }), body), [key()], NOW)).toMatchObject({
      code: 'TIMESTAMP_STALE',
      timestamp: { toleranceSeconds: 300 }
    })
    const expired = key({ certificate: certificate(SERIAL, new Date(Date.UTC(2025, 0, 1))), secret: API_V3_KEY })
    expect(await run(makeRequest(headers(body), body), [expired], NOW)).toMatchObject({ code: 'CERT_UNTRUSTED' })
  })

  it('a key with only the APIv3 key decrypts the resource, and says why the signature is not checked', async () => {
    const body = notification()
    const verdict = await run(makeRequest(headers(body), body), [key({ secret: API_V3_KEY })], NOW)
    expect(verdict).toMatchObject({ status: 'decrypted', scheme: 'wechatpay', code: null })
    expect(Buffer.from(verdict.decrypted!.bodyBase64, 'base64').toString('utf8')).toBe(transaction)
    const step = verdict.steps.find((s) => s.label === 'Signature')!
    expect(step).toMatchObject({ ok: false })
    expect(step.detail).toContain('platform certificate')
    // Nothing to decrypt and nothing to check the signature with: not a pass.
    const plain = '{"id":"EV-1","event_type":"TRANSACTION.SUCCESS"}'
    expect(await run(makeRequest(headers(plain), plain), [key({ secret: API_V3_KEY })], NOW)).toMatchObject({ status: 'invalid', code: 'KEY_UNUSABLE' })
  })

  it("decrypts with the 16-byte APIv3 key of the official Go SDK's test (AES-128-GCM), with a warning", async () => {
    // wechatpay-go utils/aes_test.go: key "testAPIv3Key0000", nonce, associated data and ciphertext → "Hello World".
    const body = JSON.stringify({
      id: 'EV-2018022511223320873',
      event_type: 'TRANSACTION.SUCCESS',
      resource_type: 'encrypt-resource',
      resource: {
        original_type: 'transaction',
        algorithm: 'AEAD_AES_256_GCM',
        ciphertext: 'FsdXzxryWfKwvLJKf8LG/ToRPTRh8RN9wROC',
        associated_data: 'Dl56FrqWQJF1t9LtC3vEUsniZKvbqdR8',
        nonce: 'wCq51qZv4Yfg'
      }
    })
    const verdict = await run(makeRequest(headers(body), body), [key({ certificate: certificate(), secret: 'testAPIv3Key0000' })], NOW)
    expect(verdict).toMatchObject({ status: 'decrypted', code: null })
    expect(Buffer.from(verdict.decrypted!.bodyBase64, 'base64').toString('utf8')).toBe('Hello World')
    const step = verdict.steps.find((s) => s.label.startsWith('Resource'))!
    expect(step).toMatchObject({ label: 'Resource (AES-128-GCM)', ok: true })
    expect(step.detail).toContain('32 characters')
  })

  it('decrypts with a 24-byte APIv3 key (AES-192-GCM), with the same warning', async () => {
    const apiKey = 'twenty-four-byte-apiv3!!'
    const nonce = 'fdasflkja484'
    const cipher = createCipheriv('aes-192-gcm', Buffer.from(apiKey, 'utf8'), Buffer.from(nonce, 'utf8'))
    cipher.setAAD(Buffer.from('transaction', 'utf8'))
    const sealed = Buffer.concat([cipher.update(transaction, 'utf8'), cipher.final(), cipher.getAuthTag()])
    const body = JSON.stringify({
      id: 'EV-2',
      resource: { algorithm: 'AEAD_AES_256_GCM', ciphertext: sealed.toString('base64'), associated_data: 'transaction', nonce }
    })
    const verdict = await run(makeRequest(headers(body), body), [key({ certificate: certificate(), secret: apiKey })], NOW)
    expect(verdict).toMatchObject({ status: 'decrypted', code: null })
    expect(verdict.steps.find((s) => s.label.startsWith('Resource'))).toMatchObject({ label: 'Resource (AES-192-GCM)', ok: true })
  })

  it('checkKey wants an RSA platform certificate or key and/or an APIv3 key of 16, 24 or 32 bytes', () => {
    const check = (material: KeyMaterial) => wechatpay.checkKey({ material, options: {}, keyId: null })
    expect(check({ certificate: certificate(), secret: API_V3_KEY })).toBeNull()
    expect(check({ secret: API_V3_KEY })).toBeNull()
    expect(check({ secret: 'testAPIv3Key0000' })).toBeNull()
    expect(check({ secret: 'twenty-four-byte-apiv3!!' })).toBeNull()
    expect(check({})).toContain('platform certificate')
    expect(check({ certificate: certificate(), secret: 'short-key' })).toContain('32 characters')
    expect(check({ certificate: 'not pem' })).toContain('no PEM certificate')
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }).toString()
    expect(check({ publicKey: ec })).toContain('RSA')
  })
})
