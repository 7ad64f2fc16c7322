import type { Verdict } from '../../../../shared/model/verdict'
import { useDeliveries } from '../../app/services-context'
import { describeSkew, describeTolerance, formatUnixSeconds, withinTolerance } from './verdict-format'

/** Timestamp window and the sender's delivery id (with the earlier delivery it duplicates). */
export function DeliveryFacts({ verdict }: { verdict: Verdict }) {
  const select = useDeliveries((s) => s.select)
  const { timestamp, deliveryId, duplicateOf } = verdict
  if (!timestamp && deliveryId === undefined && duplicateOf === undefined) return null
  return (
    <dl className="meta-grid verdict-facts" data-testid="verdict-facts">
      {timestamp && (
        <>
          <dt>Timestamp</dt>
          <dd data-testid="verdict-timestamp">
            {formatUnixSeconds(timestamp.value)} <span className="muted mono">({timestamp.value})</span>
          </dd>
          <dt>Skew</dt>
          <dd className={withinTolerance(timestamp) ? '' : 'text-danger'} data-testid="verdict-skew">
            {describeSkew(timestamp.skewSeconds)}; {describeTolerance(timestamp)}
          </dd>
        </>
      )}
      {deliveryId !== undefined && (
        <>
          <dt>Sender id</dt>
          <dd className="mono" data-testid="verdict-delivery-id">
            {deliveryId}
          </dd>
        </>
      )}
      {duplicateOf !== undefined && (
        <>
          <dt>Duplicate of</dt>
          <dd>
            <button type="button" className="link-button mono" data-testid="duplicate-of" onClick={() => select(duplicateOf)}>
              {duplicateOf}
            </button>
          </dd>
        </>
      )}
    </dl>
  )
}
