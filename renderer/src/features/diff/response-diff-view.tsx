import { useState } from 'react'
import type { AttemptSummary } from '../../../../shared/model/relay'
import { formatClock } from '../../lib/format'
import type { ResponseComparison } from './attempt-diff'
import { BodyDiffView } from './body-diff-view'
import { HeaderDiffTable } from './header-diff-table'
import './diff.css'

function sideLabel(attempt: AttemptSummary): string {
  const when = attempt.startedAt ?? attempt.dueAt
  return `${attempt.kind}${attempt.kind === 'relay' ? ` #${attempt.number}` : ''}${when !== null ? ` at ${formatClock(when)}` : ''}`
}

/** Two attempts' responses: status, headers by name, JSON-aware body diff (all text). */
export function ResponseDiffView({ comparison }: { comparison: ResponseComparison }) {
  const [showSame, setShowSame] = useState(false)
  const { status } = comparison
  return (
    <div className="response-diff" data-testid="response-diff">
      <p className="small mono" data-testid="response-diff-sides">
        left: {sideLabel(comparison.left)} · right: {sideLabel(comparison.right)}
      </p>
      <p data-testid="response-diff-status" data-same={status.same}>
        Status: <span className="mono">{status.left ?? 'no answer'}</span> → <span className="mono">{status.right ?? 'no answer'}</span>
        {status.same ? <span className="muted"> (same)</span> : null}
      </p>
      <section className="diff-section">
        <header className="page-header">
          <h3>Headers</h3>
          <label className="small">
            <input type="checkbox" checked={showSame} onChange={(event) => setShowSame(event.target.checked)} /> show unchanged
          </label>
        </header>
        <HeaderDiffTable rows={comparison.headers} showSame={showSame} />
      </section>
      <section className="diff-section">
        <h3>Body</h3>
        {comparison.truncated && <p className="notice small">A response was cut at 1 MiB: the diff covers the stored part.</p>}
        <BodyDiffView diff={comparison.body} />
      </section>
    </div>
  )
}
