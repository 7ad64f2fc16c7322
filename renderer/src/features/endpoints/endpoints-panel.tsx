import { useEndpoints } from '../../app/services-context'
import { ErrorBanner } from '../../components/error-banner'
import { DurabilitySelect } from '../settings/durability-select'
import { CreateEndpointForm } from './create-endpoint-form'
import { EndpointItem } from './endpoint-item'

export function EndpointsPanel() {
  const endpoints = useEndpoints((s) => s.endpoints)
  const loadStatus = useEndpoints((s) => s.loadStatus)
  const loadError = useEndpoints((s) => s.loadError)
  const actionError = useEndpoints((s) => s.actionError)
  const dismissActionError = useEndpoints((s) => s.dismissActionError)
  const load = useEndpoints((s) => s.load)

  return (
    <div className="endpoints-panel" data-testid="endpoints-panel">
      <div className="panel-title">Endpoints</div>
      {loadError && (
        <div className="error-banner" role="alert" data-testid="endpoints-load-error">
          <span className="error-text">{loadError}</span>
          <button type="button" className="btn btn-small" onClick={() => void load()}>
            Retry
          </button>
        </div>
      )}
      {actionError && <ErrorBanner message={actionError} onDismiss={dismissActionError} testId="endpoints-error" />}
      {loadStatus === 'ready' && endpoints.length === 0 && <p className="muted small">No endpoints yet.</p>}
      <ul className="endpoint-list">
        {endpoints.map((endpoint) => (
          <EndpointItem key={endpoint.id} endpoint={endpoint} />
        ))}
      </ul>
      <CreateEndpointForm />
      <DurabilitySelect />
    </div>
  )
}
