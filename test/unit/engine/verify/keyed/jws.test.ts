import { generateKeyPairSync, type KeyObject } from 'node:crypto'
import { Environment, SignedDataVerifier } from '@apple/app-store-server-library'
import { CompactSign, FlattenedSign, SignJWT } from 'jose'
import { describe, expect, it } from 'vitest'
import { jwsScheme } from '../../../../../electron/engine/verify/schemes/keyed/jws'
import type { KeyEntry, KeyMaterial } from '../../../../../shared/model/keyring'
import { makeKey, makeRequest } from '../../../../helpers/verify-fixtures'
import { BOUND, ELSEWHERE, run } from './support/run'
import { makeCertificate } from './support/x509'

const NOW = Date.UTC(2025, 5, 1, 12)
const NOW_S = NOW / 1000
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' })
const otherEc = generateKeyPairSync('ec', { namedCurve: 'P-256' })
const ed = generateKeyPairSync('ed25519')
const pem = (key: KeyObject) => key.export({ type: 'spki', format: 'pem' }).toString()
const jwk = (key: KeyObject, kid: string) => ({ ...key.export({ format: 'jwk' }), kid, use: 'sig' }) as Record<string, unknown>
const payload = { notificationType: 'DID_RENEW', data: { bundleId: 'com.example' }, signedDate: NOW }

async function compact(body: unknown, privateKey: KeyObject, header: Record<string, unknown>) {
  return new CompactSign(Buffer.from(JSON.stringify(body))).setProtectedHeader(header as never).sign(privateKey)
}
const key = (material: KeyMaterial, overrides: Partial<KeyEntry> = {}) => makeKey('jws', material, overrides)
const json = (value: unknown) => makeRequest({ 'content-type': 'application/json' }, JSON.stringify(value))

/** An Apple-style chain: root CA → intermediate CA → leaf, EC P-256. */
function chain(o: { leafNotAfter?: Date; intermediateIsCa?: boolean; markers?: boolean } = {}) {
  const rootPair = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const intermediatePair = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const leafPair = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const from = new Date(Date.UTC(2024, 0, 1))
  const root = makeCertificate({
    subject: 'Test Root CA - G3',
    publicKey: rootPair.publicKey,
    selfKey: rootPair.privateKey,
    notBefore: from,
    notAfter: new Date(Date.UTC(2040, 0, 1)),
    ca: true
  })
  const intermediate = makeCertificate({
    subject: 'Test WWDR Intermediate',
    publicKey: intermediatePair.publicKey,
    issuer: { subject: 'Test Root CA - G3', privateKey: rootPair.privateKey },
    notBefore: from,
    notAfter: new Date(Date.UTC(2035, 0, 1)),
    ca: o.intermediateIsCa ?? true,
    markers: o.markers ? ['1.2.840.113635.100.6.2.1'] : []
  })
  const leaf = makeCertificate({
    subject: 'Test Store Signing Leaf',
    publicKey: leafPair.publicKey,
    issuer: { subject: 'Test WWDR Intermediate', privateKey: intermediatePair.privateKey },
    notBefore: from,
    notAfter: o.leafNotAfter ?? new Date(Date.UTC(2030, 0, 1)),
    ca: false,
    markers: o.markers ? ['1.2.840.113635.100.6.11.1'] : []
  })
  const x5c = [leaf, intermediate, root].map((cert) => cert.der.toString('base64'))
  return { root, intermediate, leaf, leafKey: leafPair.privateKey, x5c }
}

