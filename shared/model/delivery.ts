import type { TlsFacts, TlsRejection } from './tls'
import type { Verdict, VerdictBadge } from './verdict'

/** One header line exactly as received: original case, original order, duplicates kept. */
export type RawHeader = [name: string, value: string]

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
  /** Status Hookscope answered with. */
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

/** A whole delivery. Bytes travel as base64 so one JSON wire format serves IPC and HTTP. */
export interface Delivery extends DeliverySummary {
  headers: RawHeader[]
  bodyBase64: string
  verdictDetail: Verdict | null
  /** TLS version, cipher, SNI, ALPN, client certificate chain and its verification; null over plain HTTP. */
  tls: TlsFacts | null
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
