import type { TunnelView } from '../../../../shared/model/tunnel'
import { statusLabel } from './tunnel-format'

/** A small status chip on the endpoint: connected / reconnecting / offline; never silent. */
export function TunnelChip({ tunnel }: { tunnel: TunnelView }) {
  const { status, error } = tunnel.health
  const title = `Tunnel (${tunnel.config.provider === 'smee' ? 'smee' : 'relay server'}): ${statusLabel(status)}${error ? ` — ${error.message}` : ''}`
  return (
    <span className={`tunnel-chip tunnel-${status}`} data-testid="tunnel-chip" data-status={status} title={title}>
      <span className="tunnel-chip-dot" aria-hidden="true" />
      {status === 'connected' ? 'tunnel' : statusLabel(status)}
    </span>
  )
}
