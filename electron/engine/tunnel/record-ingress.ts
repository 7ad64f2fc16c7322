import type { EndpointConfig } from '../../../shared/model/endpoint'
import type { Logger } from '../engine-types'
import type { CaptureIngress, IncomingRequest, OutgoingResponse } from '../capture/capture-types'
import { renderResponse } from '../capture/render-response'
import type { DeliveryRecord } from '../store/delivery-record'

export interface RecordIngressDeps {
  endpoint(id: string): EndpointConfig | undefined
  nextId(): string
  /** Verifies and stores; resolves once durable (the listener's path). */
  store(record: DeliveryRecord): Promise<void>
  logger: Logger
}

/**
 * The capture path the local listeners take, behind the CaptureIngress seam, for the tunnel
 * client until the capture pipeline (electron/engine/capture/capture-pipeline.ts) replaces it.
 */
export function recordIngress(deps: RecordIngressDeps): CaptureIngress {
  return {
    async handle(request: IncomingRequest): Promise<OutgoingResponse> {
      const endpoint = deps.endpoint(request.endpointId)
      if (!endpoint) return { status: 404, headers: [['Content-Type', 'application/json']], body: Buffer.from('{"error":"no such endpoint"}') }
      const record: DeliveryRecord = {
        id: deps.nextId(),
        endpointId: request.endpointId,
        receivedAt: request.receivedAt,
        durationMs: request.durationMs,
        method: request.method,
        url: request.url,
        httpVersion: request.httpVersion,
        headers: request.headers,
        contentType: request.headers.find(([name]) => name.toLowerCase() === 'content-type')?.[1] ?? null,
        body: request.body,
        bodySize: request.bodySize,
        truncated: request.truncated,
        responseStatus: request.truncated ? 413 : endpoint.response.status,
        remoteAddress: request.remoteAddress,
        remotePort: request.remotePort,
        tls: request.tls,
        verdict: null,
        source: request.source.kind === 'listener' ? undefined : request.source
      }
      try {
        await deps.store(record)
      } catch (error) {
        deps.logger.error('could not store a tunnelled delivery', { endpoint: endpoint.id, error: (error as Error).message })
        return { status: 503, headers: [['Content-Type', 'application/json']], body: Buffer.from('{"error":"store unavailable"}') }
      }
      const response = renderResponse(endpoint, record)
      return { status: response.status, headers: response.headers, body: Buffer.from(response.body, 'utf8') }
    }
  }
}
