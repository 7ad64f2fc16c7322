import type { Attempt, AttemptSummary } from '../../shared/model/relay'

/** One line for a replay or a send: where it went, what came back, and Hookscope's verdict on it. */
export function formatAttemptLine(attempt: Attempt, label: string): string {
  const parts = [`${label}  ${attempt.method} ${attempt.target}  ${describeResult(attempt)}`]
  if (attempt.resignedWith) parts.push(`signed with ${attempt.resignedWith}`)
  if (attempt.verdict)
    parts.push(
      `verdict ${attempt.verdict.status}${attempt.verdict.code ? ` ${attempt.verdict.code}` : ''}${attempt.verdict.scheme ? ` (${attempt.verdict.scheme})` : ''}`
    )
  return parts.join('  ')
}

/** For --json: the attempt as the API returns it, one object per line. */
export function attemptJson(attempt: Attempt): string {
  return JSON.stringify(attempt)
}

export function succeeded(attempt: Attempt): boolean {
  return attempt.status !== null && attempt.status >= 200 && attempt.status < 300 && attempt.error === null
}

/** `→ 201 in 12.3 ms`, or `→ CONNECTION_REFUSED: nothing listens on ...`. */
export function describeResult(attempt: AttemptSummary): string {
  const time = attempt.durationMs === null ? '' : ` in ${attempt.durationMs < 10 ? attempt.durationMs.toFixed(1) : Math.round(attempt.durationMs)} ms`
  if (attempt.status !== null && attempt.error === null) return `→ ${attempt.status}${time}`
  const status = attempt.status !== null ? `${attempt.status} ` : ''
  // The sentence can quote the target's host: keep the line a line.
  const message = (attempt.error?.message ?? 'no answer').replace(/[\x00-\x1f\x7f]+/g, ' ')
  return `→ ${status}${attempt.error?.code ?? 'FAILED'}${time}: ${message}`
}
