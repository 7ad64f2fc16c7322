import type { DeliverySummary, RawHeader, RequestSource } from '../../../shared/model/delivery'
import type { TlsFacts } from '../../../shared/model/tls'
import type { CompactVerdict } from '../../../shared/model/verdict'

/**
 * The store's two delivery shapes. `NewDelivery` is what the capture pipeline writes (the request
 * as received plus what Hookscope made of it); `StoredDelivery` is what reads give back (the list
 * row, plus the bytes). The API's `Delivery` is `StoredDelivery` put on the wire (export/wire-delivery.ts).
 * Header names and values are byte strings (one char per byte), exactly as received.
 */

/** The answer the sender got, as kept with its delivery (body capped at MAX_RECORDED_RESPONSE_BYTES). */
export interface RecordedResponse {
  status: number
  headers: RawHeader[]
  body: Buffer
  bodyTruncated: boolean
}

/** The list row's fields that come from the request itself; the rest is derived when it is stored. */
type RequestFields = Omit<DeliverySummary, 'contentType' | 'responseStatus' | 'verdict' | 'secure' | 'eventType'>

export type NewDelivery = RequestFields & {
  headers: RawHeader[]
  trailers: RawHeader[]
  body: Buffer
  tls: TlsFacts | null
  /** A local listener, or a tunnel (its relay delivery id is kept to answer a repeat without storing it twice). */
  source: RequestSource
  /** null while a passthrough relay still waits for its target (recorded later). */
  response: RecordedResponse | null
  verdict: CompactVerdict | null
}

export type StoredDelivery = DeliverySummary & {
  headers: RawHeader[]
  trailers: RawHeader[]
  body: Buffer
  /** As stored: its signed-content preview may still be a reference to `body` (export/wire-delivery.ts expands it). */
  verdictDetail: CompactVerdict | null
  tls: TlsFacts | null
  source: RequestSource
  response: Omit<RecordedResponse, 'status'>
}

/** The Content-Type a delivery is listed with: its first Content-Type header. */
export function contentTypeOf(headers: readonly RawHeader[]): string | null {
  for (const [name, value] of headers) if (name.length === 12 && name.toLowerCase() === 'content-type') return value
  return null
}

/** The relay's id of a tunnelled delivery (relay-server tunnels only): a repeat of it carries the same one. */
export function tunnelDeliveryIdOf(source: RequestSource): string | null {
  return source.kind === 'tunnel' ? (source.deliveryId ?? null) : null
}
