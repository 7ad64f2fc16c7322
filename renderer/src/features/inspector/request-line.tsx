import type { DeliverySummary } from '../../../../shared/model/delivery'
import { methodClass } from '../deliveries/method-class'

export function RequestLine({ delivery }: { delivery: DeliverySummary }) {
  const version = delivery.httpVersion.startsWith('HTTP/') ? delivery.httpVersion : `HTTP/${delivery.httpVersion}`
  return (
    <div className="request-line" data-testid="request-line">
      <span className={methodClass(delivery.method)}>{delivery.method}</span>
      <span className="request-url" data-testid="request-url">
        {delivery.url}
      </span>
      <span className="request-version">{version}</span>
    </div>
  )
}
