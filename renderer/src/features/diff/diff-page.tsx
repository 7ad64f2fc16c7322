import { useEffect, useState } from 'react'
import { useDeliveries, useDiff } from '../../app/services-context'
import { ErrorBanner } from '../../components/error-banner'
import { VerdictBadge } from '../../components/verdict-badge'
import { formatDateTimeShort } from '../../lib/format'
import { BodyDiffView } from './body-diff-view'
import type { DiffSide } from './diff-store'
import { HeaderDiffTable } from './header-diff-table'
import './diff.css'

function DeliveryPicker({ side, label }: { side: DiffSide; label: string }) {
  const rows = useDeliveries((s) => s.rows)
  const value = useDiff((s) => (side === 'left' ? s.leftId : s.rightId))
  const choose = useDiff((s) => s.choose)
  return (
    <label>
      <span className="small muted">{label}</span>
      <select value={value ?? ''} onChange={(event) => choose(side, event.target.value || null)} data-testid={`diff-pick-${side}`}>
        <option value="">Choose a delivery…</option>
        {value && !rows.some((row) => row.id === value) && <option value={value}>{value}</option>}
        {rows.map((row) => (
          <option key={row.id} value={row.id}>
            {formatDateTimeShort(row.receivedAt)} {row.method} {row.url} {row.verdict ? `(${row.verdict.status})` : ''}
          </option>
        ))}
      </select>
    </label>
  )
}

/**
 * Compare any two deliveries: which headers were added, removed or changed, and a JSON-aware line
 * diff of the bodies (e.g. the delivery that verifies against the one that does not).
 */
export function DiffPage() {
  // The whole (small) state: this page shows most of it.
  const { status, error, comparison, compare, swap, leftId, choose } = useDiff((s) => s)
  const [showSame, setShowSame] = useState(false)
  const selectedId = useDeliveries((s) => s.selectedId)
  // Arriving from the list with a delivery selected: it is the left side.
  useEffect(() => {
    if (leftId === null && selectedId !== null) choose('left', selectedId)
  }, [leftId, selectedId, choose])

  return (
    <main className="page" data-testid="diff-page" data-status={status}>
      <div className="page-content">
        <header className="page-header">
          <h1>Compare deliveries</h1>
        </header>
        <div className="diff-pickers">
          <DeliveryPicker side="left" label="Left" />
          <button type="button" className="btn btn-small" onClick={swap} title="Swap left and right" data-testid="diff-swap">
            ⇄
          </button>
          <DeliveryPicker side="right" label="Right" />
          <button type="button" className="btn btn-primary" onClick={() => void compare()} disabled={status === 'loading'} data-testid="diff-compare">
            Compare
          </button>
        </div>
        {error && <ErrorBanner message={error} testId="diff-error" />}
        {comparison && (
          <>
            <div className="diff-summary small">
              {(['left', 'right'] as const).map((side) => (
                <span key={side} className="mono">
                  {side}: {comparison[side].method} {comparison[side].url} {comparison[side].verdict && <VerdictBadge verdict={comparison[side].verdict} />}
                </span>
              ))}
            </div>
            <section className="diff-section">
              <header className="page-header">
                <h2>Headers</h2>
                <label className="small">
                  <input type="checkbox" checked={showSame} onChange={(event) => setShowSame(event.target.checked)} data-testid="diff-show-same" /> show
                  unchanged
                </label>
              </header>
              <HeaderDiffTable rows={comparison.headers} showSame={showSame} />
            </section>
            <section className="diff-section">
              <h2>Body</h2>
              <BodyDiffView diff={comparison.body} />
            </section>
          </>
        )}
      </div>
    </main>
  )
}
