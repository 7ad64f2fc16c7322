import type { TlsFacts, TlsRejection } from './tls'
import { type Verdict, type VerdictBadge, verdictBadge } from './verdict'

/** One header line exactly as received: original case, original order, duplicates kept. */
export type RawHeader = [name: string, value: string]

/** Where a request came from. */
export type RequestSource =
  | { kind: 'listener' }
  | {
      kind: 'tunnel'
      /** Our own relay server, or a smee channel. */
      provider: 'hookscope' | 'smee'
      /** The public URL the sender posted to. */
      publicUrl: string
      /** smee re-serialises JSON bodies: the bytes are not the sender's, signatures over them may fail. */
      reserialized: boolean
      /**
       * The relay's id for this delivery (relay-server tunnels only). A relay delivers again what was
       * not acknowledged, under the same id: a delivery already stored with this id is not stored twice.
       */
      deliveryId?: string
    }

/** What the live list needs; no body, no headers. */
export interface DeliverySummary {
  id: string
  endpointId: string
  /** Wall-clock ms when the request head was parsed. */
  receivedAt: number
  /** ms from request head to the last body byte ("time to receive"). */
  durationMs: number
  method: string
  /** Path and query exactly as in the request line. */
  url: string
  httpVersion: string
  contentType: string | null
  /** Bytes the client sent in the body (may exceed the stored bytes when truncated). */
  bodySize: number
  truncated: boolean
  /** Status the sender was answered with; 0 while a passthrough relay still waits for its target. */
  responseStatus: number
  remoteAddress: string
  remotePort: number
  /** Signature/decryption/credential check, computed at capture and on demand; null before any. */
  verdict: VerdictBadge | null
  /** Arrived over TLS (details in `Delivery.tls`). */
  secure: boolean
  /** The sender's event name (Stripe `type`, `X-GitHub-Event`, ...); null when it names none. */
  eventType: string | null
}

/** What the sender got back (status in `DeliverySummary.responseStatus`); the body is capped. */
export interface DeliveryResponse {
  headers: RawHeader[]
  bodyBase64: string
  /** The answer's body was longer than what is kept (MAX_RECORDED_RESPONSE_BYTES). */
  bodyTruncated: boolean
}

/** Bytes of an answer's body kept with the delivery. */
export const MAX_RECORDED_RESPONSE_BYTES = 64 * 1024

/**
 * A whole delivery. Bytes travel as base64 so one JSON wire format serves IPC and HTTP. Header
 * values are text (shared/lib/header-text.ts): UTF-8 decoded, except the ones listed in
 * `latin1Headers`, whose characters are their bytes.
 */
export interface Delivery extends DeliverySummary {
  headers: RawHeader[]
  latin1Headers: number[]
  /** Trailer fields of a chunked body, same form as `headers`; empty when none. */
  trailers: RawHeader[]
  latin1Trailers: number[]
  bodyBase64: string
  verdictDetail: Verdict | null
  /** TLS version, cipher, SNI, ALPN, client certificate chain and its verification; null over plain HTTP. */
  tls: TlsFacts | null
  response: DeliveryResponse
  /** A local listener, or the tunnel it came through (its public URL, and whether smee re-serialised the body). */
  source: RequestSource
}

/** What a list row is made of: every layer (engine event, store, UI) projects it this one way. */
export type DeliverySummarySource = Omit<DeliverySummary, 'verdict' | 'secure'> & {
  verdict: Pick<Verdict, 'status' | 'scheme' | 'code'> | null
  tls: TlsFacts | null
}

export function summarizeDelivery(source: DeliverySummarySource): DeliverySummary {
  return {
    id: source.id,
    endpointId: source.endpointId,
    receivedAt: source.receivedAt,
    durationMs: source.durationMs,
    method: source.method,
    url: source.url,
    httpVersion: source.httpVersion,
    contentType: source.contentType,
    bodySize: source.bodySize,
    truncated: source.truncated,
    responseStatus: source.responseStatus,
    remoteAddress: source.remoteAddress,
    remotePort: source.remotePort,
    verdict: source.verdict && verdictBadge(source.verdict),
    secure: source.tls !== null,
    eventType: source.eventType
  }
}

/** A TLS connection that never carried a request (refused handshake or client certificate). */
export interface RejectedConnection {
  id: string
  endpointId: string
  at: number
  remoteAddress: string
  remotePort: number
  rejection: TlsRejection
}
