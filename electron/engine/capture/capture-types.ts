import type { RawHeader } from '../../../shared/model/delivery'
import type { TlsFacts } from '../../../shared/model/tls'

/**
 * The seam between whatever receives a webhook (a local listener, the tunnel client) and what
 * happens to it (verify, store, relay). Receivers build an `IncomingRequest` and hand it to
 * `CaptureIngress.handle`; they never touch the store or the relay themselves.
 */

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
  /** The stored bytes: at most the endpoint's body limit. */
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
}

/** The one entry point for everything that receives webhooks. */
export interface CaptureIngress {
  /**
   * Verifies, stores and relays the request as the endpoint is configured, and resolves with what
   * the sender must get. Never rejects: a store failure resolves to a 503 answer.
   */
  handle(request: IncomingRequest): Promise<OutgoingResponse>
}
