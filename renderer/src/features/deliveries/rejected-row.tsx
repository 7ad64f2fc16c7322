import { memo } from 'react'
import type { RejectedConnection } from '../../../../shared/model/delivery'
import { formatClock } from '../../lib/format'
import { formatRemote } from '../tls/tls-format'
import { optionId } from './option-id'

interface RejectedRowProps {
  connection: RejectedConnection
  top: number
  height: number
  selected: boolean
}

/** A TLS connection refused before any request: in the list so the user sees why a sender cannot connect. */
export const RejectedRow = memo(function RejectedRow({ connection, top, height, selected }: RejectedRowProps) {
  const { code, reason } = connection.rejection
  return (
    <div
      role="option"
      id={optionId('rejected', connection.id)}
      aria-selected={selected}
      // Not in the tab order: the list holds the focus and points at the selected row (aria-activedescendant).
      tabIndex={-1}
      data-kind="rejected"
      className={selected ? 'delivery-row rejected-row selected' : 'delivery-row rejected-row'}
      data-testid="rejected-row"
      data-id={connection.id}
      data-code={code}
      style={{ transform: `translateY(${top}px)`, height }}
      title={reason}
    >
      <span className="col-method">
        <span className="rejected-tag">REJECTED</span>
      </span>
      <span className="col-path rejected-code" data-testid="rejected-code">
        {code}
      </span>
      <span className="col-time">{formatClock(connection.at)}</span>
      {/* No status, verdict or size: the remote address uses their line. */}
      <span className="rejected-from" data-testid="rejected-from">
        {formatRemote(connection.remoteAddress, connection.remotePort)}
      </span>
    </div>
  )
})
