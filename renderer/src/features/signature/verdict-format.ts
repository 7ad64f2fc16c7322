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

export function withinTolerance(timestamp: NonNullable<Verdict['timestamp']>): boolean {
  return Math.abs(timestamp.skewSeconds) <= timestamp.toleranceSeconds
}
