import type { DeliverySummary, RawHeader } from '../../../shared/model/delivery'
import type { Endpoint } from '../../../shared/model/endpoint'

/**
 * The absolute URL a captured request went to, for "Copy as cURL": the capture endpoint's own URL
 * when it is known (replaying there reproduces the delivery), else the Host header.
 */
export function requestUrl(delivery: DeliverySummary, headers: readonly RawHeader[], endpoints: readonly Endpoint[]): string {
  if (/^https?:\/\//i.test(delivery.url)) return delivery.url // absolute-form request target
  const endpoint = endpoints.find((item) => item.id === delivery.endpointId)
  const host = headers.find(([name]) => name.toLowerCase() === 'host')?.[1]
  const base = endpoint?.state.url ?? (host ? `http://${host}` : 'http://localhost')
  return base.replace(/\/+$/, '') + (delivery.url.startsWith('/') ? delivery.url : `/${delivery.url}`)
}
