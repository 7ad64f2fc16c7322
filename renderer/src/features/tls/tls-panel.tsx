import type { Delivery } from '../../../../shared/model/delivery'
import { TlsFactsView } from './tls-facts-view'

/** The inspector's TLS tab: how a secure delivery's connection was set up. */
export function TlsPanel({ delivery }: { delivery: Delivery }) {
  return (
    <div className="tls-panel" data-testid="tls-panel">
      {delivery.tls ? (
        <TlsFactsView facts={delivery.tls} at={delivery.receivedAt} />
      ) : (
        <p className="muted">This delivery arrived over plain HTTP: there is no TLS to show.</p>
      )}
    </div>
  )
}
