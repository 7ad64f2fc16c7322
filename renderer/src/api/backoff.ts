export interface BackoffPolicy {
  initialMs: number
  maxMs: number
}

export const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 250, maxMs: 5000 }

/** Delay before reconnect attempt `attempt` (0-based): doubling from initialMs, capped at maxMs. */
export function backoffDelay(policy: BackoffPolicy, attempt: number): number {
  return Math.min(policy.maxMs, policy.initialMs * 2 ** Math.min(attempt, 30))
}
