import { useEffect, useMemo, useState } from 'react'
import type { Delivery } from '../../../../shared/model/delivery'
import { ErrorBanner } from '../../components/error-banner'
import { ResponseDiffView } from '../diff/response-diff-view'
import { ReplayDialog } from '../replay/replay-dialog'
import { AttemptDetail } from './attempt-detail'
import { pendingRetry, timelineOrder } from './attempt-format'
import { AttemptRow } from './attempt-row'
import { useRelay, useRelayStore } from './relay-hooks'
import { useNow } from './use-now'
import './relay.css'

const NO_ATTEMPTS: never[] = []

/**
 * A delivery's Relay tab: its attempts in order (relay tries with their retries, replays), live;
 * retry now / cancel for a pending retry; Replay…; and the diff between two attempts' responses.
 */
export function RelayTab({ delivery }: { delivery: Delivery }) {
  const attempts = useRelayStore('attempts')
  const list = useRelay('attempts', (s) => s.byDelivery[delivery.id])
  const busy = useRelay('attempts', (s) => s.busy[delivery.id] === true)
  const actionError = useRelay('attempts', (s) => s.actionError)
  const openReplay = useRelay('replay', (s) => s.open)
  const picked = useRelay('responseDiff', (s) => s.picked)
  const diffStatus = useRelay('responseDiff', (s) => s.status)
  const diffError = useRelay('responseDiff', (s) => s.error)
  const comparison = useRelay('responseDiff', (s) => s.comparison)
  const responseDiff = useRelayStore('responseDiff')
  const [expanded, setExpanded] = useState<string | null>(null)
  const now = useNow(1000)

  useEffect(() => {
    void attempts.getState().load(delivery.id)
    responseDiff.getState().clear()
  }, [attempts, responseDiff, delivery.id])

  const items = list?.items ?? NO_ATTEMPTS
  const ordered = useMemo(() => timelineOrder(items), [items])
  const pending = pendingRetry(items)
  const hasRelay = items.some((item) => item.kind === 'relay')

  return (
    <div className="relay-tab" data-testid="relay-tab" data-status={list?.status ?? 'idle'}>
      <div className="relay-toolbar">
        <button type="button" className="btn btn-primary" onClick={() => void openReplay(delivery.id)} data-testid="open-replay">
          Replay…
        </button>
        {hasRelay && (
          <button
            type="button"
            className="btn"
            disabled={busy}
            onClick={() => void attempts.getState().retryNow(delivery.id)}
            data-testid="retry-now"
            title={pending ? 'Run the pending retry now' : 'Forward it again to its rule’s target'}
          >
            Retry now
          </button>
        )}
        {pending && (
          <button type="button" className="btn" disabled={busy} onClick={() => void attempts.getState().cancel(delivery.id)} data-testid="cancel-retries">
            Cancel retries
          </button>
        )}
        <span className="spacer" />
        {items.length > 1 && (
          <button
            type="button"
            className="btn"
            disabled={picked.length !== 2 || diffStatus === 'loading'}
            onClick={() => void responseDiff.getState().compare()}
            data-testid="compare-responses"
            title="Tick two attempts, then compare their responses"
          >
            Compare responses ({picked.length}/2)
          </button>
        )}
      </div>
      {actionError && <ErrorBanner message={actionError} onDismiss={attempts.getState().dismissActionError} testId="relay-action-error" />}
      {list?.status === 'error' && list.error && <ErrorBanner message={list.error} testId="relay-load-error" />}
      {list?.status === 'ready' && items.length === 0 && (
        <p className="muted" data-testid="relay-empty">
          Not forwarded yet. Add a forwarding rule to its endpoint (Forwarding page), or replay it to any URL.
        </p>
      )}
      <ol className="attempt-timeline" data-testid="attempt-timeline">
        {ordered.map((attempt) => (
          <AttemptRow
            key={attempt.id}
            attempt={attempt}
            now={now}
            expanded={expanded === attempt.id}
            onToggle={() => setExpanded(expanded === attempt.id ? null : attempt.id)}
            picked={picked.includes(attempt.id)}
            onPick={items.length > 1 ? () => responseDiff.getState().toggle(attempt.id) : undefined}
          >
            {expanded === attempt.id && <AttemptDetail attemptId={attempt.id} original={delivery} />}
          </AttemptRow>
        ))}
      </ol>
      {diffError && <ErrorBanner message={diffError} testId="response-diff-error" />}
      {comparison && diffStatus === 'ready' && <ResponseDiffView comparison={comparison} />}
      <ReplayDialog />
    </div>
  )
}
