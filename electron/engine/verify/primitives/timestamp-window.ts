import type { VerdictCode } from '../../../../shared/model/verdict'

export interface TimestampPolicy {
  toleranceSeconds: number
  /** 'past': only old timestamps are refused (Stripe's SDKs); 'both': future ones too. */
  direction: 'both' | 'past'
}

export interface TimestampCheck {
  ok: boolean
  code: VerdictCode | null
  skewSeconds: number
  detail: string
}

/**
 * Positive skew: the timestamp is in the past relative to `nowMs`. Both sides are taken in whole
 * seconds (floor), as stripe-node, standardwebhooks and Slack's SDKs take the arrival, so the edge
 * of the window falls on the same millisecond as theirs (RFC 3339 timestamps may carry fractions).
 */
export function checkTimestamp(seconds: number, nowMs: number, policy: TimestampPolicy): TimestampCheck {
  const skew = Math.floor(nowMs / 1000) - Math.floor(seconds)
  const tolerance = policy.toleranceSeconds
  if (skew > tolerance) {
    return {
      ok: false,
      code: 'TIMESTAMP_STALE',
      skewSeconds: skew,
      detail: `${skew - tolerance} s older than the ${tolerance} s tolerance (sent ${skew} s before it arrived)`
    }
  }
  if (policy.direction === 'both' && -skew > tolerance) {
    return {
      ok: false,
      code: 'TIMESTAMP_FUTURE',
      skewSeconds: skew,
      detail: `${-skew - tolerance} s beyond the ${tolerance} s tolerance in the future (clock ahead by ${-skew} s)`
    }
  }
  if (policy.direction === 'past' && skew < 0) {
    // Past-only windows (Stripe's SDKs) never refuse a future timestamp: say so rather than "within".
    return { ok: true, code: null, skewSeconds: skew, detail: `${-skew} s ahead; accepted, since only timestamps older than ${tolerance} s are refused` }
  }
  const window = policy.direction === 'both' ? `±${tolerance} s` : `${tolerance} s (past only)`
  return { ok: true, code: null, skewSeconds: skew, detail: `${Math.abs(skew)} s ${skew >= 0 ? 'old' : 'ahead'}, within ${window}` }
}

/** Parses a Unix timestamp in seconds; notices a milliseconds value sent where seconds belong. */
export function parseUnixSeconds(raw: string): { seconds: number; looksLikeMs: boolean } | null {
  if (!/^\d{1,16}$/.test(raw.trim())) return null
  const value = Number(raw.trim())
  return { seconds: value, looksLikeMs: value > 1e11 }
}
