import type { RawHeader } from '../../../shared/model/delivery'
import type { Attempt, AttemptError, AttemptKind, AttemptState, AttemptSummary, ForwardMode } from '../../../shared/model/relay'
import type { Verdict } from '../../../shared/model/verdict'

/** An attempt as the engine holds it: bytes as Buffers. */
export interface AttemptRecord {
  id: string
  deliveryId: string | null
  endpointId: string | null
  kind: AttemptKind
  /** Relay attempts: the rule's mode when it was made (passthrough attempts are never re-run). */
  mode: ForwardMode | null
  ruleId: string | null
  batchId: string | null
  number: number
  state: AttemptState
  dueAt: number | null
  startedAt: number | null
  finishedAt: number | null
  method: string
  target: string
  requestHeaders: RawHeader[]
  /** null: the delivery's own body (not copied into the attempt). */
  requestBody: Buffer | null
  requestBodySize: number
  responseStatus: number | null
  responseHeaders: RawHeader[] | null
  responseBody: Buffer | null
  responseBodySize: number | null
  responseTruncated: boolean
  durationMs: number | null
  error: AttemptError | null
  resignedWith: string | null
  edited: boolean
  verdict: Verdict | null
  notes: string[]
}

export function toAttemptSummary(record: AttemptRecord): AttemptSummary {
  return {
    id: record.id,
    deliveryId: record.deliveryId,
    endpointId: record.endpointId,
    kind: record.kind,
    ruleId: record.ruleId,
    batchId: record.batchId,
    number: record.number,
    state: record.state,
    dueAt: record.dueAt,
    startedAt: record.startedAt,
    finishedAt: record.finishedAt,
    method: record.method,
    target: record.target,
    status: record.responseStatus,
    durationMs: record.durationMs,
    error: record.error,
    resignedWith: record.resignedWith,
    edited: record.edited,
    verdict: record.verdict ? { status: record.verdict.status, scheme: record.verdict.scheme, code: record.verdict.code } : null
  }
}

/** The whole attempt for the API; `deliveryBody` fills in a request body that was not copied. */
export function toAttempt(record: AttemptRecord, deliveryBody: Buffer | null): Attempt {
  const body = record.requestBody ?? deliveryBody ?? Buffer.alloc(0)
  return {
    ...toAttemptSummary(record),
    requestHeaders: record.requestHeaders,
    requestBodyBase64: body.toString('base64'),
    requestBodySize: record.requestBodySize,
    responseHeaders: record.responseHeaders,
    responseBodyBase64: record.responseBody ? record.responseBody.toString('base64') : null,
    responseBodySize: record.responseBodySize,
    responseTruncated: record.responseTruncated,
    verdictDetail: record.verdict,
    notes: record.notes
  }
}
