import { describe, expect, it } from 'vitest'
import { backoffDelayMs, nextRetryAt, parseRetryAfter, resolveRetryPolicy, retryClass } from '../../../../electron/engine/relay/retry-policy'
import { RETRY_PRESETS } from '../../../../shared/model/relay'

const MINUTE = 60_000
const NOW = 1_700_000_000_000

/** Delays a policy waits, retry after retry, while the target keeps answering `status`. */
function schedule(preset: 'provider' | 'fast' | 'none', status: number): number[] {
  const policy = RETRY_PRESETS[preset]
  const delays: number[] = []
  for (let retries = 0; ; retries++) {
    const due = nextRetryAt(policy, { kind: 'response', status, retryAfterMs: null }, retries, NOW)
    if (due === null) return delays
    delays.push(due - NOW)
  }
}

describe('retry policy', () => {
  it('provider preset: six retries at 1, 2, 4, 8, 16, 32 minutes', () => {
    expect(schedule('provider', 503)).toEqual([1, 2, 4, 8, 16, 32].map((m) => m * MINUTE))
  })

  it('fast preset: six retries at 1, 2, 4, 8, 16, 32 seconds; none: no retry', () => {
    expect(schedule('fast', 500)).toEqual([1, 2, 4, 8, 16, 32].map((s) => s * 1000))
    expect(schedule('none', 500)).toEqual([])
  })

  it('caps each delay at maxDelayMs', () => {
    const policy = resolveRetryPolicy({ baseMs: 1000, factor: 10, maxDelayMs: 5000, maxRetries: 4, on: ['5xx'] })
    expect([1, 2, 3, 4].map((retry) => backoffDelayMs(policy, retry))).toEqual([1000, 5000, 5000, 5000])
    expect(policy.preset).toBe('custom')
  })

  it('a policy equal to a preset is named after it', () => {
    const { preset: _preset, ...fast } = RETRY_PRESETS.fast
    expect(resolveRetryPolicy(fast).preset).toBe('fast')
    expect(resolveRetryPolicy('provider')).toEqual(RETRY_PRESETS.provider)
  })

  it('retries network errors, timeouts, 5xx and 429, but not 4xx or success by default', () => {
    const policy = RETRY_PRESETS.fast
    const at = (outcome: Parameters<typeof nextRetryAt>[1]) => nextRetryAt(policy, outcome, 0, NOW)
    expect(at({ kind: 'error', code: 'CONNECTION_REFUSED' })).toBe(NOW + 1000)
    expect(at({ kind: 'error', code: 'TIMEOUT' })).toBe(NOW + 1000)
    expect(at({ kind: 'response', status: 502, retryAfterMs: null })).toBe(NOW + 1000)
    expect(at({ kind: 'response', status: 429, retryAfterMs: null })).toBe(NOW + 1000)
    expect(at({ kind: 'response', status: 404, retryAfterMs: null })).toBeNull()
    expect(at({ kind: 'response', status: 200, retryAfterMs: null })).toBeNull()
    // A body that did not arrive whole cannot get better by retrying.
    expect(at({ kind: 'error', code: 'BODY_TRUNCATED' })).toBeNull()
  })

  it('retries 4xx only when asked to', () => {
    const policy = resolveRetryPolicy({ ...RETRY_PRESETS.fast, on: ['4xx'] })
    expect(nextRetryAt(policy, { kind: 'response', status: 404, retryAfterMs: null }, 0, NOW)).toBe(NOW + 1000)
    expect(nextRetryAt(policy, { kind: 'response', status: 500, retryAfterMs: null }, 0, NOW)).toBeNull()
  })

  it("honours a 429's Retry-After, even beyond the policy's longest delay", () => {
    const policy = RETRY_PRESETS.fast
    expect(nextRetryAt(policy, { kind: 'response', status: 429, retryAfterMs: 120_000 }, 0, NOW)).toBe(NOW + 120_000)
    // ...but only for 429, and never beyond a day.
    expect(nextRetryAt(policy, { kind: 'response', status: 503, retryAfterMs: 120_000 }, 0, NOW)).toBe(NOW + 1000)
    expect(nextRetryAt(policy, { kind: 'response', status: 429, retryAfterMs: 10 * 86_400_000 }, 0, NOW)).toBe(NOW + 86_400_000)
  })

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(parseRetryAfter('120', NOW)).toBe(120_000)
    expect(parseRetryAfter(new Date(NOW + 30_000).toUTCString(), NOW)).toBe(30_000)
    expect(parseRetryAfter('soon', NOW)).toBeNull()
    expect(parseRetryAfter(undefined, NOW)).toBeNull()
  })

  it('classifies outcomes', () => {
    expect(retryClass({ kind: 'response', status: 301, retryAfterMs: null })).toBe('4xx')
    expect(retryClass({ kind: 'error', code: 'TLS_UNKNOWN_CA' })).toBe('network')
    expect(retryClass({ kind: 'error', code: 'CANCELLED' })).toBeNull()
  })
})
