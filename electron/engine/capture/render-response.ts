import type { RawHeader } from '../../../shared/model/delivery'
import type { EndpointConfig } from '../../../shared/model/endpoint'
import type { DeliveryRecord } from '../store/delivery-record'

/** Framing headers are ours to compute; a configured value would desynchronise the connection. */
const FRAMING = new Set(['content-length', 'transfer-encoding', 'connection'])

export interface RenderedResponse {
  status: number
  headers: RawHeader[]
  body: string
  /** How long to wait, once the delivery is stored, before answering. */
  delayMs: number
}

/** Uniform in [0, 1), like Math.random; injected so tests can decide which deliveries fail. */
export type RandomSource = () => number

/**
 * What an endpoint answers for one delivery: its configured response, or the default `{"id": ...}`;
 * with a failure rate set, that share of deliveries gets the failure status instead (a sender's
 * retries can then be watched). A truncated delivery is always answered 413, at once.
 */
export function renderResponse(
  endpoint: EndpointConfig,
  record: Pick<DeliveryRecord, 'id' | 'truncated'>,
  random: RandomSource = Math.random
): RenderedResponse {
  if (record.truncated) {
    return {
      status: 413,
      headers: [['Content-Type', 'application/json']],
      body: JSON.stringify({ id: record.id, error: `body exceeds ${endpoint.maxBodyBytes} bytes; the first bytes were kept` }),
      delayMs: 0
    }
  }
  const { response } = endpoint
  const delayMs = response.delayMs ?? 0
  const failure = response.failure ?? null
  // percent 0 never fails and 100 always does, whatever the random source returns in [0, 1).
  if (failure && failure.percent > 0 && random() * 100 < failure.percent) {
    if (failure.body !== null) return { status: failure.status, headers: [], body: failure.body, delayMs }
    return {
      status: failure.status,
      headers: [['Content-Type', 'application/json']],
      body: JSON.stringify({ id: record.id, error: 'simulated failure' }),
      delayMs
    }
  }
  const headers = response.headers.filter(([name]) => !FRAMING.has(name.toLowerCase()))
  if (response.body !== null) return { status: response.status, headers, body: response.body, delayMs }
  if (!headers.some(([name]) => name.toLowerCase() === 'content-type')) headers.push(['Content-Type', 'application/json'])
  return { status: response.status, headers, body: JSON.stringify({ id: record.id }), delayMs }
}
