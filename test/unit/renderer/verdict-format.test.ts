import { describe, expect, it } from 'vitest'
import { describeTolerance, withinTolerance } from '../../../renderer/src/features/signature/verdict-format'

describe('verdict timestamp window', () => {
  it('a past-only window (Stripe) accepts any future timestamp and says so', () => {
    const ahead = { value: 1_700_001_000, skewSeconds: -1000, toleranceSeconds: 300, direction: 'past' as const }
    expect(withinTolerance(ahead)).toBe(true)
    expect(withinTolerance({ ...ahead, skewSeconds: 301 })).toBe(false)
    expect(describeTolerance(ahead)).not.toContain('±')
  })

  it('a two-sided window, and verdicts stored without direction, refuse both ways', () => {
    const ahead = { value: 1_700_001_000, skewSeconds: -1000, toleranceSeconds: 300 }
    expect(withinTolerance(ahead)).toBe(false)
    expect(withinTolerance({ ...ahead, direction: 'both' as const })).toBe(false)
    expect(withinTolerance({ ...ahead, skewSeconds: -300 })).toBe(true)
    expect(describeTolerance(ahead)).toBe('tolerance ±300 s')
  })
})
