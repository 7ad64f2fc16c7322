import { createPrivateKey, generateKeyPairSync, randomBytes } from 'node:crypto'
import { EventWebhook } from '@sendgrid/eventwebhook'
import { verifyKey } from 'discord-interactions'
import { compactDecrypt, compactVerify, createLocalJWKSet, exportJWK, flattenedVerify, jwtVerify } from 'jose'
import { Webhook as StandardWebhook } from 'standardwebhooks'
import { describe, expect, it } from 'vitest'
import { signingProblem, signRequest } from '../../../../electron/engine/sign/sign-request'
import { makeCertificate } from '../verify/keyed/support/x509'
import { expectVerifies, headerOf, makeKey, NOW, pinDateToSigningClock, resign, signInput, verdictOf } from './sign-harness'

pinDateToSigningClock()

const json = JSON.stringify({ type: 'payment.succeeded', data: { id: 'pay_1', amount: 4200 } })
const pem = (key: { export(options: { type: 'pkcs8' | 'spki'; format: 'pem' }): string | Buffer }, type: 'pkcs8' | 'spki') =>
  String(key.export({ type, format: 'pem' }))
const ed = () => generateKeyPairSync('ed25519')

describe('public-key signatures with a private key', () => {
  it('Standard Webhooks v1a: whsk_ seed signs, the standardwebhooks-style whpk_ key verifies', async () => {
    const pair = ed()
    const seed = pair.privateKey.export({ type: 'pkcs8', format: 'der' }).subarray(-32)
    const raw = pair.publicKey.export({ type: 'spki', format: 'der' }).subarray(-32)
    const key = makeKey('standard-webhooks-v1a', { publicKey: `whpk_${raw.toString('base64')}`, privateKey: `whsk_${seed.toString('base64')}` })
    const input = signInput({ 'webhook-id': 'msg_old', 'webhook-timestamp': '1', 'webhook-signature': 'v1a,AAAA' }, json)
    const signed = resign(input, key)
    expect(headerOf(signed, 'webhook-signature')).toMatch(/^v1a,[A-Za-z0-9+/]+=*$/)
    await expectVerifies(signed, input, key)
    // v1 HMAC libraries must not mistake it for theirs.
    expect(() => new StandardWebhook('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw').verify(json, Object.fromEntries(signed.headers))).toThrow()
  })

  it('refuses a key with only the public half, and a private key that is not the pair of the public key', () => {
    const pair = ed()
    const publicOnly = makeKey('standard-webhooks-v1a', { publicKey: pem(pair.publicKey, 'spki') })
    expect(signRequest(signInput({}, json), publicOnly)).toMatchObject({ ok: false, code: 'KEY_CANNOT_SIGN' })
    const mismatched = makeKey('standard-webhooks-v1a', { publicKey: pem(pair.publicKey, 'spki'), privateKey: pem(ed().privateKey, 'pkcs8') })
    expect(signingProblem(mismatched)).toMatchObject({ code: 'KEY_PAIR_MISMATCH' })
    expect(JSON.stringify(signingProblem(mismatched))).not.toContain('PRIVATE KEY')
  })

  it('Discord: discord-interactions verifyKey accepts it', async () => {
    const pair = ed()
    const hex = pair.publicKey.export({ type: 'spki', format: 'der' }).subarray(-32).toString('hex')
    const key = makeKey('discord', { publicKey: hex, privateKey: pem(pair.privateKey, 'pkcs8') })
    const input = signInput({ 'X-Signature-Ed25519': '00', 'X-Signature-Timestamp': '1' }, json)
    const signed = resign(input, key)
    expect(await verifyKey(json, headerOf(signed, 'X-Signature-Ed25519')!, headerOf(signed, 'X-Signature-Timestamp')!, hex)).toBe(true)
    await expectVerifies(signed, input, key)
  })

  it('SendGrid: @sendgrid/eventwebhook accepts it', async () => {
    const pair = generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
    const dashboard = pair.publicKey.export({ type: 'spki', format: 'der' }).toString('base64')
    const key = makeKey('sendgrid', { publicKey: dashboard, privateKey: pem(pair.privateKey, 'pkcs8') })
    const body = '[{"email":"a@example.com","event":"delivered"}]\r\n'
    const input = signInput({}, body)
    const signed = resign(input, key)
    const webhook = new EventWebhook()
    expect(
      webhook.verifySignature(
        webhook.convertPublicKeyToECDSA(dashboard),
        body,
        headerOf(signed, 'X-Twilio-Email-Event-Webhook-Signature')!,
        headerOf(signed, 'X-Twilio-Email-Event-Webhook-Timestamp')!
      )
    ).toBe(true)
    await expectVerifies(signed, input, key)
  })

  it('WeChat Pay: names the platform certificate that holds the pair, and re-seals a given plaintext', async () => {
    const platform = generateKeyPairSync('rsa', { modulusLength: 2048 })
    const serial = '5157F09EFDC096DE15EBE81A47057A7232F1B8E1'
    const certificate = makeCertificate({
      subject: 'test platform',
      publicKey: platform.publicKey,
      selfKey: platform.privateKey,
      serialHex: serial,
      notBefore: new Date(Date.UTC(2023, 0, 1)),
      notAfter: new Date(Date.UTC(2029, 0, 1)),
      ca: false
    }).pem
    const apiV3 = 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6'
    const key = makeKey('wechatpay', { certificate, secret: apiV3, privateKey: pem(platform.privateKey, 'pkcs8') })
    const body = JSON.stringify({ id: 'n1', resource: { algorithm: 'AEAD_AES_256_GCM', ciphertext: 'AAAA', nonce: 'x', associated_data: 'transaction' } })
    const plaintext = Buffer.from('{"trade_state":"SUCCESS"}')
    const input = signInput({ 'Wechatpay-Serial': 'OLD' }, body, { plaintext })
    const signed = resign(input, key)
    expect(headerOf(signed, 'Wechatpay-Serial')).toBe(serial)
    const verdict = await expectVerifies(signed, input, key)
    expect(Buffer.from(verdict.decrypted!.bodyBase64, 'base64').equals(plaintext)).toBe(true)
  })
})

