import type { Statement } from 'better-sqlite3'
import type { SqliteDatabase } from '../store/open-database'
import type { AttemptRecord } from './attempt-record'

export const ATTEMPT_COLUMNS = [
  'id',
  'delivery_id',
  'endpoint_id',
  'kind',
  'mode',
  'rule_id',
  'batch_id',
  'number',
  'state',
  'due_at',
  'started_at',
  'finished_at',
  'method',
  'target',
  'request_headers',
  'request_body',
  'request_body_size',
  'response_status',
  'response_headers',
  'response_body',
  'response_body_size',
  'response_truncated',
  'duration_ms',
  'error_code',
  'error_message',
  'resigned_with',
  'edited',
  'verdict',
  'notes'
] as const

/** Which attempts go when deliveries go: those of some deliveries, or of an endpoint's (all with null). */
export type AttemptRemoval = { deliveryIds: readonly string[] } | { endpointId: string | null }

/**
 * Writes attempt rows on one connection: the capture worker's (the engine, through the
 * `attempt.*` write ops, batched with the deliveries) or the caller's (AttemptsRepo, tests).
 */
export class AttemptsWriter {
  private readonly upsert: Statement
  private readonly removeForDelivery: Statement

  constructor(private readonly db: SqliteDatabase) {
    const placeholders = ATTEMPT_COLUMNS.map(() => '?').join(', ')
    const updates = ATTEMPT_COLUMNS.filter((c) => c !== 'id')
      .map((c) => `${c} = excluded.${c}`)
      .join(', ')
    this.upsert = db.prepare(`INSERT INTO attempts (${ATTEMPT_COLUMNS.join(', ')}) VALUES (${placeholders})
      ON CONFLICT(id) DO UPDATE SET ${updates}`)
    this.removeForDelivery = db.prepare(`DELETE FROM attempts WHERE delivery_id = ?`)
  }

  /** Inserts, or rewrites the row with the same id (keeping its place in the order). */
  save(record: AttemptRecord): void {
    this.upsert.run(
      record.id,
      record.deliveryId,
      record.endpointId,
      record.kind,
      record.mode,
      record.ruleId,
      record.batchId,
      record.number,
      record.state,
      record.dueAt,
      record.startedAt,
      record.finishedAt,
      record.method,
      record.target,
      JSON.stringify(record.requestHeaders),
      record.requestBody,
      record.requestBodySize,
      record.responseStatus,
      record.responseHeaders ? JSON.stringify(record.responseHeaders) : null,
      record.responseBody,
      record.responseBodySize,
      record.responseTruncated ? 1 : 0,
      record.durationMs,
      record.error?.code ?? null,
      record.error?.message ?? null,
      record.resignedWith,
      record.edited ? 1 : 0,
      record.verdict ? JSON.stringify(record.verdict) : null,
      JSON.stringify(record.notes)
    )
  }

  /** Returns how many rows went. Runs inside the caller's transaction when there is one. */
  remove(removal: AttemptRemoval): number {
    if ('deliveryIds' in removal) {
      let changes = 0
      for (const id of removal.deliveryIds) changes += this.removeForDelivery.run(id).changes
      return changes
    }
    if (removal.endpointId === null) return this.db.prepare(`DELETE FROM attempts WHERE delivery_id IS NOT NULL`).run().changes
    return this.db.prepare(`DELETE FROM attempts WHERE delivery_id IS NOT NULL AND endpoint_id = ?`).run(removal.endpointId).changes
  }
}
