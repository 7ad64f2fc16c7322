import { describeRequestSource } from '../../../../shared/lib/request-source-text'
import type { Delivery } from '../../../../shared/model/delivery'
import { useEndpoints } from '../../app/services-context'
import { LockIcon } from '../../components/lock-icon'
import { formatBytes, formatDateTime, formatDuration } from '../../lib/format'
import { statusClass } from '../deliveries/method-class'
import { formatRemote } from '../tls/tls-format'

export function MetaGrid({ delivery, storedBytes }: { delivery: Delivery; storedBytes: number }) {
  const endpointName = useEndpoints((s) => s.endpoints.find((e) => e.id === delivery.endpointId)?.name ?? delivery.endpointId)
  const remote = formatRemote(delivery.remoteAddress, delivery.remotePort)
  const via = describeRequestSource(delivery.source)
  return (
    <dl className="meta-grid" data-testid="delivery-meta">
      <dt>Received</dt>
      <dd>{formatDateTime(delivery.receivedAt)}</dd>
      <dt>Duration</dt>
      <dd>{formatDuration(delivery.durationMs)}</dd>
      <dt>From</dt>
      <dd>{remote}</dd>
      {via && (
        <>
          <dt>Via</dt>
          <dd data-testid="delivery-source" data-kind={delivery.source.kind === 'tunnel' ? delivery.source.provider : 'listener'}>
            {via}
          </dd>
        </>
      )}
      <dt>Endpoint</dt>
      <dd>
        {endpointName}
        {delivery.tls && (
          <span className="tls-inline" data-testid="detail-secure">
            <LockIcon /> {delivery.tls.version ?? 'TLS'}
          </span>
        )}
      </dd>
      <dt>Size</dt>
      <dd>
        {formatBytes(delivery.bodySize)}
        {delivery.truncated && (
          <span className="truncated-marker" data-testid="detail-truncated">
            truncated: {formatBytes(storedBytes)} stored
          </span>
        )}
      </dd>
      <dt>Response</dt>
      <dd>
        <span className={statusClass(delivery.responseStatus)}>{delivery.responseStatus}</span>
      </dd>
      <dt>Content type</dt>
      <dd>{delivery.contentType ?? <span className="muted">none</span>}</dd>
      <dt>ID</dt>
      <dd className="mono">{delivery.id}</dd>
    </dl>
  )
}
