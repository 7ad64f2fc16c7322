import { describe, expect, it } from 'vitest'
import { withReserializationHint } from '../../../../electron/engine/verify/reserialized-hint'
import type { Verdict } from '../../../../shared/model/verdict'

const invalid: Verdict = {
  status: 'invalid',
  scheme: 'github',
  keyId: 'k',
  code: 'SIG_MISMATCH',
  summary: 'The signature does not match',
  steps: [],
  findings: [{ code: 'BODY_CHANGED', message: 'pretty-printed' }],
  checkedAt: 0
}
const smee = { kind: 'tunnel', provider: 'smee', publicUrl: 'https://smee.io/x', reserialized: true } as const

describe('withReserializationHint', () => {
  it('names smee re-serialisation first when a re-serialised delivery fails its check', () => {
    const verdict = withReserializationHint(invalid, smee)
    expect(verdict.findings.map((finding) => finding.code)).toEqual(['BODY_RESERIALIZED', 'BODY_CHANGED'])
    expect(verdict.summary).toBe('The signature does not match. Likely cause: smee re-serialised the body.')
    expect(verdict.code).toBe('SIG_MISMATCH')
  })

  it('leaves other verdicts and other sources alone', () => {
    expect(withReserializationHint({ ...invalid, status: 'valid' }, smee).findings).toHaveLength(1)
    expect(withReserializationHint(invalid, { ...smee, reserialized: false })).toBe(invalid)
    expect(withReserializationHint(invalid, undefined)).toBe(invalid)
    expect(withReserializationHint(invalid, { kind: 'listener' })).toBe(invalid)
  })
})