describe('JOSE', () => {
  it('JWS in the body: re-signed with the original alg, claims renewed, verified by jose', async () => {
    const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1' }
    const key = makeKey('jws', { jwks: { keys: [jwk] }, privateKey: pem(pair.privateKey, 'pkcs8') })
    const original = `${Buffer.from('{"alg":"ES256","kid":"k1"}').toString('base64url')}.${Buffer.from(JSON.stringify({ iat: 1_600_000_000, exp: 1_600_000_600, jti: 'old', event: 'x' })).toString('base64url')}.AAAA`
    const input = signInput({ 'Content-Type': 'application/jose' }, original)
    const signed = resign(input, key)
    const result = await jwtVerify(signed.body.toString(), createLocalJWKSet({ keys: [jwk] }), { currentDate: new Date(NOW) })
    expect(result.protectedHeader).toMatchObject({ alg: 'ES256', kid: 'k1' })
    expect(result.payload).toMatchObject({ iat: NOW / 1000, exp: NOW / 1000 + 600, jti: input.newId, event: 'x' })
    await expectVerifies(signed, input, key)
  })

  it('JWS in a header, detached over the body; Apple-style field; RSA-PSS', async () => {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 })
    const publicKey = pem(pair.publicKey, 'spki')
    const detachedKey = makeKey(
      'jws',
      { publicKey, privateKey: pem(pair.privateKey, 'pkcs8') },
      { options: { header: 'X-JWS-Signature', algorithms: ['PS256'] } }
    )
    const input = signInput({}, json)
    const signed = resign(input, detachedKey)
    const token = headerOf(signed, 'X-JWS-Signature')!
    expect(token.split('.')[1]).toBe('')
    const [head, , signature] = token.split('.')
    await expect(
      flattenedVerify({ protected: head!, payload: Buffer.from(json).toString('base64url'), signature: signature! }, pair.publicKey)
    ).resolves.toBeTruthy()
    await expectVerifies(signed, input, detachedKey)

    const fieldKey = makeKey('jws', { publicKey, privateKey: pem(pair.privateKey, 'pkcs8') }, { options: { field: 'signedPayload' } })
    const inner = `${Buffer.from('{"alg":"RS256"}').toString('base64url')}.${Buffer.from('{"notificationType":"TEST"}').toString('base64url')}.AAAA`
    const fieldInput = signInput({}, JSON.stringify({ signedPayload: inner }))
    const fieldSigned = resign(fieldInput, fieldKey)
    const { payload } = await compactVerify(JSON.parse(fieldSigned.body.toString()).signedPayload, pair.publicKey)
    expect(JSON.parse(Buffer.from(payload).toString())).toMatchObject({ notificationType: 'TEST' })
    await expectVerifies(fieldSigned, fieldInput, fieldKey)
  })

  it('refuses a JWS key that verifies through a pinned root certificate only', () => {
    const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    const root = makeCertificate({
      subject: 'root',
      publicKey: pair.publicKey,
      selfKey: pair.privateKey,
      notBefore: new Date(Date.UTC(2023, 0, 1)),
      notAfter: new Date(Date.UTC(2029, 0, 1)),
      ca: true
    }).pem
    expect(signingProblem(makeKey('jws', { certificate: root, privateKey: pem(pair.privateKey, 'pkcs8') }))).toMatchObject({ code: 'KEY_CANNOT_SIGN' })
    expect(signingProblem(makeKey('jws', { certificate: root }))).toMatchObject({ code: 'KEY_CANNOT_SIGN' })
  })

  it('Bearer: a fixed token is re-sent; with a private key a fresh JWT is minted that jose accepts', async () => {
    const fixed = makeKey('bearer', { secret: 'tok_live_123' })
    const fixedInput = signInput({ Authorization: 'Bearer old' }, json)
    const fixedSigned = resign(fixedInput, fixed)
    expect(headerOf(fixedSigned, 'Authorization')).toBe('Bearer tok_live_123')
    await expectVerifies(fixedSigned, fixedInput, fixed)

    const pair = ed()
    const jwt = makeKey(
      'bearer',
      { publicKey: pem(pair.publicKey, 'spki'), privateKey: pem(pair.privateKey, 'pkcs8') },
      { options: { issuer: 'https://issuer.test', audience: 'hookscope' } }
    )
    const input = signInput({}, json)
    const signed = resign(input, jwt)
    const token = headerOf(signed, 'Authorization')!.replace('Bearer ', '')
    const result = await jwtVerify(token, pair.publicKey, { issuer: 'https://issuer.test', audience: 'hookscope', currentDate: new Date(NOW) })
    expect(result.payload.jti).toBe(input.newId)
    await expectVerifies(signed, input, jwt)
  })

  it('TrueLayer: a detached ES512 Tl-Signature over method, path, listed headers and body', async () => {
    const pair = generateKeyPairSync('ec', { namedCurve: 'P-521' })
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'tl-1' }
    const key = makeKey(
      'truelayer',
      { jwks: { keys: [jwk] }, privateKey: pem(pair.privateKey, 'pkcs8') },
      { options: { requiredHeaders: ['X-Tl-Webhook-Timestamp'] } }
    )
    const input = signInput({ 'X-Tl-Webhook-Timestamp': '2020-01-01T00:00:00Z', 'Content-Type': 'application/json' }, json)
    const signed = resign(input, key)
    expect(headerOf(signed, 'X-Tl-Webhook-Timestamp')).toBe('2023-11-14T22:13:20Z')
    const [head, , signature] = headerOf(signed, 'Tl-Signature')!.split('.')
    const payload = `POST /webhook\nX-Tl-Webhook-Timestamp: 2023-11-14T22:13:20Z\n${json}`
    const verified = await flattenedVerify({ protected: head!, payload: Buffer.from(payload).toString('base64url'), signature: signature! }, pair.publicKey)
    expect(verified.protectedHeader).toMatchObject({ alg: 'ES512', kid: 'tl-1', tl_version: '2', tl_headers: 'X-Tl-Webhook-Timestamp' })
    await expectVerifies(signed, input, key)
  })

  it('JWE: a plaintext body is encrypted to the key (jose decrypts it); its own JWE re-opens; one under another key needs its plaintext', async () => {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 })
    const key = makeKey('jwe', { privateKey: pem(pair.privateKey, 'pkcs8') }, { keyId: 'enc-1' })
    const input = signInput({ 'Content-Type': 'application/jose' }, json)
    const signed = resign(input, key)
    const { plaintext, protectedHeader } = await compactDecrypt(signed.body.toString(), pair.privateKey)
    expect(Buffer.from(plaintext).toString()).toBe(json)
    expect(protectedHeader).toMatchObject({ alg: 'RSA-OAEP-256', enc: 'A256GCM', kid: 'enc-1' })
    const verdict = await expectVerifies(signed, input, key)
    expect(Buffer.from(verdict.decrypted!.bodyBase64, 'base64').toString()).toBe(json)

    const again = signInput({}, signed.body)
    const reopened = resign(again, key)
    expect(reopened.body.equals(signed.body)).toBe(false)
    expect(Buffer.from((await compactDecrypt(reopened.body.toString(), pair.privateKey)).plaintext).toString()).toBe(json)
    const other = makeKey('jwe', { privateKey: pem(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey, 'pkcs8') })
    expect(signRequest(again, other)).toMatchObject({ ok: false, code: 'ENVELOPE_NOT_OPENABLE' })
    const edited = resign({ ...again, plaintext: Buffer.from('{"edited":true}') }, other)
    expect(Buffer.from((await compactDecrypt(edited.body.toString(), createPrivateKey(other.material.privateKey!))).plaintext).toString()).toBe(
      '{"edited":true}'
    )
  })

  it('JWE refuses EC keys (ECDH-ES is not produced)', () => {
    const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    expect(signingProblem(makeKey('jwe', { privateKey: pem(pair.privateKey, 'pkcs8') }))).toMatchObject({ code: 'SCHEME_CANNOT_SIGN' })
  })
})

