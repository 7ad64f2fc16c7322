import { createCipheriv, createHash, randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { feishu } from '../../../../../electron/engine/verify/schemes/keyed/feishu'
import type { KeyEntry } from '../../../../../shared/model/keyring'
import { makeKey, makeRequest } from '../../../../helpers/verify-fixtures'
import { BOUND, ELSEWHERE, run, verdictText } from './support/run'

const NOW = 1_700_000_000_000
const ENCRYPT_KEY = 'kudryavka'
const event = '{"schema":"2.0","header":{"event_type":"im.message.receive_v1","token":"v"},"event":{"message":{"content":"{\\"text\\":\\"你好\\"}"}}}'

function encrypt(text: string, encryptKey = ENCRYPT_KEY): string {
  const iv = randomBytes(16)
  const cipher = createCipheriv('aes-256-cbc', createHash('sha256').update(encryptKey).digest(), iv)
  return Buffer.concat([iv, cipher.update(text, 'utf8'), cipher.final()]).toString('base64')
}

function signedHeaders(body: string, encryptKey = ENCRYPT_KEY, timestamp = '1700000000', nonce = '1628213489') {
  const signature = createHash('sha256')
    .update(timestamp + nonce + encryptKey + body)
    .digest('hex')
  return { 'X-Lark-Request-Timestamp': timestamp, 'X-Lark-Request-Nonce': nonce, 'X-Lark-Signature': signature }
}

const key = (secret = ENCRYPT_KEY, overrides: Partial<KeyEntry> = {}) => makeKey('feishu', { secret }, overrides)
const text = (verdict: { decrypted?: { bodyBase64: string } }) => Buffer.from(verdict.decrypted!.bodyBase64, 'base64').toString('utf8')

describe('feishu / lark encrypted events', () => {
  it('decrypts the documented vector ("test key" → "hello world") with a valid X-Lark-Signature', async () => {
    const body = JSON.stringify({ encrypt: 'P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk=' })
    const verdict = await run(makeRequest(signedHeaders(body, 'test key'), body), [key('test key')], NOW)
    expect(verdict).toMatchObject({ status: 'decrypted', scheme: 'feishu', code: null })
    expect(text(verdict)).toBe('hello world')
  })

  it('decrypts an event without a signature, saying it is unauthenticated', async () => {
    const body = JSON.stringify({ encrypt: encrypt(event) })
    const verdict = await run(makeRequest({}, body), [key()], NOW)
    expect(verdict).toMatchObject({ status: 'decrypted', code: null })
    expect(text(verdict)).toBe(event)
    expect(verdict.summary).toContain('not authenticated')
  })

  it('an unsigned payload that decrypts (valid padding) to text that is not JSON is decrypted, with a note: the documented vector', async () => {
    const body = JSON.stringify({ encrypt: 'P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk=' })
    const verdict = await run(makeRequest({}, body), [key('test key')], NOW)
    expect(verdict).toMatchObject({ status: 'decrypted', scheme: 'feishu', code: null })
    expect(text(verdict)).toBe('hello world')
    expect(verdict.steps.find((step) => step.label === 'AES-256-CBC')).toMatchObject({ ok: true })
    expect(verdict.summary).toContain('not JSON')
  })

  it('refuses a body changed after signing', async () => {
    const body = JSON.stringify({ encrypt: encrypt(event) })
    const verdict = await run(makeRequest(signedHeaders(body), body.replace('{"encrypt"', '{ "encrypt"')), [key()], NOW)
    expect(verdict).toMatchObject({ status: 'invalid', code: 'SIG_MISMATCH' })
    expect(verdict.decrypted).toBeUndefined()
  })

  it('with the wrong Encrypt Key: SIG_MISMATCH when signed, DECRYPT_FAILED when not, naming the key that works', async () => {
    const body = JSON.stringify({ encrypt: encrypt(event) })
    const wrong = key('another encrypt key')
    const right = key(ENCRYPT_KEY, { ...ELSEWHERE, name: 'lark bot (staging)' })
    const signed = await run(makeRequest(signedHeaders(body), body), [wrong, right], NOW)
    expect(signed).toMatchObject({ code: 'SIG_MISMATCH', findings: [{ code: 'OTHER_KEY', keyId: right.id }] })
    const unsigned = await run(makeRequest({}, body), [wrong, right], NOW)
    expect(unsigned).toMatchObject({ code: 'DECRYPT_FAILED', findings: [{ code: 'OTHER_KEY', keyId: right.id }] })
    expect(unsigned.summary).toContain('lark bot (staging)')
    expect(verdictText(signed)).not.toContain(ENCRYPT_KEY)
  })

  it('names a missing nonce header, and a missing signature when the key requires one', async () => {
    const body = JSON.stringify({ encrypt: encrypt(event) })
    const { 'X-Lark-Request-Nonce': _, ...rest } = signedHeaders(body)
    const missing = await run(makeRequest(rest, body), [key()], NOW)
    expect(missing).toMatchObject({ code: 'SIG_HEADER_MISSING' })
    expect(missing.summary).toContain('X-Lark-Request-Nonce')
    const strict = key(ENCRYPT_KEY, { options: { requireSignature: true } })
    expect(await run(makeRequest({}, body), [strict], NOW)).toMatchObject({ code: 'SIG_HEADER_MISSING' })
  })

  it('refuses a signed body that is not JSON (length-extension shape)', async () => {
    const body = '{"encrypt":"AAAA"}\u0080\u0000\u0000{"extra":1}'
    const verdict = await run(makeRequest(signedHeaders(body), body), [key()], NOW)
    expect(verdict).toMatchObject({ status: 'invalid', code: 'PAYLOAD_MALFORMED' })
  })

  it('refuses an "encrypt" value that is not whole AES blocks', async () => {
    const body = JSON.stringify({ encrypt: Buffer.alloc(40, 1).toString('base64') })
    expect(await run(makeRequest({}, body), [key(ENCRYPT_KEY, BOUND)], NOW)).toMatchObject({ code: 'DECRYPT_FAILED' })
  })

  it('checkKey wants the Encrypt Key', () => {
    expect(feishu.checkKey({ material: { secret: ENCRYPT_KEY }, options: {}, keyId: null })).toBeNull()
    expect(feishu.checkKey({ material: {}, options: {}, keyId: null })).toContain('Encrypt Key')
    expect(feishu.checkKey({ material: { secret: ENCRYPT_KEY }, options: { requireSignature: 'yes' }, keyId: null })).toContain('requireSignature')
  })
})
