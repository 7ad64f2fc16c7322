import type { NewDelivery, RecordedResponse } from '../store/stored-delivery'
import type { IncomingRequest } from './capture-types'

/** The row a received request becomes (its verdict is added where it is verified: in the capture worker). */
export function newDelivery(request: IncomingRequest, id: string, response: RecordedResponse | null): Omit<NewDelivery, 'verdict'> {
  return {
    id,
    endpointId: request.endpointId,
    receivedAt: request.receivedAt,
    durationMs: request.durationMs,
    method: request.method,
    url: request.url,
    httpVersion: request.httpVersion,
    headers: request.headers,
    trailers: request.trailers ?? [],
    body: request.body,
    bodySize: request.bodySize,
    truncated: request.truncated,
    remoteAddress: request.remoteAddress,
    remotePort: request.remotePort,
    tls: request.tls,
    source: request.source,
    response
  }
}