describe('encrypted envelopes', () => {
  const SECRET = randomBytes(32).toString('base64')

  it('AES-256-GCM: a plaintext is sealed under the ACTIVE key with its whk_ id; the envelope re-seals with a fresh nonce', async () => {
    const key = makeKey('aes-256-gcm', { secret: SECRET }, { keyId: 'whk_20251021_01' })
    const input = signInput({ 'Content-Type': 'application/json' }, json)
    const sealed = resign(input, key)
    const envelope = JSON.parse(sealed.body.toString())
    expect(envelope).toMatchObject({ keyId: 'whk_20251021_01' })
    const verdict = await expectVerifies(sealed, input, key)
    expect(Buffer.from(verdict.decrypted!.bodyBase64, 'base64').toString()).toBe(json)

    const again = resign(signInput({}, sealed.body), key)
    const next = JSON.parse(again.body.toString())
    expect(next.nonce).not.toBe(envelope.nonce)
    const reopened = await expectVerifies(again, signInput({}, sealed.body), key)
    expect(Buffer.from(reopened.decrypted!.bodyBase64, 'base64').toString()).toBe(json)
  })

  it('AES-256-GCM follows the field options (nested names, hex, tag appended) and keeps the aad and other fields', async () => {
    const options = { keyIdField: 'meta.kid', nonceField: 'iv', ciphertextField: 'data', tagField: null, encoding: 'hex' }
    const key = makeKey('aes-256-gcm', { secret: SECRET }, { keyId: 'whk_20251021_02', options })
    const first = resign(signInput({}, json), key)
    const withExtras = JSON.stringify({ ...JSON.parse(first.body.toString()), event: 'payment', aad: 'tenant-7' })
    const input = signInput({}, withExtras, { plaintext: Buffer.from('{"v":2}') })
    const signed = resign(input, key)
    const envelope = JSON.parse(signed.body.toString())
    expect(envelope).toMatchObject({ meta: { kid: 'whk_20251021_02' }, event: 'payment', aad: 'tenant-7' })
    expect(envelope.iv).toMatch(/^[0-9a-f]{24}$/)
    const verdict = await expectVerifies(signed, input, key)
    expect(Buffer.from(verdict.decrypted!.bodyBase64, 'base64').toString()).toBe('{"v":2}')
  })

  it('AES-256-GCM: an envelope sealed under a rotated-out key needs its plaintext; DELETED keys never seal', async () => {
    const old = makeKey('aes-256-gcm', { secret: SECRET }, { keyId: 'whk_20250101_01' })
    const current = makeKey('aes-256-gcm', { secret: randomBytes(32).toString('base64') }, { keyId: 'whk_20251021_01' })
    const sealedOld = resign(signInput({}, json), old)
    expect(signRequest(signInput({}, sealedOld.body), current)).toMatchObject({ ok: false, code: 'ENVELOPE_NOT_OPENABLE' })
    const input = signInput({}, sealedOld.body, { plaintext: Buffer.from(json) })
    const resealed = resign(input, current)
    expect(JSON.parse(resealed.body.toString()).keyId).toBe('whk_20251021_01')
    await expectVerifies(resealed, input, current, [{ ...old, status: 'DELETED' }, current])
    expect(signRequest(input, { ...old, status: 'DELETED' })).toMatchObject({ ok: false, code: 'KEY_NOT_ACTIVE' })
  })

  it('Feishu: re-encrypted with the Encrypt Key and signed', async () => {
    const key = makeKey('feishu', { secret: 'feishu-encrypt-key' }, { options: { requireSignature: true } })
    const input = signInput({}, '{"schema":"2.0","header":{"event_type":"im.message.receive_v1"}}')
    const signed = resign(input, key)
    expect(Object.keys(JSON.parse(signed.body.toString()))).toEqual(['encrypt'])
    const verdict = await expectVerifies(signed, input, key)
    expect(Buffer.from(verdict.decrypted!.bodyBase64, 'base64').toString()).toBe(input.body.toString())
  })
})

