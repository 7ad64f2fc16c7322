import type { KeySummary } from '../../../../shared/model/keyring'
import { formatDateTimeShort } from '../../lib/format'

/** Status pill plus the lifecycle times that explain it. */
export function KeyStatus({ keySummary }: { keySummary: KeySummary }) {
  const { status, createdAt, activatedAt, deletedAt } = keySummary
  return (
    <div className="key-status">
      <span className={`key-pill key-${status.toLowerCase()}`} data-testid="key-status">
        {status}
      </span>
      <div className="key-times small muted">
        <div>created {formatDateTimeShort(createdAt)}</div>
        {activatedAt !== null && <div>activated {formatDateTimeShort(activatedAt)}</div>}
        {deletedAt !== null && <div>deleted {formatDateTimeShort(deletedAt)}</div>}
      </div>
    </div>
  )
}
