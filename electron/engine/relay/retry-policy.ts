import { type AttemptErrorCode, RETRY_PRESETS, type RetryOn, type RetryPolicy, type RetryPreset } from '../../../shared/model/relay'

/** Retry-After is honoured beyond the policy's longest delay, but not beyond this. */
const MAX_RETRY_AFTER_MS = 24 * 60 * 60 * 1000

/** A preset name, or a whole policy (which becomes `custom` unless it equals a preset). */
export function resolveRetryPolicy(input: RetryPreset | Omit<RetryPolicy, 'preset'> | undefined, fallback: RetryPreset = 'fast'): RetryPolicy {
  if (input === undefined) return RETRY_PRESETS[fallback]
  if (typeof input === 'string') return RETRY_PRESETS[input]
  const on = [...new Set(input.on)]
  const candidate = { ...input, on }
  for (const preset of Object.values(RETRY_PRESETS)) {
    const { preset: _name, ...rest } = preset
    if (JSON.stringify(rest) === JSON.stringify(candidate)) return preset
  }
  return { preset: 'custom', ...candidate }
}

/** How an attempt ended, as far as retrying is concerned. */
export type AttemptOutcome = { kind: 'response'; status: number; retryAfterMs: number | null } | { kind: 'error'; code: AttemptErrorCode }

/** Which `RetryOn` switch an outcome falls under; null for a success or an outcome never retried. */
export function retryClass(outcome: AttemptOutcome): RetryOn | null {
  if (outcome.kind === 'response') {
    const { status } = outcome
    if (status >= 200 && status < 300) return null
    if (status === 429) return '429'
    if (status >= 500) return '5xx'
    if (status >= 400) return '4xx'
    // 1xx/3xx final answers: a webhook target that redirects is misconfigured; treat as 4xx-like.
    return '4xx'
  }
  switch (outcome.code) {
    case 'TIMEOUT':
      return 'timeout'
    case 'CONNECTION_REFUSED':
    case 'CONNECTION_RESET':
    case 'DNS_FAILED':
    case 'HOST_UNREACHABLE':
    case 'TLS_UNKNOWN_CA':
    case 'TLS_NAME_MISMATCH':
    case 'TLS_CERT_EXPIRED':
    case 'TLS_CLIENT_CERT_REQUIRED':
    case 'TLS_FAILED':
    case 'BAD_RESPONSE':
    case 'RESPONSE_TOO_LARGE':
    case 'CLIENT_CERT_UNAVAILABLE':
      return 'network'
    default:
      // Truncated bodies, removed rules, cancellations: retrying cannot change them.
      return null
  }
}

/** Delay before retry number `retry` (1 = the first retry): base × factor^(retry-1), capped. */
export function backoffDelayMs(policy: RetryPolicy, retry: number): number {
  const delay = policy.baseMs * policy.factor ** Math.max(0, retry - 1)
  return Math.min(policy.maxDelayMs, Math.round(delay))
}

/**
 * When to retry after an attempt ended with `outcome`, having already retried `retriesSoFar`
 * times in this chain; null means stop (success, not retryable, or retries used up).
 */
export function nextRetryAt(policy: RetryPolicy, outcome: AttemptOutcome, retriesSoFar: number, now: number): number | null {
  const cls = retryClass(outcome)
  if (cls === null || !policy.on.includes(cls)) return null
  if (retriesSoFar >= policy.maxRetries) return null
  const backoff = backoffDelayMs(policy, retriesSoFar + 1)
  if (outcome.kind === 'response' && outcome.status === 429 && outcome.retryAfterMs !== null) {
    return now + Math.min(MAX_RETRY_AFTER_MS, Math.max(0, outcome.retryAfterMs))
  }
  return now + backoff
}

/** Retry-After as delta-seconds or an HTTP date (RFC 9110 §10.2.3); null when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: number): number | null {
  if (value === undefined) return null
  const text = value.trim()
  if (/^\d{1,10}$/.test(text)) return Number(text) * 1000
  const date = Date.parse(text)
  if (Number.isNaN(date)) return null
  return Math.max(0, date - now)
}