describe('credentials', () => {
  it('API key (with prefix) and Basic', async () => {
    const apiKey = makeKey('api-key', { secret: 'sk_abcdef123456' }, { options: { header: 'Authorization', prefix: 'Token' } })
    const apiInput = signInput({ Authorization: 'Token old' }, json)
    const apiSigned = resign(apiInput, apiKey)
    expect(headerOf(apiSigned, 'Authorization')).toBe('Token sk_abcdef123456')
    await expectVerifies(apiSigned, apiInput, apiKey)
    const basic = makeKey('basic', { secret: 'client:s3cret' })
    const basicInput = signInput({}, json)
    const basicSigned = resign(basicInput, basic)
    expect(headerOf(basicSigned, 'Authorization')).toBe(`Basic ${Buffer.from('client:s3cret').toString('base64')}`)
    await expectVerifies(basicSigned, basicInput, basic)
  })
})

it('a tampered re-signed body never verifies (the signature covers it)', async () => {
  const pair = ed()
  const key = makeKey('discord', { publicKey: pem(pair.publicKey, 'spki'), privateKey: pem(pair.privateKey, 'pkcs8') })
  const input = signInput({}, json)
  const signed = resign(input, key)
  const verdict = await verdictOf({ ...signed, body: Buffer.from(json.replace('4200', '4201')) }, input, [key])
  expect(verdict.status).toBe('invalid')
})
