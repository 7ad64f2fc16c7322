import type { Finding, VerdictCode, VerdictStep } from '../../../shared/model/verdict'
import { checkTimestamp, type TimestampPolicy } from './primitives/timestamp-window'
import type { SchemeOutcome } from './scheme'

export interface SignedTimestampCheck {
  timestamp: SchemeOutcome['timestamp']
  /** Set when the timestamp is outside the window. */
  failure?: { code: VerdictCode; detail: string }
}

/**
 * The freshness step shared by every signing scheme: judge a signed timestamp against the
 * delivery's arrival, record a step, and say how far outside the window it is.
 */
export function checkSignedTimestamp(value: number | undefined, now: number, policy: TimestampPolicy | undefined, steps: VerdictStep[]): SignedTimestampCheck {
  if (!policy || value === undefined) return { timestamp: undefined }
  const check = checkTimestamp(value, now, policy)
  steps.push({ label: 'Timestamp', ok: check.ok, detail: check.detail })
  const timestamp = { value, skewSeconds: check.skewSeconds, toleranceSeconds: policy.toleranceSeconds, direction: policy.direction }
  return check.ok || !check.code ? { timestamp } : { timestamp, failure: { code: check.code, detail: check.detail } }
}

/** "The signature is right, but the timestamp is too old: ..." */
export function staleSignatureSummary(failure: { code: VerdictCode; detail: string }): string {
  return `The signature is right, but the timestamp is ${failure.code === 'TIMESTAMP_STALE' ? 'too old' : 'in the future'}: ${failure.detail}.`
}

/** A milliseconds value sent where seconds belong: the usual cause of a "future" timestamp. */
export function timestampUnitFindings(parsed: { timestamp?: number; timestampRaw?: string }): Finding[] {
  if (parsed.timestamp !== undefined && parsed.timestamp > 1e11) {
    return [{ code: 'TIMESTAMP_UNIT', message: `The timestamp ${parsed.timestampRaw ?? parsed.timestamp} looks like milliseconds; this scheme uses seconds.` }]
  }
  return []
}
