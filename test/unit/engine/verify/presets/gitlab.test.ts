import { describe, expect, it } from 'vitest'
import { check, detectedScheme, makeKey, makeRequest, outcome, without } from './preset-harness'

// GitLab sends the configured secret token itself in X-Gitlab-Token (docs.gitlab.com, "Webhooks › Secret token").
const TOKEN = 'glwt-3c0f6b1e9a7d4e2f'
const NOW = 1_700_000_000
const body = '{"object_kind":"push","ref":"refs/heads/main","project":{"id":15,"name":"Diaspora"}}'
const headers = (token = TOKEN): Record<string, string> => ({
  'X-Gitlab-Event': 'Push Hook',
  'X-Gitlab-Token': token,
  'X-Gitlab-Instance': 'https://gitlab.example.com',
  'X-Gitlab-Webhook-UUID': '16b9a2b8-4f43-4c4a-9b5b-1e2f3a4b5c6d',
  'X-Gitlab-Event-UUID': '13792a34-cac6-4fda-95a8-c58e00a3954e',
  'Idempotency-Key': 'f5ee8b6e-3d3b-4a0a-8c44-0f9e1f0c9a11',
  'Content-Type': 'application/json'
})
const key = (secret = TOKEN) => makeKey('gitlab', { secret })
const run = (h: Record<string, string>, keys = [key()]) => check(makeRequest(h, body), keys, NOW)

describe('gitlab preset', () => {
  it('accepts the configured token, with the Idempotency-Key (kept across retries) as delivery id', async () => {
    const verdict = await run(headers())
    expect(outcome(verdict)).toEqual({ status: 'valid', scheme: 'gitlab', code: null, findings: [] })
    expect(verdict.deliveryId).toBe('f5ee8b6e-3d3b-4a0a-8c44-0f9e1f0c9a11')
    expect((await run(without(headers(), 'Idempotency-Key'))).deliveryId).toBe('16b9a2b8-4f43-4c4a-9b5b-1e2f3a4b5c6d')
  })

  it('refuses another token, and says when only whitespace differs', async () => {
    expect(outcome(await run(headers('glwt-wrong')))).toMatchObject({ status: 'invalid', code: 'CREDENTIAL_MISMATCH', findings: [] })
    expect(outcome(await run(headers(TOKEN), [key(`${TOKEN}\n`)]))).toMatchObject({ code: 'CREDENTIAL_MISMATCH', findings: ['SECRET_DECODING'] })
    expect(outcome(await run(headers(TOKEN.slice(0, -1))))).toMatchObject({ code: 'CREDENTIAL_MISMATCH', findings: [] })
  })

  it('points to another key holding the token, and to a DELETED one', async () => {
    const other = makeKey('hmac', { secret: 'glwt-elsewhere' })
    const verdict = await run(headers('glwt-elsewhere'), [key(), other])
    expect(outcome(verdict)).toMatchObject({ code: 'CREDENTIAL_MISMATCH', findings: ['OTHER_KEY'] })
    expect(verdict.findings[0]?.keyId).toBe(other.id)
    const old = makeKey('gitlab', { secret: 'glwt-old' }, { status: 'DELETED' })
    expect(await run(headers('glwt-old'), [key(), old])).toMatchObject({ code: 'KEY_DELETED', keyId: old.id })
  })

  it('never puts the token in the verdict', async () => {
    const verdict = await run(headers('glwt-wrong'))
    expect(JSON.stringify(verdict)).not.toContain(TOKEN)
  })

  it('reports a missing token and is detected from its headers', async () => {
    expect(await run(without(headers(), 'X-Gitlab-Token'))).toMatchObject({ code: 'CREDENTIAL_MISSING' })
    expect(await detectedScheme(headers(), body)).toMatchObject({ code: 'NO_KEY', scheme: 'gitlab' })
  })
})
