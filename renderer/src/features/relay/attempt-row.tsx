import type { ReactNode } from 'react'
import type { AttemptSummary } from '../../../../shared/model/relay'
import { useKeys } from '../../app/services-context'
import { VerdictBadge } from '../../components/verdict-badge'
import { formatClock } from '../../lib/format'
import { attemptOutcome, KIND_LABELS, stateLabel } from './attempt-format'

interface AttemptRowProps {
  attempt: AttemptSummary
  now: number
  expanded: boolean
  onToggle(): void
  /** Picked for the response diff; omitted where attempts cannot be compared. */
  picked?: boolean
  onPick?(): void
  /** Shown under the row (the opened attempt). */
  children?: ReactNode
}

/** One attempt on a timeline: what, where, how it went (status, time, or the error in a sentence). */
export function AttemptRow({ attempt, now, expanded, onToggle, picked, onPick, children }: AttemptRowProps) {
  const when = attempt.startedAt ?? attempt.dueAt
  // The key's name while it is in the keyring; its id once it is gone.
  const keyName = useKeys((s) => s.keys.find((key) => key.id === attempt.resignedWith)?.name)
  return (
    <li className={`attempt-row attempt-${attempt.state}`} data-testid="attempt-row" data-id={attempt.id} data-state={attempt.state} data-kind={attempt.kind}>
      <div className="attempt-head">
        {onPick && <input type="checkbox" checked={picked ?? false} onChange={onPick} aria-label="Pick for the response diff" data-testid="attempt-pick" />}
        <button type="button" className="btn-link attempt-toggle" onClick={onToggle} aria-expanded={expanded} data-testid="attempt-toggle">
          {expanded ? '▾' : '▸'}
        </button>
        <span className="attempt-kind">{KIND_LABELS[attempt.kind]}</span>
        {attempt.kind === 'relay' && <span className="muted small">#{attempt.number}</span>}
        <span className={`attempt-state state-${attempt.state}`} data-testid="attempt-state">
          {stateLabel(attempt.state)}
        </span>
        <span className="mono attempt-outcome" data-testid="attempt-outcome">
          {attemptOutcome(attempt, now)}
        </span>
        {attempt.verdict && <VerdictBadge verdict={attempt.verdict} testId="attempt-verdict" />}
        {attempt.resignedWith && (
          <span className="tag" title={`Signed with keyring key ${attempt.resignedWith}`} data-testid="attempt-signed-with">
            signed: {keyName ?? attempt.resignedWith}
          </span>
        )}
        {attempt.edited && <span className="tag">edited</span>}
        <span className="spacer" />
        {when !== null && <span className="muted small">{formatClock(when)}</span>}
      </div>
      <div className="attempt-target mono small" title={attempt.target}>
        {attempt.method} {attempt.target}
      </div>
      {attempt.error && (
        <p className="attempt-error" data-testid="attempt-error" data-code={attempt.error.code}>
          {attempt.error.message}
        </p>
      )}
      {children}
    </li>
  )
}
