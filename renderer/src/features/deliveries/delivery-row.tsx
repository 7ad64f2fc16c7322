import { memo } from 'react'
import type { DeliverySummary } from '../../../../shared/model/delivery'
import { LockIcon } from '../../components/lock-icon'
import { VerdictBadge } from '../../components/verdict-badge'
import { formatBytes, formatDateTime, formatListTime, formatRelative } from '../../lib/format'
import { methodClass, statusClass } from './method-class'
import { optionId } from './option-id'

interface DeliveryRowProps {
  row: DeliverySummary
  top: number
  height: number
  selected: boolean
  /** "Now" for the time cell (clock today, date before) and its relative tooltip. */
  now: number
}

/**
 * Two lines, so the path has the row's whole width: method, path and time; under them the status
 * answered, the verdict with its scheme, the event type and the size.
 */
export const DeliveryRow = memo(function DeliveryRow({ row, top, height, selected, now }: DeliveryRowProps) {
  return (
    <div
      role="option"
      id={optionId('delivery', row.id)}
      aria-selected={selected}
      // Not in the tab order: the list holds the focus and points at the selected row (aria-activedescendant).
      tabIndex={-1}
      data-kind="delivery"
      className={selected ? 'delivery-row selected' : 'delivery-row'}
      data-testid="delivery-row"
      data-id={row.id}
      // Positioned through CSSOM (React style), which the CSP allows; no inline style attribute in HTML.
      style={{ transform: `translateY(${top}px)`, height }}
    >
      <span className="col-method">
        <span className={methodClass(row.method)}>{row.method}</span>
      </span>
      <span className="col-path" data-testid="row-path" title={row.secure ? `${row.url} (over TLS)` : row.url}>
        {row.secure && <LockIcon testId="secure-marker" />}
        {row.url}
      </span>
      <span className="col-time" data-testid="row-time" title={`${formatDateTime(row.receivedAt)} (${formatRelative(row.receivedAt, now)})`}>
        {formatListTime(row.receivedAt, now)}
      </span>
      <span className="col-status" title="The status Hookscope answered">
        <span className={statusClass(row.responseStatus)}>{row.responseStatus}</span>
      </span>
      <span className="col-meta">
        {row.verdict && <VerdictBadge verdict={row.verdict} />}
        {row.verdict?.scheme && (
          <span className="row-scheme" data-testid="row-scheme">
            {row.verdict.scheme}
          </span>
        )}
        {row.eventType && (
          <span className="row-event" data-testid="row-event" title={row.eventType}>
            {row.eventType}
          </span>
        )}
      </span>
      <span className="col-size">
        {row.truncated && (
          <span className="truncated-marker" data-testid="truncated-marker" title="Body truncated: larger than the endpoint's limit">
            trunc
          </span>
        )}
        {formatBytes(row.bodySize)}
      </span>
    </div>
  )
})
