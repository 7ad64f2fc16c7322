import { memo } from 'react'
import type { DeliverySummary } from '../../../../shared/model/delivery'
import { LockIcon } from '../../components/lock-icon'
import { VerdictBadge } from '../../components/verdict-badge'
import { formatBytes, formatClock } from '../../lib/format'
import { methodClass, statusClass } from './method-class'

interface DeliveryRowProps {
  row: DeliverySummary
  top: number
  height: number
  selected: boolean
  onSelect: (id: string) => void
}

export const DeliveryRow = memo(function DeliveryRow({ row, top, height, selected, onSelect }: DeliveryRowProps) {
  return (
    <div
      role="row"
      aria-selected={selected}
      className={selected ? 'delivery-row selected' : 'delivery-row'}
      data-testid="delivery-row"
      data-id={row.id}
      // Positioned through CSSOM (React style), which the CSP allows; no inline style attribute in HTML.
      style={{ transform: `translateY(${top}px)`, height }}
      onClick={() => onSelect(row.id)}
    >
      <span className="col-method" role="cell">
        <span className={methodClass(row.method)}>{row.method}</span>
      </span>
      <span className="col-path" role="cell" title={row.secure ? `${row.url} (over TLS)` : row.url}>
        {row.secure && <LockIcon testId="secure-marker" />}
        {row.url}
      </span>
      <span className="col-time" role="cell">
        {formatClock(row.receivedAt)}
      </span>
      <span className="col-size" role="cell">
        {row.truncated && (
          <span className="truncated-marker" data-testid="truncated-marker" title="Body truncated: larger than the endpoint's limit">
            trunc
          </span>
        )}
        {formatBytes(row.bodySize)}
      </span>
      <span className="col-status" role="cell">
        <span className={statusClass(row.responseStatus)}>{row.responseStatus}</span>
      </span>
      <span className="col-verdict" role="cell">
        {row.verdict && <VerdictBadge verdict={row.verdict} />}
      </span>
    </div>
  )
})
