import { generateKeyPairSync, sign } from 'node:crypto'
import { verifyKey } from 'discord-interactions'
import { describe, expect, it } from 'vitest'
import { discord } from '../../../../../electron/engine/verify/schemes/keyed/discord'
import { makeKey, makeRequest } from '../../../../helpers/verify-fixtures'
import { BOUND, ELSEWHERE, run } from './support/run'

const NOW = 1_700_000_000
const body = '{"type":1,"id":"1234","application_id":"5678"}'
const pair = generateKeyPairSync('ed25519')
const other = generateKeyPairSync('ed25519')
const hexKey = (key = pair.publicKey) => Buffer.from(key.export({ format: 'jwk' }).x!, 'base64url').toString('hex')

function signed(payload = body, timestamp = String(NOW), privateKey = pair.privateKey) {
  const signature = sign(null, Buffer.from(timestamp + payload), privateKey).toString('hex')
  return { 'X-Signature-Ed25519': signature, 'X-Signature-Timestamp': timestamp }
}
const key = (publicKey = hexKey(), overrides = {}) => makeKey('discord', { publicKey }, overrides)

describe('discord (Ed25519)', () => {
  it('agrees with discord-interactions verifyKey on a valid request', async () => {
    const headers = signed()
    expect(await verifyKey(body, headers['X-Signature-Ed25519'], headers['X-Signature-Timestamp'], hexKey())).toBe(true)
    const verdict = await run(makeRequest(headers, body), [key()], NOW * 1000)
    expect(verdict).toMatchObject({ status: 'valid', scheme: 'discord', code: null })
    expect(verdict.signedContent).toBe(`${NOW}${body}`)
  })

  it('agrees with the oracle that a tampered body or timestamp fails', async () => {
    const headers = signed()
    const tampered = body.replace('1234', '1235')
    expect(await verifyKey(tampered, headers['X-Signature-Ed25519'], headers['X-Signature-Timestamp'], hexKey())).toBe(false)
    expect(await run(makeRequest(headers, tampered), [key()], NOW * 1000)).toMatchObject({ status: 'invalid', code: 'SIG_MISMATCH' })
    const retimed = { ...headers, 'X-Signature-Timestamp': String(NOW + 1) }
    expect(await verifyKey(body, retimed['X-Signature-Ed25519'], retimed['X-Signature-Timestamp'], hexKey())).toBe(false)
    expect(await run(makeRequest(retimed, body), [key()], NOW * 1000)).toMatchObject({ code: 'SIG_MISMATCH' })
  })

  it('refuses the wrong application key, and names the keyring key that verifies', async () => {
    const headers = signed()
    expect(await verifyKey(body, headers['X-Signature-Ed25519'], headers['X-Signature-Timestamp'], hexKey(other.publicKey))).toBe(false)
    const wrong = key(hexKey(other.publicKey))
    expect(await run(makeRequest(headers, body), [wrong], NOW * 1000)).toMatchObject({ code: 'SIG_MISMATCH', findings: [] })
    const right = key(hexKey(), ELSEWHERE)
    expect(await run(makeRequest(headers, body), [wrong, right], NOW * 1000)).toMatchObject({ findings: [{ code: 'OTHER_KEY', keyId: right.id }] })
  })

  it('names a missing header', async () => {
    const verdict = await run(makeRequest({ 'X-Signature-Ed25519': signed()['X-Signature-Ed25519'] }, body), [key(hexKey(), BOUND)], NOW * 1000)
    expect(verdict).toMatchObject({ code: 'SIG_HEADER_MISSING' })
    expect(verdict.summary).toContain('X-Signature-Timestamp')
  })

  it('explains a base64 signature where hex belongs', async () => {
    const b64 = sign(null, Buffer.from(`${NOW}${body}`), pair.privateKey).toString('base64')
    const verdict = await run(makeRequest({ 'X-Signature-Ed25519': b64, 'X-Signature-Timestamp': String(NOW) }, body), [key()], NOW * 1000)
    expect(verdict).toMatchObject({ code: 'SIG_HEADER_MALFORMED', findings: [{ code: 'SIGNATURE_ENCODING' }] })
  })

  it('applies no timestamp window unless the key sets one', async () => {
    const old = signed(body, String(NOW - 3600))
    expect((await run(makeRequest(old, body), [key()], NOW * 1000)).status).toBe('valid')
    expect(await run(makeRequest(old, body), [key(hexKey(), { options: { toleranceSeconds: 300 } })], NOW * 1000)).toMatchObject({ code: 'TIMESTAMP_STALE' })
  })

  it('checkKey wants an Ed25519 public key', () => {
    expect(discord.checkKey({ material: { publicKey: hexKey() }, options: {}, keyId: null })).toBeNull()
    expect(discord.checkKey({ material: {}, options: {}, keyId: null })).toContain('public key')
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString()
    expect(discord.checkKey({ material: { publicKey: rsa }, options: {}, keyId: null })).toContain('Ed25519')
  })
})
