import { memo } from 'react'
import type { RejectedConnection } from '../../../../shared/model/delivery'
import { formatClock } from '../../lib/format'
import { formatRemote } from '../tls/tls-format'

interface RejectedRowProps {
  connection: RejectedConnection
  top: number
  height: number
  selected: boolean
  onSelect: (id: string) => void
}

/** A TLS connection refused before any request: in the list so the user sees why a sender cannot connect. */
export const RejectedRow = memo(function RejectedRow({ connection, top, height, selected, onSelect }: RejectedRowProps) {
  const { code, reason } = connection.rejection
  return (
    <div
      role="row"
      aria-selected={selected}
      className={selected ? 'delivery-row rejected-row selected' : 'delivery-row rejected-row'}
      data-testid="rejected-row"
      data-id={connection.id}
      data-code={code}
      style={{ transform: `translateY(${top}px)`, height }}
      title={reason}
      onClick={() => onSelect(connection.id)}
    >
      <span className="col-method" role="cell">
        <span className="rejected-tag">REJECTED</span>
      </span>
      <span className="col-path rejected-code" role="cell" data-testid="rejected-code">
        {code}
      </span>
      <span className="col-time" role="cell">
        {formatClock(connection.at)}
      </span>
      {/* No status, verdict or size: the remote address uses their line. */}
      <span className="rejected-from" role="cell" data-testid="rejected-from">
        {formatRemote(connection.remoteAddress, connection.remotePort)}
      </span>
    </div>
  )
})
