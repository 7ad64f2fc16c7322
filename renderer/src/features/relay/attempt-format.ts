import type { Attempt, AttemptState, AttemptSummary } from '../../../../shared/model/relay'
import { formatDuration } from '../../lib/format'

const STATE_LABELS: Record<AttemptState, string> = {
  scheduled: 'scheduled',
  'in-flight': 'in flight',
  succeeded: 'succeeded',
  failed: 'failed',
  interrupted: 'interrupted',
  cancelled: 'cancelled'
}

export function stateLabel(state: AttemptState): string {
  return STATE_LABELS[state]
}

/** What a row says about where the attempt stands: its answer, why it has none, or when it runs. */
export function attemptOutcome(attempt: AttemptSummary, now: number): string {
  if (attempt.state === 'scheduled') return attempt.dueAt === null ? 'waiting' : `next try ${relativeTime(attempt.dueAt, now)}`
  if (attempt.state === 'in-flight') return 'waiting for the target…'
  const parts: string[] = []
  if (attempt.status !== null) parts.push(String(attempt.status))
  if (attempt.durationMs !== null) parts.push(formatDuration(attempt.durationMs))
  return parts.join(' · ')
}

/** "in 2 min", "in 40 s", "now": for the next retry of a scheduled attempt. */
export function relativeTime(at: number, now: number): string {
  const seconds = Math.round((at - now) / 1000)
  if (seconds <= 0) return 'now'
  if (seconds < 90) return `in ${seconds} s`
  const minutes = Math.round(seconds / 60)
  if (minutes < 90) return `in ${minutes} min`
  return `in ${Math.round(minutes / 60)} h`
}

export const KIND_LABELS: Record<AttemptSummary['kind'], string> = { relay: 'relay', replay: 'replay', send: 'send' }

/** Attempts of one delivery, oldest first: the timeline reads down in the order things happened. */
export function timelineOrder(attempts: readonly AttemptSummary[]): AttemptSummary[] {
  const when = (attempt: AttemptSummary) => attempt.startedAt ?? attempt.dueAt ?? Number.MAX_SAFE_INTEGER
  return [...attempts].sort((a, b) => when(a) - when(b) || a.number - b.number || a.id.localeCompare(b.id))
}

/** The delivery has a relay chain that can be retried now or cancelled (a retry is pending). */
export function pendingRetry(attempts: readonly AttemptSummary[]): AttemptSummary | null {
  return attempts.find((attempt) => attempt.kind === 'relay' && attempt.state === 'scheduled') ?? null
}

/** An attempt without its request and response: what rows show. */
export function summaryOfAttempt(attempt: Attempt): AttemptSummary {
  const {
    requestHeaders: _requestHeaders,
    requestBodyBase64: _requestBody,
    requestBodySize: _requestBodySize,
    responseHeaders: _responseHeaders,
    responseBodyBase64: _responseBody,
    responseBodySize: _responseBodySize,
    responseTruncated: _truncated,
    verdictDetail: _verdictDetail,
    notes: _notes,
    ...summary
  } = attempt
  return summary
}
