import type { Statement } from 'better-sqlite3'
import type { RawHeader } from '../../../shared/model/delivery'
import type { AttemptErrorCode, AttemptKind, AttemptState, AttemptSummary, ForwardMode } from '../../../shared/model/relay'
import type { Verdict } from '../../../shared/model/verdict'
import { BodyFiles } from '../store/body-files'
import type { SqliteDatabase } from '../store/open-database'
import { decodeCursor, encodeCursor, StatementCache } from '../store/page-cursor'
import { type AttemptRecord, toAttemptSummary } from './attempt-record'
import { ATTEMPT_COLUMNS, type AttemptRemoval, AttemptsWriter } from './attempts-writer'

export interface AttemptFilter {
  deliveryId?: string
  batchId?: string
  kind?: AttemptKind
  cursor?: string
  limit?: number
}

/**
 * Where attempts live. In the engine the rows are written by the capture worker (write ops
 * `attempt.save` / `attempts.remove`, batched with the deliveries): a write is queued and the
 * relay goes on; reads see it once it is written (`settled()`), reads by id see it at once.
 */
export interface AttemptsStore {
  /**
   * Inserts, or rewrites the row with the same id; with `next` (the retry the outcome schedules),
   * both in one transaction. Resolves once stored; never rejects (a failed write is logged and
   * reported to the store's health).
   */
  save(record: AttemptRecord, next?: AttemptRecord): Promise<void>
  /** Settles once every write queued so far is done: what the DB reads below need to see them. */
  settled(): Promise<void>
  get(id: string): AttemptRecord | undefined
  list(filter: AttemptFilter): { items: AttemptSummary[]; nextCursor: string | null }
  /** Relay attempts `scheduled` or `in-flight`, oldest first: what a restart resumes. */
  pendingRelays(): AttemptRecord[]
  /** Relay chains whose newest attempt was interrupted (the process stopped while it was on the wire). */
  interruptedChains(): AttemptRecord[]
  /** The newest relay attempt of a delivery. */
  lastRelay(deliveryId: string): AttemptRecord | undefined
  /** Failed relay attempts since the delivery's chain (re)started at attempt number 1. */
  failuresInChain(deliveryId: string): number
  /** The stored body of a delivery (the request body of attempts that did not copy it). */
  deliveryBody(deliveryId: string): Buffer | null
  /** Attempts of deliveries that were removed (queued after the writes before it). */
  remove(removal: AttemptRemoval): void
  /** Attempts whose delivery no longer exists (removed while Hookscope was not running). */
  removeOrphans(): number
  /** Keeps the newest `keep` test sends. */
  trimSends(keep: number): void
}

interface Row {
  seq: number
  id: string
  delivery_id: string | null
  endpoint_id: string | null
  kind: AttemptKind
  mode: ForwardMode | null
  rule_id: string | null
  batch_id: string | null
  number: number
  state: AttemptState
  due_at: number | null
  started_at: number | null
  finished_at: number | null
  method: string
  target: string
  request_headers: string
  request_body: Buffer | null
  request_body_size: number
  response_status: number | null
  response_headers: string | null
  response_body: Buffer | null
  response_body_size: number | null
  response_truncated: number
  duration_ms: number | null
  error_code: AttemptErrorCode | null
  error_message: string | null
  resigned_with: string | null
  edited: number
  verdict: string | null
  notes: string
}

const COLUMNS = ATTEMPT_COLUMNS

/** Everything but the bodies: lists never carry them. */
const SUMMARY_COLUMNS = `seq, ${COLUMNS.filter((c) => c !== 'request_body' && c !== 'response_body').join(', ')},
  NULL AS request_body, NULL AS response_body`

/**
 * SQLite implementation of AttemptsStore on one connection: its reads serve the engine (on the
 * API's connection), its synchronous writes the relay tests' harness.
 */
export class AttemptsRepo implements AttemptsStore {
  private readonly writer: AttemptsWriter
  private readonly byId: Statement
  private readonly pending: Statement
  private readonly interrupted: Statement
  private readonly lastRelayOf: Statement
  private readonly failures: Statement
  private readonly bodyOf: Statement
  private readonly listStatements: StatementCache

  constructor(
    private readonly db: SqliteDatabase,
    private readonly bodyFiles: Pick<BodyFiles, 'read'> = BodyFiles.beside(db)
  ) {
    this.listStatements = new StatementCache(db)
    this.writer = new AttemptsWriter(db)
    this.byId = db.prepare(`SELECT * FROM attempts WHERE id = ?`)
    this.pending = db.prepare(`SELECT * FROM attempts WHERE state IN ('scheduled', 'in-flight') AND kind = 'relay' ORDER BY seq`)
    this.interrupted = db.prepare(`SELECT a.* FROM attempts a
      WHERE a.kind = 'relay' AND a.state = 'interrupted' AND a.seq = (
        SELECT max(b.seq) FROM attempts b WHERE b.delivery_id = a.delivery_id AND b.kind = 'relay')
      ORDER BY a.seq`)
    this.lastRelayOf = db.prepare(`SELECT * FROM attempts WHERE delivery_id = ? AND kind = 'relay' ORDER BY seq DESC LIMIT 1`)
    this.failures = db.prepare(`SELECT count(*) AS n FROM attempts WHERE delivery_id = @id AND kind = 'relay' AND state = 'failed'
      AND seq >= coalesce((SELECT max(seq) FROM attempts WHERE delivery_id = @id AND kind = 'relay' AND number = 1), 0)`)
    this.bodyOf = db.prepare(`SELECT body, body_file_bytes FROM deliveries WHERE id = ?`)
  }