describe('jws', () => {
  it('verifies a JWS body with a PEM key and returns header and payload', async () => {
    const token = await compact(payload, ec.privateKey, { alg: 'ES256', kid: 'k1' })
    const verdict = await run(makeRequest({}, token), [key({ publicKey: pem(ec.publicKey) })], NOW)
    expect(verdict).toMatchObject({ status: 'valid', scheme: 'jws', code: null, token: { protectedHeader: { alg: 'ES256', kid: 'k1' }, payload } })
  })

  it('finds the JWS in a header (Bearer stripped) or a body field; EdDSA too', async () => {
    const token = await compact(payload, ed.privateKey, { alg: 'EdDSA' })
    const inHeader = key({ publicKey: pem(ed.publicKey) }, { options: { header: 'Authorization' } })
    expect((await run(makeRequest({ Authorization: `Bearer ${token}` }, '{}'), [inHeader], NOW)).status).toBe('valid')
    const inField = key({ publicKey: pem(ed.publicKey) }, { options: { field: 'signedPayload' } })
    expect((await run(json({ signedPayload: token }), [inField], NOW)).status).toBe('valid')
    // Without options, a top-level field holding a JWS is found (Apple's signedPayload).
    expect((await run(json({ signedPayload: token }), [key({ publicKey: pem(ed.publicKey) })], NOW)).status).toBe('valid')
  })

  it('verifies an Apple-style signedPayload through its x5c chain to the pinned root', async () => {
    const { root, leafKey, x5c } = chain()
    const token = await compact(payload, leafKey, { alg: 'ES256', x5c })
    const verdict = await run(json({ signedPayload: token }), [key({ certificate: root.pem })], NOW)
    expect(verdict).toMatchObject({ status: 'valid', token: { payload } })
    expect(verdict.steps.find((step) => step.label === 'x5c chain')).toMatchObject({ ok: true })
  })

  it("with the apple-app-store profile, requires Apple's marker extensions on leaf and intermediate", async () => {
    const apple = chain({ markers: true })
    const token = await compact(payload, apple.leafKey, { alg: 'ES256', x5c: apple.x5c })
    const profiled = (root: string) => key({ certificate: root }, { options: { profile: 'apple-app-store' } })
    expect((await run(json({ signedPayload: token }), [profiled(apple.root.pem)], NOW)).status).toBe('valid')
    // A certificate the same root issued for something else (no markers) is not an App Store signer.
    const developer = chain()
    const devToken = await compact(payload, developer.leafKey, { alg: 'ES256', x5c: developer.x5c })
    const refused = await run(json({ signedPayload: devToken }), [profiled(developer.root.pem)], NOW)
    expect(refused).toMatchObject({ code: 'CERT_UNTRUSTED' })
    expect(refused.summary).toContain('1.2.840.113635.100.6.11.1')
    expect((await run(json({ signedPayload: devToken }), [key({ certificate: developer.root.pem })], NOW)).status).toBe('valid')
  })

  it("builds the x5c path from the leaf to the trusted root and stops there: extra certificates do not fail it (Apple's library)", async () => {
    const apple = chain({ markers: true })
    const strangerPair = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    // A self-signed certificate at the end that differs from the trusted root (same name, other key).
    const lookalike = makeCertificate({
      subject: 'Test Root CA - G3',
      publicKey: strangerPair.publicKey,
      selfKey: strangerPair.privateKey,
      notBefore: new Date(Date.UTC(2024, 0, 1)),
      notAfter: new Date(Date.UTC(2040, 0, 1)),
      ca: true
    })
    const appleBody = {
      notificationType: 'DID_RENEW',
      notificationUUID: '002e14d5-51f5-4503-b5a8-c3a1af68eb20',
      data: { bundleId: 'com.example', environment: 'Sandbox' },
      version: '2.0',
      signedDate: NOW
    }
    const x5c = [apple.leaf, apple.intermediate, lookalike].map((cert) => cert.der.toString('base64'))
    const token = await compact(appleBody, apple.leafKey, { alg: 'ES256', x5c })

    // The oracle: Apple's App Store Server Library validates leaf → intermediate → trusted root and ignores x5c[2].
    const official = new SignedDataVerifier([apple.root.der], false, Environment.SANDBOX, 'com.example')
    await expect(official.verifyAndDecodeNotification(token)).resolves.toMatchObject({ notificationType: 'DID_RENEW' })

    const profiled = key({ certificate: apple.root.pem }, { options: { profile: 'apple-app-store' } })
    const verdict = await run(json({ signedPayload: token }), [profiled], NOW)
    expect(verdict).toMatchObject({ status: 'valid', code: null })
    expect(verdict.steps.find((step) => step.label === 'x5c chain')).toMatchObject({ ok: true })

    // The real root sent along, then more certificates (one of them expired): the path still ends at the root.
    const expiredPair = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    const expiredExtra = makeCertificate({
      subject: 'Old',
      publicKey: expiredPair.publicKey,
      selfKey: expiredPair.privateKey,
      notBefore: new Date(Date.UTC(2000, 0, 1)),
      notAfter: new Date(Date.UTC(2001, 0, 1)),
      ca: true
    })
    const longer = [...apple.x5c, lookalike.der.toString('base64'), expiredExtra.der.toString('base64')]
    const longerToken = await compact(appleBody, apple.leafKey, { alg: 'ES256', x5c: longer })
    expect((await run(json({ signedPayload: longerToken }), [profiled], NOW)).status).toBe('valid')

    // Extra certificates never stand in for a missing link: leaf + a stranger is still refused.
    const broken = [apple.leaf, lookalike].map((cert) => cert.der.toString('base64'))
    const brokenToken = await compact(appleBody, apple.leafKey, { alg: 'ES256', x5c: broken })
    await expect(official.verifyAndDecodeNotification(brokenToken)).rejects.toBeDefined()
    expect(await run(json({ signedPayload: brokenToken }), [profiled], NOW)).toMatchObject({ status: 'invalid', code: 'CERT_UNTRUSTED' })
  })

  it('refuses x5c chains to another root, with an expired leaf, or through a non-CA', async () => {
    const trusted = chain().root
    const foreign = chain()
    const token = await compact(payload, foreign.leafKey, { alg: 'ES256', x5c: foreign.x5c })
    const untrusted = await run(json({ signedPayload: token }), [key({ certificate: trusted.pem })], NOW)
    expect(untrusted).toMatchObject({ status: 'invalid', code: 'CERT_UNTRUSTED' })
    expect(untrusted.summary).toContain('not issued by a trusted root')

    const expiring = chain({ leafNotAfter: new Date(NOW - 1000) })
    const expiredToken = await compact(payload, expiring.leafKey, { alg: 'ES256', x5c: expiring.x5c })
    const expired = await run(json({ signedPayload: expiredToken }), [key({ certificate: expiring.root.pem })], NOW)
    expect(expired).toMatchObject({ code: 'CERT_UNTRUSTED' })
    expect(expired.summary).toContain('expired')
    // Same token, judged at an arrival time inside the leaf's validity: fine (arrival, not wall clock).
    expect((await run(json({ signedPayload: expiredToken }), [key({ certificate: expiring.root.pem })], NOW - 86_400_000)).status).toBe('valid')

    const notCa = chain({ intermediateIsCa: false })
    const notCaToken = await compact(payload, notCa.leafKey, { alg: 'ES256', x5c: notCa.x5c })
    const refused = await run(json({ signedPayload: notCaToken }), [key({ certificate: notCa.root.pem })], NOW)
    expect(refused).toMatchObject({ code: 'CERT_UNTRUSTED' })
    expect(refused.summary).toContain('not a CA')
  })

  it('selects the JWKS key by kid, and reports an unknown kid', async () => {
    const jwks = { keys: [jwk(otherEc.publicKey, 'old'), jwk(ec.publicKey, 'new')] }
    const token = await compact(payload, ec.privateKey, { alg: 'ES256', kid: 'new' })
    expect((await run(makeRequest({}, token), [key({ jwks })], NOW)).status).toBe('valid')
    const unknown = await compact(payload, ec.privateKey, { alg: 'ES256', kid: 'rotated' })
    const verdict = await run(makeRequest({}, unknown), [key({ jwks })], NOW)
    expect(verdict).toMatchObject({ code: 'UNKNOWN_KEY_ID' })
    expect(verdict.summary).toContain('rotated')
  })

  it('refuses a tampered payload with alg and kid in the summary', async () => {
    const token = await compact(payload, ec.privateKey, { alg: 'ES256', kid: 'k1' })
    const [h, p, s] = token.split('.')
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...payload, notificationType: 'REFUND' })).toString('base64url')}.${s}`
    expect(p).not.toBe(forged.split('.')[1])
    const verdict = await run(makeRequest({}, forged), [key({ publicKey: pem(ec.publicKey) })], NOW)
    expect(verdict).toMatchObject({ status: 'invalid', code: 'TOKEN_INVALID' })
    expect(verdict.summary).toContain('alg ES256')
    expect(verdict.summary).toContain('kid k1')
  })

  it('refuses the wrong key, and names the keyring key that verifies', async () => {
    const token = await compact(payload, ec.privateKey, { alg: 'ES256' })
    const wrong = key({ publicKey: pem(otherEc.publicKey) })
    expect(await run(makeRequest({}, token), [wrong], NOW)).toMatchObject({ code: 'TOKEN_INVALID', findings: [] })
    const right = key({ publicKey: pem(ec.publicKey) }, ELSEWHERE)
    expect(await run(makeRequest({}, token), [wrong, right], NOW)).toMatchObject({ code: 'TOKEN_INVALID', findings: [{ code: 'OTHER_KEY', keyId: right.id }] })
  })

  it('judges exp and nbf against the arrival time', async () => {
    const expired = await new SignJWT({ sub: 'x' })
      .setProtectedHeader({ alg: 'ES256' })
      .setExpirationTime(NOW_S - 60)
      .sign(ec.privateKey)
    const verdict = await run(makeRequest({}, expired), [key({ publicKey: pem(ec.publicKey) })], NOW)
    expect(verdict).toMatchObject({ code: 'TOKEN_EXPIRED' })
    expect(verdict.summary).toContain('60 s before the delivery arrived')
    expect((await run(makeRequest({}, expired), [key({ publicKey: pem(ec.publicKey) })], NOW - 120_000)).status).toBe('valid')
    const early = await new SignJWT({ sub: 'x' })
      .setProtectedHeader({ alg: 'ES256' })
      .setNotBefore(NOW_S + 600)
      .sign(ec.privateKey)
    expect(await run(makeRequest({}, early), [key({ publicKey: pem(ec.publicKey) })], NOW)).toMatchObject({ code: 'TOKEN_EXPIRED' })
    const tolerant = key({ publicKey: pem(ec.publicKey) }, { options: { clockToleranceSeconds: 900 } })
    expect((await run(makeRequest({}, early), [tolerant], NOW)).status).toBe('valid')
  })

  it('refuses HS256 and algorithms the key does not allow (no algorithm confusion)', async () => {
    // The classic confusion: an HMAC keyed with the (public) PEM text.
    const hs = await new SignJWT({ sub: 'x' }).setProtectedHeader({ alg: 'HS256' }).sign(Buffer.from(pem(ec.publicKey)))
    const verdict = await run(makeRequest({}, hs), [key({ publicKey: pem(ec.publicKey) })], NOW)
    expect(verdict).toMatchObject({ code: 'TOKEN_INVALID' })
    expect(verdict.summary).toContain('HS256')
    const token = await compact(payload, ec.privateKey, { alg: 'ES256' })
    const rsOnly = key({ publicKey: pem(ec.publicKey) }, { options: { algorithms: ['RS256'] } })
    expect(await run(makeRequest({}, token), [rsOnly], NOW)).toMatchObject({ code: 'TOKEN_INVALID' })
  })

  it('verifies a detached JWS over the body, and spots a body changed after signing', async () => {
    const body = '{"amount":4200}'
    const signed = await new FlattenedSign(Buffer.from(body)).setProtectedHeader({ alg: 'ES256' }).sign(ec.privateKey)
    const detached = `${signed.protected}..${signed.signature}`
    const k = key({ publicKey: pem(ec.publicKey) }, { options: { header: 'X-Signature' } })
    const verdict = await run(makeRequest({ 'X-Signature': detached }, body), [k], NOW)
    expect(verdict).toMatchObject({ status: 'valid', token: { protectedHeader: { alg: 'ES256' } } })
    expect(verdict.token?.payload).toBeUndefined()
    const changed = await run(makeRequest({ 'X-Signature': detached }, `${body}\n`), [k], NOW)
    expect(changed).toMatchObject({ code: 'TOKEN_INVALID', findings: [{ code: 'BODY_CHANGED' }] })
    // RFC 7797 unencoded payload
    const unencoded = await new FlattenedSign(Buffer.from(body)).setProtectedHeader({ alg: 'ES256', b64: false, crit: ['b64'] }).sign(ec.privateKey)
    expect((await run(makeRequest({ 'X-Signature': `${unencoded.protected}..${unencoded.signature}` }, body), [k], NOW)).status).toBe('valid')
  })

  it('names a missing header', async () => {
    const k = key({ publicKey: pem(ec.publicKey) }, { ...BOUND, options: { header: 'X-Signature' } })
    const verdict = await run(makeRequest({}, '{}'), [k], NOW)
    expect(verdict).toMatchObject({ code: 'SIG_HEADER_MISSING' })
    expect(verdict.summary).toContain('X-Signature')
  })

  it('checkKey validates material and options without echoing them', () => {
    const check = (material: KeyMaterial, options = {}) => jwsScheme.checkKey({ material, options, keyId: null })
    expect(check({ publicKey: pem(ec.publicKey) })).toBeNull()
    expect(check({ jwks: { keys: [jwk(ec.publicKey, 'a')] } })).toBeNull()
    expect(check({ certificate: chain().root.pem })).toBeNull()
    expect(check({})).toContain('public key')
    const privateJwk = ec.privateKey.export({ format: 'jwk' })
    const problem = check({ jwks: { keys: [privateJwk as Record<string, unknown>] } })
    expect(problem).toContain('private')
    expect(problem).not.toContain(privateJwk.d!)
    expect(check({ publicKey: pem(ec.publicKey) }, { header: 'X-Sig', field: 'payload' })).toContain('not both')
    expect(check({ publicKey: pem(ec.publicKey) }, { algorithms: ['none'] })).toContain('algorithms')
  })
})
