import type { DeliverySummary, RawHeader, RequestSource } from '../../../shared/model/delivery'
import type { TlsFacts } from '../../../shared/model/tls'
import type { CompactVerdict, Verdict, VerdictBadge } from '../../../shared/model/verdict'
import type { BodyFiles } from './body-files'
import type { StoredDelivery } from './stored-delivery'

/** Columns of a list row, and of a whole delivery: one mapping for every reader of the table. */
export const SUMMARY_COLUMNS = `seq, id, endpoint_id, received_at, duration_ms, method, url, http_version,
  content_type, body_size, truncated, response_status, remote_address, remote_port, verdict_status, verdict_scheme,
  verdict_code, tls IS NOT NULL AS secure, event_type`

export const FULL_COLUMNS = `${SUMMARY_COLUMNS}, raw_headers, raw_trailers, body, body_file_bytes, verdict, tls, source, response_headers,
  response_body, response_body_truncated`

export interface SummaryRow {
  seq: number
  id: string
  endpoint_id: string
  received_at: number
  duration_ms: number
  method: string
  url: string
  http_version: string
  content_type: string | null
  body_size: number
  truncated: number
  response_status: number
  remote_address: string
  remote_port: number
  verdict_status: VerdictBadge['status'] | null
  verdict_scheme: string | null
  verdict_code: VerdictBadge['code']
  secure: number
  event_type: string | null
}

export interface FullRow extends SummaryRow {
  raw_headers: string
  raw_trailers: string | null
  body: Buffer
  /** Set when the body is kept in a file (body-files.ts): its length; `body` is then empty. */
  body_file_bytes: number | null
  verdict: string | null
  tls: string | null
  source: string | null
  response_headers: string | null
  response_body: Buffer | null
  response_body_truncated: number | null
}

const NO_BYTES = Buffer.alloc(0)
const LISTENER: RequestSource = Object.freeze({ kind: 'listener' })

export function toSummary(row: SummaryRow): DeliverySummary {
  return {
    id: row.id,
    endpointId: row.endpoint_id,
    receivedAt: row.received_at,
    durationMs: row.duration_ms,
    method: row.method,
    url: row.url,
    httpVersion: row.http_version,
    contentType: row.content_type,
    bodySize: row.body_size,
    truncated: row.truncated === 1,
    responseStatus: row.response_status,
    remoteAddress: row.remote_address,
    remotePort: row.remote_port,
    verdict: row.verdict_status ? { status: row.verdict_status, scheme: row.verdict_scheme, code: row.verdict_code } : null,
    secure: row.secure === 1,
    eventType: row.event_type
  }
}

/** A whole delivery; a body kept as a file is read from `bodyFiles`. */
export function toStored(row: FullRow, bodyFiles: Pick<BodyFiles, 'read'>): StoredDelivery {
  return {
    ...toSummary(row),
    headers: JSON.parse(row.raw_headers) as RawHeader[],
    trailers: row.raw_trailers ? (JSON.parse(row.raw_trailers) as RawHeader[]) : [],
    body: row.body_file_bytes === null ? row.body : bodyFiles.read(row.id, row.body_file_bytes),
    verdictDetail: row.verdict ? (JSON.parse(row.verdict) as CompactVerdict) : null,
    tls: row.tls ? (JSON.parse(row.tls) as TlsFacts) : null,
    source: row.source ? (JSON.parse(row.source) as RequestSource) : LISTENER,
    // Deliveries stored before answers were recorded (schema 5 and older) have none.
    response: {
      headers: row.response_headers ? (JSON.parse(row.response_headers) as RawHeader[]) : [],
      body: row.response_body ?? NO_BYTES,
      bodyTruncated: row.response_body_truncated === 1
    }
  }
}

export function verdictColumns(verdict: Verdict | null): [status: string | null, scheme: string | null, code: string | null, json: string | null] {
  return verdict ? [verdict.status, verdict.scheme, verdict.code, JSON.stringify(verdict)] : [null, null, null, null]
}
