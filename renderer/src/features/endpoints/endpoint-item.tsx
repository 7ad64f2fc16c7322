import { useState } from 'react'
import type { Endpoint } from '../../../../shared/model/endpoint'
import { useEndpoints, useNavigation, useTunnels } from '../../app/services-context'
import { ConfirmButton } from '../../components/confirm-button'
import { LockIcon } from '../../components/lock-icon'
import { EndpointTlsForm } from './endpoint-tls-form'
import { waitsForKeyring } from './keyring-error'
import { TunnelChip } from '../tunnel/tunnel-chip'
import { TunnelPanel } from '../tunnel/tunnel-panel'

export function EndpointItem({ endpoint }: { endpoint: Endpoint }) {
  const busy = useEndpoints((s) => s.busyIds[endpoint.id] === true)
  const start = useEndpoints((s) => s.start)
  const stop = useEndpoints((s) => s.stop)
  const remove = useEndpoints((s) => s.remove)
  const go = useNavigation((s) => s.go)
  const [editing, setEditing] = useState(false)
  const tunnel = useTunnels((s) => s.tunnels[endpoint.id])
  const saveTunnel = useTunnels((s) => s.set)
  const removeTunnel = useTunnels((s) => s.remove)
  const [tunnelOpen, setTunnelOpen] = useState(false)
  const { status, url, error } = endpoint.state
  const running = status === 'listening' || status === 'starting'
  const { mode } = endpoint.tls

  return (
    <li className="endpoint-item" data-testid="endpoint-item" data-id={endpoint.id} data-status={status} data-tls={mode}>
      <div className="endpoint-head">
        <span className={`state-dot state-${status}`} aria-hidden="true" />
        <span className="endpoint-name" title={endpoint.name}>
          {endpoint.name}
        </span>
        {tunnel && <TunnelChip tunnel={tunnel} />}
        <span className="endpoint-status" data-testid="endpoint-status">
          {status}
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
      {tunnelOpen ? (
        <TunnelPanel endpointId={endpoint.id} tunnel={tunnel} save={saveTunnel} remove={removeTunnel} onClose={() => setTunnelOpen(false)} />
      ) : editing ? (
        <EndpointTlsForm endpoint={endpoint} onClose={() => setEditing(false)} />
      ) : (
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
          <button type="button" className="btn btn-small" data-testid="endpoint-edit-tls" disabled={busy} onClick={() => setEditing(true)}>
            TLS…
          </button>
          <button type="button" className="btn btn-small" data-testid="endpoint-tunnel" disabled={busy} onClick={() => setTunnelOpen(true)}>
            Tunnel…
          </button>
          <ConfirmButton label="Delete" confirmLabel="Delete endpoint" className="btn-small" onConfirm={() => void remove(endpoint.id)} disabled={busy} testId="endpoint-delete" />
        </div>
      )}
    </li>
  )
}
