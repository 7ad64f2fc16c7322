import { useConnectionStatus } from '../../app/services-context'

const LABELS = { connecting: 'Connecting…', connected: 'Live', reconnecting: 'Reconnecting…', 'wrong-token': 'Refused', 'earlier-run': 'Earlier run' } as const

export function ConnectionIndicator() {
  const status = useConnectionStatus()
  return (
    <span className={`connection connection-${status}`} data-testid="connection-status" data-state={status} role="status">
      <span className="dot" aria-hidden="true" />
      {LABELS[status]}
    </span>
  )
}
