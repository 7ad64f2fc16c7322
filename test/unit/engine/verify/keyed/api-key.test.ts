import { describe, expect, it } from 'vitest'
import { apiKey } from '../../../../../electron/engine/verify/schemes/keyed/api-key'
import { maskCredential } from '../../../../../electron/engine/verify/schemes/keyed/credential-common'
import type { KeyEntry } from '../../../../../shared/model/keyring'
import { makeKey, makeRequest } from '../../../../helpers/verify-fixtures'
import { BOUND, ELSEWHERE, run, verdictText } from './support/run'

const NOW = 1_700_000_000_000
const SECRET = 'sk_live_9f8e7d6c5b4a39281706f5e4'
const key = (secret = SECRET, overrides: Partial<KeyEntry> = {}) => makeKey('api-key', { secret }, overrides)

describe('api-key', () => {
  it('accepts the right key, showing it masked', async () => {
    const verdict = await run(makeRequest({ 'X-API-Key': SECRET }, '{}'), [key()], NOW)
    expect(verdict).toMatchObject({
      status: 'valid',
      scheme: 'api-key',
      credential: { kind: 'api-key', expected: `sk_l…(${SECRET.length} chars)`, received: `sk_l…(${SECRET.length} chars)` }
    })
    expect(verdictText(verdict)).not.toContain(SECRET)
  })

  it('refuses a wrong key without showing either value, and names the key it belongs to', async () => {
    const arrived = 'sk_live_0000000000000000000000'
    const verdict = await run(makeRequest({ 'X-API-Key': arrived }, '{}'), [key()], NOW)
    expect(verdict).toMatchObject({ status: 'invalid', code: 'CREDENTIAL_MISMATCH', findings: [] })
    expect(verdictText(verdict)).not.toContain(SECRET)
    expect(verdictText(verdict)).not.toContain(arrived)
    expect(verdict.credential!.received!.length).toBeLessThan(arrived.length)
    const owner = key(arrived, { ...ELSEWHERE, name: 'staging api key' })
    expect(await run(makeRequest({ 'X-API-Key': arrived }, '{}'), [key(), owner], NOW)).toMatchObject({ findings: [{ code: 'OTHER_KEY', keyId: owner.id }] })
  })

  it('reports a missing header as CREDENTIAL_MISSING', async () => {
    const verdict = await run(makeRequest({}, '{}'), [key(SECRET, BOUND)], NOW)
    expect(verdict).toMatchObject({ code: 'CREDENTIAL_MISSING', credential: { received: null } })
    expect(verdict.summary).toContain('X-API-Key')
  })

  it('honours a custom header and prefix', async () => {
    const custom = key(SECRET, { options: { header: 'Authorization', prefix: 'Token ' } })
    expect((await run(makeRequest({ Authorization: `token ${SECRET}` }, '{}'), [custom], NOW)).status).toBe('valid')
    expect(await run(makeRequest({ Authorization: SECRET }, '{}'), [custom], NOW)).toMatchObject({ code: 'CREDENTIAL_MISMATCH' })
  })

  it('masks: never the whole value, at most four leading characters', () => {
    for (const value of ['', 'a', 'short', 'eight888', SECRET, 'ünïcødé-sécret-wïth-àccents', 'x'.repeat(500)]) {
      const masked = maskCredential(value)
      const shown = masked.split('…')[0]!
      expect([...shown].length).toBeLessThanOrEqual(Math.min(4, Math.floor([...value].length / 4)))
      expect(masked).toContain(`(${[...value].length} chars)`)
      if (value.length > 4) expect(masked).not.toContain(value)
    }
  })

  it('checkKey wants a secret and well-formed options', () => {
    expect(apiKey.checkKey({ material: { secret: SECRET }, options: {}, keyId: null })).toBeNull()
    expect(apiKey.checkKey({ material: {}, options: {}, keyId: null })).toContain('secret')
    expect(apiKey.checkKey({ material: { secret: SECRET }, options: { header: 42 }, keyId: null })).toContain('header')
  })
})
