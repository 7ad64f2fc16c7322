import { useState } from 'react'
import type { Endpoint } from '../../../../shared/model/endpoint'
import { useConnectionStatus, useEndpoints, useNavigation, useTunnels } from '../../app/services-context'
import { ConfirmButton } from '../../components/confirm-button'
import { LockIcon } from '../../components/lock-icon'
import { ForwardingButton } from '../relay/forwarding-page'
import { TunnelChip } from '../tunnel/tunnel-chip'
import { TunnelPanel } from '../tunnel/tunnel-panel'
import { EndpointResponseForm } from './endpoint-response-form'
import { EndpointTlsForm } from './endpoint-tls-form'
import { waitsForKeyring } from './keyring-error'
import { describeResponse } from './response-form'

export function EndpointItem({ endpoint }: { endpoint: Endpoint }) {
  const busy = useEndpoints((s) => s.busyIds[endpoint.id] === true)
  const start = useEndpoints((s) => s.start)
  const stop = useEndpoints((s) => s.stop)
  const remove = useEndpoints((s) => s.remove)
  const go = useNavigation((s) => s.go)
  const [editing, setEditing] = useState<'tls' | 'response' | 'tunnel' | null>(null)
  const tunnel = useTunnels((s) => s.tunnels[endpoint.id])
  const saveTunnel = useTunnels((s) => s.set)
  const removeTunnel = useTunnels((s) => s.remove)
  // What the engine last said is only true while we can hear it: no green "listening" when it is gone.
  const reachable = useConnectionStatus() === 'connected'
  const { status, url, error } = endpoint.state
  const running = status === 'listening' || status === 'starting'
  const { mode } = endpoint.tls
  const response = describeResponse(endpoint.response)

  return (
    <li className="endpoint-item" data-testid="endpoint-item" data-id={endpoint.id} data-status={status} data-reachable={reachable} data-tls={mode}>
      <div className="endpoint-head">
        <span className={`state-dot state-${reachable ? status : 'unknown'}`} aria-hidden="true" />
        <span className="endpoint-name" title={endpoint.name}>
          {endpoint.name}
        </span>
        {tunnel && <TunnelChip tunnel={tunnel} />}
        <span className="endpoint-status" data-testid="endpoint-status" title={reachable ? undefined : `The engine cannot be reached; last known: ${status}`}>
          {reachable ? status : 'unknown'}
        </span>
      </div>
      <div className="endpoint-where">
        {mode !== 'http' && (
          <span
            className="endpoint-tls"
            data-testid="endpoint-tls-badge"
            title={mode === 'https' ? 'HTTPS' : `HTTPS with client certificates (${endpoint.tls.clientCert})`}
          >
            <LockIcon title="TLS endpoint" />
            {mode === 'https' ? 'https' : `mTLS ${endpoint.tls.clientCert}`}
          </span>
        )}
        <span className="endpoint-url mono" data-testid="endpoint-url">
          {url ?? `${endpoint.host}:${endpoint.port === 0 ? 'any port' : endpoint.port}`}
        </span>
      </div>
      {response && (
        <div className="endpoint-response-summary" data-testid="endpoint-response-summary">
          {response}
        </div>
      )}
      {error && (
        <div className="endpoint-error" data-testid="endpoint-error">
          {error}
        </div>
      )}
      {waitsForKeyring(endpoint) && (
        <div className="endpoint-hint small">
          <button type="button" className="link-button" data-testid="endpoint-open-keyring" onClick={() => go('keyring')}>
            Open the keyring
          </button>{' '}
          <span className="muted">to unlock it; the endpoint then starts.</span>
        </div>
      )}
      {editing === 'tunnel' ? (
        <TunnelPanel endpointId={endpoint.id} tunnel={tunnel} save={saveTunnel} remove={removeTunnel} onClose={() => setEditing(null)} />
      ) : editing === 'tls' ? (
        <EndpointTlsForm endpoint={endpoint} onClose={() => setEditing(null)} />
      ) : editing === 'response' ? (
        <EndpointResponseForm endpoint={endpoint} onClose={() => setEditing(null)} />
      ) : (
        <div className="endpoint-actions">
          <button
            type="button"
            className="btn btn-small"
            data-testid="endpoint-toggle"
            disabled={busy || status === 'starting' || !reachable}
            onClick={() => void (running ? stop(endpoint.id) : start(endpoint.id))}
          >
            {running ? 'Stop' : 'Start'}
          </button>
          <button type="button" className="btn btn-small" data-testid="endpoint-edit-tls" disabled={busy} onClick={() => setEditing('tls')}>
            TLS…
          </button>
          <button
            type="button"
            className="btn btn-small"
            data-testid="endpoint-edit-response"
            disabled={busy}
            title="What this endpoint answers: status, headers, body, a delay, a failure rate"
            onClick={() => setEditing('response')}
          >
            Response…
          </button>
          <button type="button" className="btn btn-small" data-testid="endpoint-tunnel" disabled={busy} onClick={() => setEditing('tunnel')}>
            Tunnel…
          </button>
          <ForwardingButton endpointId={endpoint.id} onOpen={() => go('forwarding')} />
          <ConfirmButton
            label="Delete"
            confirmLabel="Delete endpoint"
            className="btn-small"
            onConfirm={() => void remove(endpoint.id)}
            disabled={busy}
            testId="endpoint-delete"
          />
        </div>
      )}
    </li>
  )
}
