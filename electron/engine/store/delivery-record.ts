import type { RawHeader } from '../../../shared/model/delivery'
import type { TlsFacts } from '../../../shared/model/tls'
import type { Verdict } from '../../../shared/model/verdict'
import type { RequestSource } from '../capture/capture-types'

/** A delivery as the engine holds it: bytes as a Buffer, not base64. */
export interface DeliveryRecord {
  id: string
  endpointId: string
  receivedAt: number
  durationMs: number
  method: string
  url: string
  httpVersion: string
  headers: RawHeader[]
  contentType: string | null
  body: Buffer
  bodySize: number
  truncated: boolean
  responseStatus: number
  remoteAddress: string
  remotePort: number
  /** TLS facts when the delivery arrived over TLS. */
  tls: TlsFacts | null
  /** Computed before the commit, stored in the same transaction. */
  verdict: Verdict | null
  /** The sender's event name: set by the store when it writes the row (event-type.ts). */
  eventType?: string | null
  /** Where it came from when not a local listener (a tunnel: provider, public URL, relay delivery id). */
  source?: RequestSource
}
