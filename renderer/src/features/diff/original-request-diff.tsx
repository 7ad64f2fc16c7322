import { useMemo, useState } from 'react'
import type { Delivery } from '../../../../shared/model/delivery'
import type { Attempt } from '../../../../shared/model/relay'
import { compareWithOriginal } from './attempt-diff'
import { BodyDiffView } from './body-diff-view'
import { HeaderDiffTable } from './header-diff-table'
import './diff.css'

/** Left: the delivery as received; right: the request this attempt sent (all text). */
export function OriginalRequestDiff({ original, attempt }: { original: Delivery; attempt: Attempt }) {
  const [showSame, setShowSame] = useState(false)
  const comparison = useMemo(() => compareWithOriginal(original, attempt), [original, attempt])
  return (
    <div className="original-request-diff" data-testid="original-request-diff">
      <header className="page-header">
        <span className="small muted">left: as received · right: as sent</span>
        <label className="small">
          <input type="checkbox" checked={showSame} onChange={(event) => setShowSame(event.target.checked)} /> show unchanged
        </label>
      </header>
      <HeaderDiffTable rows={comparison.headers} showSame={showSame} />
      <BodyDiffView diff={comparison.body} />
    </div>
  )
}
