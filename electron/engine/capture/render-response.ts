import { MAX_RECORDED_RESPONSE_BYTES, type RawHeader } from '../../../shared/model/delivery'
import type { EndpointConfig } from '../../../shared/model/endpoint'
import type { StoreHealthState } from '../../../shared/model/store-health'
import type { RecordedResponse } from '../store/stored-delivery'
import type { OutgoingResponse } from './capture-types'

/** Framing headers are ours to compute; a configured value would desynchronise the connection. */
const FRAMING = new Set(['content-length', 'transfer-encoding', 'connection'])
const JSON_TYPE: RawHeader = ['Content-Type', 'application/json']

export interface RenderedResponse extends OutgoingResponse {
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
export function renderResponse(endpoint: EndpointConfig, delivery: { id: string; truncated: boolean }, random: RandomSource = Math.random): RenderedResponse {
  const { id } = delivery
  if (delivery.truncated) {
    return { ...json(413, { id, error: `body exceeds ${endpoint.maxBodyBytes} bytes; the first bytes were kept` }), delayMs: 0 }
  }
  const { response } = endpoint
  const delayMs = response.delayMs ?? 0
  const failure = response.failure ?? null
  // percent 0 never fails and 100 always does, whatever the random source returns in [0, 1).
  if (failure && failure.percent > 0 && random() * 100 < failure.percent) {
    if (failure.body !== null) return { status: failure.status, headers: [], body: Buffer.from(failure.body), delayMs }
    return { ...json(failure.status, { id, error: 'simulated failure' }), delayMs }
  }
  const headers = response.headers.filter(([name]) => !FRAMING.has(name.toLowerCase()))
  if (response.body !== null) return { status: response.status, headers, body: Buffer.from(response.body), delayMs }
  if (!headers.some(([name]) => name.toLowerCase() === 'content-type')) headers.push(JSON_TYPE)
  return { status: response.status, headers, body: Buffer.from(`{"id":"${id}"}`), delayMs }
}

/** CONNECT asks for a tunnel: Hookscope is not a proxy. Recorded, and answered so. */
export function connectRefused(id: string): OutgoingResponse {
  return {
    status: 405,
    headers: [['Allow', 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS'], JSON_TYPE],
    body: Buffer.from(JSON.stringify({ id, error: 'CONNECT is not supported: Hookscope captures webhooks, it is not a proxy' }))
  }
}

/**
 * A tunnelled delivery the relay sent again because its acknowledgement was lost, already stored
 * as `storedId`: answered with the status stored then, and not stored twice. By then its sender
 * had its answer (the relay's queued one); this one only acknowledges it to the relay. Status 0
 * (a passthrough whose target's answer was never recorded) is no HTTP status: the relay would
 * refuse the frame, drop the connection and send the delivery again, forever; 202 says "stored".
 */
export function repeatedDelivery(storedId: string, storedStatus: number): OutgoingResponse {
  return json(storedStatus === 0 ? 202 : storedStatus, { id: storedId, repeated: true })
}

/**
 * The store could not take the delivery: the sender should retry. `reason` is the store's health
 * when it is known to be unwell (disk-full, read-only, damaged): a damaged or read-only store needs
 * someone to act, so retrying within the second is pointless.
 */
export function storeUnavailable(reason?: StoreHealthState): OutgoingResponse {
  const lasting = reason === 'damaged' || reason === 'read-only'
  const body = reason && reason !== 'ok' ? { error: 'store unavailable', reason } : { error: 'store unavailable' }
  return { status: 503, headers: [JSON_TYPE, ['Retry-After', lasting ? '60' : '1']], body: Buffer.from(JSON.stringify(body)), notStored: true }
}

/** The answer as kept with its delivery: the body capped. */
export function recordResponse(response: OutgoingResponse): RecordedResponse {
  const bodyTruncated = response.body.length > MAX_RECORDED_RESPONSE_BYTES
  return {
    status: response.status,
    headers: response.headers,
    body: bodyTruncated ? response.body.subarray(0, MAX_RECORDED_RESPONSE_BYTES) : response.body,
    bodyTruncated
  }
}

function json(status: number, value: unknown): OutgoingResponse {
  return { status, headers: [JSON_TYPE], body: Buffer.from(JSON.stringify(value)) }
}
