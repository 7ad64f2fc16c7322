import type { RawHeader } from '../../../shared/model/delivery'
import type { EndpointConfig } from '../../../shared/model/endpoint'
import type { DeliveryRecord } from '../store/delivery-record'

/** Framing headers are ours to compute; a configured value would desynchronise the connection. */
const FRAMING = new Set(['content-length', 'transfer-encoding', 'connection'])

/** What an endpoint answers for one delivery: its configured response, or the default `{"id": ...}`. */
export function renderResponse(
  endpoint: EndpointConfig,
  record: DeliveryRecord
): { status: number; headers: RawHeader[]; body: string } {
  if (record.truncated) {
    return {
      status: 413,
      headers: [['Content-Type', 'application/json']],
      body: JSON.stringify({ id: record.id, error: `body exceeds ${endpoint.maxBodyBytes} bytes; the first bytes were kept` })
    }
  }
  const headers = endpoint.response.headers.filter(([name]) => !FRAMING.has(name.toLowerCase()))
  if (endpoint.response.body !== null) return { status: endpoint.response.status, headers, body: endpoint.response.body }
  if (!headers.some(([name]) => name.toLowerCase() === 'content-type')) headers.push(['Content-Type', 'application/json'])
  return { status: endpoint.response.status, headers, body: JSON.stringify({ id: record.id }) }
}