  save(record: AttemptRecord, next?: AttemptRecord): Promise<void> {
    // Without an fsync of its own (synchronous=NORMAL for this one write): the row is in the WAL
    // when this returns, and the next durable commit on the file fsyncs it with its own.
    this.db.pragma('synchronous = NORMAL')
    try {
      this.db.transaction(() => {
        this.writer.save(record)
        if (next) this.writer.save(next)
      })()
    } finally {
      this.db.pragma('synchronous = FULL')
    }
    return Promise.resolve()
  }

  settled(): Promise<void> {
    return Promise.resolve()
  }

  get(id: string): AttemptRecord | undefined {
    const row = this.byId.get(id) as Row | undefined
    return row && toRecord(row)
  }

  list(filter: AttemptFilter): { items: AttemptSummary[]; nextCursor: string | null } {
    const limit = filter.limit ?? 100
    const where: string[] = []
    const args: unknown[] = []
    if (filter.cursor !== undefined) {
      where.push('seq < ?')
      args.push(decodeCursor(filter.cursor, 'attempts.list'))
    }
    if (filter.deliveryId !== undefined) {
      where.push('delivery_id = ?')
      args.push(filter.deliveryId)
    }
    if (filter.batchId !== undefined) {
      where.push('batch_id = ?')
      args.push(filter.batchId)
    }
    if (filter.kind !== undefined) {
      where.push('kind = ?')
      args.push(filter.kind)
    }
    const sql = `SELECT ${SUMMARY_COLUMNS} FROM attempts ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY seq DESC LIMIT ?`
    const rows = this.listStatements.get(sql).all(...args, limit + 1) as Row[]
    const page = rows.slice(0, limit)
    const last = page.at(-1)
    return {
      items: page.map((row) => toAttemptSummary(toRecord(row))),
      nextCursor: rows.length > limit && last ? encodeCursor(last.seq) : null
    }
  }

  pendingRelays(): AttemptRecord[] {
    return (this.pending.all() as Row[]).map(toRecord)
  }

  interruptedChains(): AttemptRecord[] {
    return (this.interrupted.all() as Row[]).map(toRecord)
  }

  lastRelay(deliveryId: string): AttemptRecord | undefined {
    const row = this.lastRelayOf.get(deliveryId) as Row | undefined
    return row && toRecord(row)
  }

  failuresInChain(deliveryId: string): number {
    return (this.failures.get({ id: deliveryId }) as { n: number }).n
  }

  deliveryBody(deliveryId: string): Buffer | null {
    const row = this.bodyOf.get(deliveryId) as { body: Buffer; body_file_bytes: number | null } | undefined
    if (!row) return null
    // A large body is kept in its own file; the row's body is then empty.
    return row.body_file_bytes === null ? row.body : this.bodyFiles.read(deliveryId, row.body_file_bytes)
  }

  remove(removal: AttemptRemoval): void {
    this.db.transaction(() => this.writer.remove(removal))()
  }

  removeOrphans(): number {
    return this.db
      .prepare(`DELETE FROM attempts WHERE delivery_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.id = attempts.delivery_id)`)
      .run().changes
  }

  trimSends(keep: number): void {
    this.db
      .prepare(
        `DELETE FROM attempts WHERE kind = 'send' AND seq < coalesce((SELECT seq FROM attempts WHERE kind = 'send' ORDER BY seq DESC LIMIT 1 OFFSET ?), 0)`
      )
      .run(keep - 1)
  }
}

function toRecord(row: Row): AttemptRecord {
  return {
    id: row.id,
    deliveryId: row.delivery_id,
    endpointId: row.endpoint_id,
    kind: row.kind,
    mode: row.mode,
    ruleId: row.rule_id,
    batchId: row.batch_id,
    number: row.number,
    state: row.state,
    dueAt: row.due_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    method: row.method,
    target: row.target,
    requestHeaders: JSON.parse(row.request_headers) as RawHeader[],
    requestBody: row.request_body,
    requestBodySize: row.request_body_size,
    responseStatus: row.response_status,
    responseHeaders: row.response_headers ? (JSON.parse(row.response_headers) as RawHeader[]) : null,
    responseBody: row.response_body,
    responseBodySize: row.response_body_size,
    responseTruncated: row.response_truncated === 1,
    durationMs: row.duration_ms,
    error: row.error_code ? { code: row.error_code, message: row.error_message ?? '' } : null,
    resignedWith: row.resigned_with,
    edited: row.edited === 1,
    verdict: row.verdict ? (JSON.parse(row.verdict) as Verdict) : null,
    notes: JSON.parse(row.notes) as string[]
  }
}
