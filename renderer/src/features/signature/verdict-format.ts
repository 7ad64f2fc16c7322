import type { Verdict } from '../../../../shared/model/verdict'
import { formatDateTime } from '../../lib/format'

/** `12 s before arrival` / `30 s after arrival (sender clock ahead)`, from the engine's signed skew. */
export function describeSkew(skewSeconds: number): string {
  if (skewSeconds === 0) return 'sent the second it arrived'
  return skewSeconds > 0 ? `sent ${skewSeconds} s before it arrived` : `${-skewSeconds} s in the future (sender clock ahead)`
}

/** Timestamps in verdicts are Unix seconds. */
export function formatUnixSeconds(seconds: number): string {
  return Number.isFinite(seconds) ? formatDateTime(seconds * 1000) : String(seconds)
}

/** A past-only window (Stripe) never refuses a future timestamp; verdicts without `direction` are ±. */
export function withinTolerance(timestamp: NonNullable<Verdict['timestamp']>): boolean {
  if (timestamp.direction === 'past') return timestamp.skewSeconds <= timestamp.toleranceSeconds
  return Math.abs(timestamp.skewSeconds) <= timestamp.toleranceSeconds
}

/** `tolerance ±300 s`, or `tolerance 300 s, past only (future timestamps accepted)`. */
export function describeTolerance(timestamp: NonNullable<Verdict['timestamp']>): string {
  return timestamp.direction === 'past'
    ? `tolerance ${timestamp.toleranceSeconds} s, past only (future timestamps accepted)`
    : `tolerance ±${timestamp.toleranceSeconds} s`
}
