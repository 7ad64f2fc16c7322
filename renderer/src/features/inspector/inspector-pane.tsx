import { useState } from 'react'
import { useDeliveries, useRejected } from '../../app/services-context'
import { ViewBoundary } from '../../components/view-boundary'
import { RejectedDetail } from '../tls/rejected-detail'
import { DeliveryDetail } from './delivery-detail'
import type { InspectorTab } from './inspector-tab'

export function InspectorPane() {
  const selectedId = useDeliveries((s) => s.selectedId)
  const detail = useDeliveries((s) => (s.selectedId === null ? undefined : s.details[s.selectedId]))
  const select = useDeliveries((s) => s.select)
  const rejected = useRejected((s) => s.selected)
  // Kept here, not in the detail: moving through the list stays on the Signature tab.
  const [tab, setTab] = useState<InspectorTab>('request')

  if (rejected !== null) return <RejectedDetail key={rejected.id} connection={rejected} />
  if (selectedId === null) {
    return <div className="pane-message">Select a delivery to inspect it. Use ↑ and ↓ in the list to move.</div>
  }
  if (!detail || detail.status === 'loading') return <div className="pane-message">Loading…</div>
  if (detail.status === 'error') {
    return (
      <div className="pane-message" data-testid="detail-error">
        <p>{detail.gone ? 'This delivery no longer exists.' : detail.message}</p>
        {!detail.gone && (
          <button type="button" className="btn" onClick={() => select(selectedId)}>
            Retry
          </button>
        )}
      </div>
    )
  }
  return (
    <ViewBoundary key={detail.delivery.id} view="delivery detail" deliveryId={detail.delivery.id} failure="This delivery could not be shown">
      <DeliveryDetail delivery={detail.delivery} tab={tab} onTab={setTab} />
    </ViewBoundary>
  )
}
