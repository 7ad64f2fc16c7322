import { createCipheriv, createHash, randomBytes } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { aes256Gcm } from '../../../../../electron/engine/verify/schemes/keyed/aes-256-gcm'
import type { KeyEntry } from '../../../../../shared/model/keyring'
import { makeKey, makeRequest } from '../../../../helpers/verify-fixtures'
import { BOUND, run, verdictText } from './support/run'

const NOW = Date.UTC(2025, 9, 21, 12)
const plaintext = '{"event":"payment.succeeded","amount":4200,"payer":"Zoë"}'
const K1 = randomBytes(32)
const K2 = randomBytes(32)
const ID1 = 'whk_20251021_01'
const ID2 = 'whk_20251021_02'

interface SealOptions {
  keyId?: string | null
  encoding?: 'base64' | 'base64url' | 'hex'
  tagField?: boolean
  aad?: string
  nonce?: Buffer
}

function seal(key: Buffer, text = plaintext, o: SealOptions = {}): string {
  const nonce = o.nonce ?? randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', key, nonce)
  if (o.aad !== undefined) cipher.setAAD(Buffer.from(o.aad, 'utf8'))
  const ciphertext = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()])
  const tag = cipher.getAuthTag()
  const encoding = o.encoding ?? 'base64'
  const envelope: Record<string, string> = {}
  if (o.keyId !== null) envelope.keyId = o.keyId ?? ID1
  envelope.nonce = nonce.toString(encoding)
  if (o.tagField === false) envelope.ciphertext = Buffer.concat([ciphertext, tag]).toString(encoding)
  else {
    envelope.ciphertext = ciphertext.toString(encoding)
    envelope.tag = tag.toString(encoding)
  }
  if (o.aad !== undefined) envelope.aad = o.aad
  return JSON.stringify(envelope)
}

const key = (secret: Buffer | string, keyId: string | null, overrides: Partial<KeyEntry> = {}) =>
  makeKey('aes-256-gcm', { secret: typeof secret === 'string' ? secret : secret.toString('base64') }, { keyId, ...overrides })
const request = (body: string | Buffer) => makeRequest({ 'content-type': 'application/json' }, body)
const plain = (verdict: { decrypted?: { bodyBase64: string } }) => Buffer.from(verdict.decrypted!.bodyBase64, 'base64').toString('utf8')

