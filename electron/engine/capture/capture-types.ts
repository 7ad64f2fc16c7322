import type { RawHeader, RequestSource } from '../../../shared/model/delivery'
import type { TlsFacts } from '../../../shared/model/tls'

/**
 * The seam between whatever receives a webhook (a local listener, the tunnel client) and what
 * happens to it (verify, store, relay). Receivers build an `IncomingRequest` and hand it to
 * `CaptureIngress.handle`; they never touch the store or the relay themselves.
 */

/** Where a request came from (shared/model/delivery.ts: stored with the delivery). */
export type { RequestSource } from '../../../shared/model/delivery'

/**
 * A request as received. Header names and values are Node's latin1 "byte strings" (one char per
 * byte, exactly as on the wire); text for display is derived from them, never stored instead.
 */
export interface IncomingRequest {
  endpointId: string
  /** Wall-clock ms when the request head was parsed. */
  receivedAt: number
  /** ms from request head to the last body byte. */
  durationMs: number
  method: string
  /** Request target exactly as in the request line (path and query). */
  url: string
  httpVersion: string
  headers: RawHeader[]
  /** Trailer fields after a chunked body, same form as `headers`; absent or empty when none. */
  trailers?: RawHeader[]
  /**
   * The stored bytes: at most the endpoint's body limit. `handle` may hand this buffer over to the
   * store's thread (zero-copy): do not read it after calling `handle`.
   */
  body: Buffer
  /** Bytes the client sent (more than `body.length` when truncated). */
  bodySize: number
  truncated: boolean
  remoteAddress: string
  remotePort: number
  tls: TlsFacts | null
  source: RequestSource
}

/** What goes back to the sender. Framing headers (Content-Length, Connection) are the receiver's. */
export interface OutgoingResponse {
  status: number
  headers: RawHeader[]
  body: Buffer
  /**
   * Send it only after this many ms (the endpoint simulates a slow receiver); absent or 0: at once.
   * A receiver that is shutting down may send it at once.
   */
  delayMs?: number
  /**
   * Set only when the delivery could not be stored (the store's failure answer, a 503): nothing
   * was kept. A receiver whose sender was already answered by someone else (a delivery the relay
   * queued while the tunnel was away) must not acknowledge it then, but have it sent again later.
   * Never inferred from the status: a target or an endpoint's configured answer can be a 503 too.
   */
  notStored?: true
}

/** The one entry point for everything that receives webhooks. */
export interface CaptureIngress {
  /**
   * Verifies, stores and relays the request as the endpoint is configured, and resolves with what
   * the sender must get. Never rejects: a store failure resolves to a 503 answer.
   */
  handle(request: IncomingRequest): Promise<OutgoingResponse>
}
