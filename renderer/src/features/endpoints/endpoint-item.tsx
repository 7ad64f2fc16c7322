import type { Endpoint } from '../../../../shared/model/endpoint'
import { useEndpoints } from '../../app/services-context'
import { ConfirmButton } from '../../components/confirm-button'

export function EndpointItem({ endpoint }: { endpoint: Endpoint }) {
  const busy = useEndpoints((s) => s.busyIds[endpoint.id] === true)
  const start = useEndpoints((s) => s.start)
  const stop = useEndpoints((s) => s.stop)
  const remove = useEndpoints((s) => s.remove)
  const { status, url, error } = endpoint.state
  const running = status === 'listening' || status === 'starting'

  return (
    <li className="endpoint-item" data-testid="endpoint-item" data-id={endpoint.id} data-status={status}>
      <div className="endpoint-head">
        <span className={`state-dot state-${status}`} aria-hidden="true" />
        <span className="endpoint-name" title={endpoint.name}>
          {endpoint.name}
        </span>
        <span className="endpoint-status" data-testid="endpoint-status">
          {status}
        </span>
      </div>
      <div className="endpoint-url mono" data-testid="endpoint-url">
        {url ?? `${endpoint.host}:${endpoint.port === 0 ? 'any port' : endpoint.port}`}
      </div>
      {error && (
        <div className="endpoint-error" data-testid="endpoint-error">
          {error}
        </div>
      )}
      <div className="endpoint-actions">
        <button
          type="button"
          className="btn btn-small"
          data-testid="endpoint-toggle"
          disabled={busy || status === 'starting'}
          onClick={() => void (running ? stop(endpoint.id) : start(endpoint.id))}
        >
          {running ? 'Stop' : 'Start'}
        </button>
        <ConfirmButton label="Delete" confirmLabel="Delete endpoint" className="btn-small" onConfirm={() => void remove(endpoint.id)} disabled={busy} testId="endpoint-delete" />
      </div>
    </li>
  )
}
