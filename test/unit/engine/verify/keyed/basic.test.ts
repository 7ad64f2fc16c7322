import { describe, expect, it } from 'vitest'
import { basicAuth } from '../../../../../electron/engine/verify/schemes/keyed/basic'
import type { KeyEntry } from '../../../../../shared/model/keyring'
import { makeKey, makeRequest } from '../../../../helpers/verify-fixtures'
import { BOUND, ELSEWHERE, run, verdictText } from './support/run'

const NOW = 1_700_000_000_000
const SECRET = 'client_8841:s3cr3t-Pa55word-for-hooks'
const basic = (credential: string) => ({ Authorization: `Basic ${Buffer.from(credential).toString('base64')}` })
const key = (secret = SECRET, overrides: Partial<KeyEntry> = {}) => makeKey('basic', { secret }, overrides)

describe('basic auth', () => {
  it('accepts the right credentials, masked', async () => {
    const verdict = await run(makeRequest(basic(SECRET), '{}'), [key()], NOW)
    expect(verdict).toMatchObject({ status: 'valid', scheme: 'basic', credential: { kind: 'basic' } })
    expect(verdictText(verdict)).not.toContain('s3cr3t-Pa55word-for-hooks')
    expect(verdictText(verdict)).not.toContain(Buffer.from(SECRET).toString('base64'))
  })

  it('says which half is wrong, and names the key the credentials belong to', async () => {
    const wrongPassword = await run(makeRequest(basic('client_8841:guess'), '{}'), [key()], NOW)
    expect(wrongPassword).toMatchObject({ code: 'CREDENTIAL_MISMATCH' })
    expect(wrongPassword.summary).toContain('password')
    expect(verdictText(wrongPassword)).not.toContain('s3cr3t-Pa55word-for-hooks')
    const other = 'client_0001:another-secret-value'
    const owner = key(other, ELSEWHERE)
    expect(await run(makeRequest(basic(other), '{}'), [key(), owner], NOW)).toMatchObject({ findings: [{ code: 'OTHER_KEY', keyId: owner.id }] })
  })

  it('reports missing or non-Basic credentials as CREDENTIAL_MISSING, and garbage as a mismatch', async () => {
    expect(await run(makeRequest({}, '{}'), [key(SECRET, BOUND)], NOW)).toMatchObject({ code: 'CREDENTIAL_MISSING' })
    expect(await run(makeRequest({ Authorization: 'Bearer abc' }, '{}'), [key(SECRET, BOUND)], NOW)).toMatchObject({ code: 'CREDENTIAL_MISSING' })
    expect(await run(makeRequest({ Authorization: 'Basic %%%' }, '{}'), [key()], NOW)).toMatchObject({ code: 'CREDENTIAL_MISMATCH' })
    // A bare credential where a scheme word belongs is described, never quoted.
    const bare = await run(makeRequest({ Authorization: 'sk_live_bare_credential_value' }, '{}'), [key(SECRET, BOUND)], NOW)
    expect(bare).toMatchObject({ code: 'CREDENTIAL_MISSING' })
    expect(verdictText(bare)).not.toContain('sk_live_bare')
  })

  it('checkKey wants client_id:client_secret', () => {
    expect(basicAuth.checkKey({ material: { secret: SECRET }, options: {}, keyId: null })).toBeNull()
    const problem = basicAuth.checkKey({ material: { secret: 'no-colon-here' }, options: {}, keyId: null })
    expect(problem).toContain('client_id:client_secret')
    expect(problem).not.toContain('no-colon-here')
  })
})