describe('aes-256-gcm envelopes', () => {
  it('picks the key the envelope names and returns the plaintext', async () => {
    const k1 = key(K1, ID1)
    const k2 = key(K2, ID2)
    const verdict = await run(request(seal(K2, plaintext, { keyId: ID2 })), [k1, k2], NOW)
    expect(verdict).toMatchObject({ status: 'decrypted', scheme: 'aes-256-gcm', keyId: k2.id, code: null, decrypted: { keyId: ID2, keyStatus: 'ACTIVE' } })
    expect(plain(verdict)).toBe(plaintext)
    expect(verdict.summary).toContain(ID2)
  })

  it('takes the secret as base64 or hex, and the tag separate or appended', async () => {
    expect(plain(await run(request(seal(K1)), [key(K1.toString('hex'), ID1)], NOW))).toBe(plaintext)
    expect(plain(await run(request(seal(K1, plaintext, { tagField: false })), [key(K1, ID1)], NOW))).toBe(plaintext)
    const custom = key(K1, ID1, { options: { keyIdField: 'kid', nonceField: 'iv', ciphertextField: 'data.sealed', tagField: null } })
    const envelope = JSON.parse(seal(K1, plaintext, { tagField: false }))
    const body = JSON.stringify({ kid: envelope.keyId, iv: envelope.nonce, data: { sealed: envelope.ciphertext } })
    expect(plain(await run(request(body), [custom], NOW))).toBe(plaintext)
  })

  it('authenticates the aad', async () => {
    const body = seal(K1, plaintext, { aad: 'order:42' })
    expect(plain(await run(request(body), [key(K1, ID1)], NOW))).toBe(plaintext)
    const changed = body.replace('order:42', 'order:43')
    expect(await run(request(changed), [key(K1, ID1)], NOW)).toMatchObject({ status: 'invalid', code: 'DECRYPT_FAILED' })
  })

  it('says when the envelope names a key id the keyring does not have', async () => {
    const verdict = await run(request(seal(K1, plaintext, { keyId: 'whk_20250101_09' })), [key(K1, ID1), key(K2, ID2)], NOW)
    expect(verdict).toMatchObject({ status: 'invalid', code: 'UNKNOWN_KEY_ID' })
    expect(verdict.summary).toContain('envelope names whk_20250101_09, which is not in the keyring')
  })

  it('still decrypts with a DELETED key, reported as KEY_DELETED with the plaintext', async () => {
    const deleted = key(K1, ID1, { status: 'DELETED', deletedAt: NOW - 86_400_000 })
    const verdict = await run(request(seal(K1)), [key(K2, ID2), deleted], NOW)
    expect(verdict).toMatchObject({ status: 'invalid', code: 'KEY_DELETED', keyId: deleted.id, decrypted: { keyId: ID1, keyStatus: 'DELETED' } })
    expect(plain(verdict)).toBe(plaintext)
  })

  it('fails to decrypt with the wrong key and names the key that works (even DELETED)', async () => {
    const named = key(K2, ID1, { name: 'current key' })
    const works = key(K1, ID2, { name: 'retired key', status: 'DELETED' })
    const verdict = await run(request(seal(K1, plaintext, { keyId: ID1 })), [named, works], NOW)
    expect(verdict).toMatchObject({ status: 'invalid', code: 'DECRYPT_FAILED', keyId: named.id, findings: [{ code: 'OTHER_KEY', keyId: works.id }] })
    expect(verdict.summary).toContain('retired key')
    expect(verdict.decrypted).toBeUndefined()
  })

  it('explains a secret the sender hashes (SHA-256 of the text) rather than decodes', async () => {
    const secret = 'abcdefghijklmnopqrstuvwxyz012345'
    const derived = createHash('sha256').update(secret).digest()
    const verdict = await run(request(seal(derived)), [key(secret, ID1)], NOW)
    expect(verdict).toMatchObject({ code: 'DECRYPT_FAILED', findings: [{ code: 'SECRET_DECODING' }] })
    expect(verdict.summary).toContain('SHA-256')
  })

  it('explains nonce and ciphertext written in hex or base64url', async () => {
    const hex = await run(request(seal(K1, plaintext, { encoding: 'hex' })), [key(K1, ID1)], NOW)
    expect(hex).toMatchObject({ code: 'PAYLOAD_MALFORMED', findings: [{ code: 'PAYLOAD_ENCODING' }] })
    expect(hex.summary).toContain('hex')
    const url = await run(request(seal(K1, plaintext, { encoding: 'base64url', nonce: Buffer.alloc(12, 0xff) })), [key(K1, ID1)], NOW)
    expect(url).toMatchObject({ code: 'PAYLOAD_MALFORMED', findings: [{ code: 'PAYLOAD_ENCODING' }] })
    expect(url.summary).toContain('base64url')
    const configured = key(K1, ID1, { options: { encoding: 'hex' } })
    expect((await run(request(seal(K1, plaintext, { encoding: 'hex' })), [configured], NOW)).status).toBe('decrypted')
  })

  it('refuses a non-canonical base64 tag (same bytes, other text) and a short tag', async () => {
    const envelope = JSON.parse(seal(K1))
    const last = envelope.tag.at(-3) as string // 16 bytes → 22 characters + "=="; the last one carries 4 unused bits
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
    const sibling = alphabet[alphabet.indexOf(last) ^ 1]!
    expect(Buffer.from(envelope.tag.slice(0, -3) + sibling + '==', 'base64').equals(Buffer.from(envelope.tag, 'base64'))).toBe(true)
    const malleated = JSON.stringify({ ...envelope, tag: envelope.tag.slice(0, -3) + sibling + '==' })
    expect(await run(request(malleated), [key(K1, ID1)], NOW)).toMatchObject({ code: 'PAYLOAD_MALFORMED' })
    const short = JSON.stringify({ ...envelope, tag: Buffer.from(envelope.tag, 'base64').subarray(0, 12).toString('base64') })
    expect(await run(request(short), [key(K1, ID1)], NOW)).toMatchObject({ code: 'PAYLOAD_MALFORMED' })
  })

  it('calls a body without the envelope fields malformed', async () => {
    const verdict = await run(request(JSON.stringify({ keyId: ID1, nonce: 'AAAAAAAAAAAAAAAA' })), [key(K1, ID1, BOUND)], NOW)
    expect(verdict).toMatchObject({ code: 'PAYLOAD_MALFORMED' })
    expect(verdict.summary).toContain('ciphertext')
  })

  it('checkKey wants a 32-byte secret and a whk_YYYYMMDD_NN key id, and never echoes the secret', () => {
    const check = (secret: string, keyId: string | null, options = {}) => aes256Gcm.checkKey({ material: { secret }, options, keyId })
    expect(check(K1.toString('base64'), ID1)).toBeNull()
    expect(check(K1.toString('hex'), ID1)).toBeNull()
    const short = randomBytes(16).toString('base64')
    expect(check(short, ID1)).toContain('32-byte')
    expect(check(short, ID1)).not.toContain(short)
    expect(check(K1.toString('base64'), null)).toContain('whk_YYYYMMDD_NN')
    expect(check(K1.toString('base64'), 'whk_20251341_01')).toContain('real date')
    expect(check(K1.toString('base64'), 'key-1')).toContain('whk_YYYYMMDD_NN')
    expect(check(K1.toString('base64'), null, { keyIdField: null })).toBeNull()
    expect(check(K1.toString('base64'), ID1, { encoding: 'rot13' })).toContain('encoding')
  })

  it('never leaks the AES key into a verdict', async () => {
    const k = key(K2, ID1)
    const verdict = await run(request(seal(K1)), [k], NOW)
    expect(verdictText(verdict)).not.toContain(K2.toString('base64'))
    expect(verdictText(verdict)).not.toContain(K2.toString('hex'))
  })

  it('never decrypts an envelope with one byte changed (property)', async () => {
    const original = Buffer.from(seal(K1, plaintext, { aad: 'ctx' }))
    const keys = [key(K1, ID1), key(K2, ID2)]
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: original.length - 1 }), fc.integer({ min: 1, max: 255 }), async (index, delta) => {
        const changed = Buffer.from(original)
        changed[index] = (changed[index]! + delta) % 256
        const verdict = await run(request(changed), keys, NOW)
        expect(verdict.status).not.toBe('decrypted')
        expect(verdict.status).not.toBe('valid')
      }),
      { numRuns: 300 }
    )
  })
})
