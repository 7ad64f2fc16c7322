import { useKeys } from '../../app/services-context'
import { KeyRow } from './key-row'

const STATUS_ORDER = { ACTIVE: 0, INACTIVE: 1, DELETED: 2 } as const

/** Every key, grouped by rotation group, ACTIVE first, newest first within a status. */
export function KeysTable() {
  const keys = useKeys((s) => s.keys)
  if (keys.length === 0) {
    return (
      <p className="muted empty-keys" data-testid="keys-empty">
        No keys yet. Add one, or import a keyring file, and deliveries are verified as they arrive.
      </p>
    )
  }
  const sorted = [...keys].sort((a, b) => a.group.localeCompare(b.group) || STATUS_ORDER[a.status] - STATUS_ORDER[b.status] || b.createdAt - a.createdAt)
  return (
    <table className="keys-table" data-testid="keys-table">
      <thead>
        <tr>
          <th>Name</th>
          <th>Scheme</th>
          <th>Key id</th>
          <th>Group</th>
          <th>Status</th>
          <th>Applies to</th>
          <th>Actions</th>
        </tr>
      </thead>
      <tbody>
        {sorted.map((key) => (
          <KeyRow key={key.id} keySummary={key} />
        ))}
      </tbody>
    </table>
  )
}
