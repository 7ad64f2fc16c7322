import { isUtf8 } from 'node:buffer'
import type { Statement } from 'better-sqlite3'
import { EngineError } from '../../../shared/errors'
import type { DeliveryPage } from '../../../shared/api/contract'
import type { DeliverySummary, RawHeader } from '../../../shared/model/delivery'
import type { TlsFacts } from '../../../shared/model/tls'
import type { Verdict, VerdictBadge } from '../../../shared/model/verdict'
import type { RetentionLimits } from '../engine-types'
import type { DeliveryRecord } from './delivery-record'
import type { SqliteDatabase } from './open-database'
import { ReplayLog } from './replay-log'

export interface DeliveryFilter {
  endpointId?: string
  method?: string
  from?: number
  to?: number
  q?: string
  cursor?: string
  limit?: number
}

const SUMMARY_COLUMNS = `seq, id, endpoint_id, received_at, duration_ms, method, url, http_version,
  content_type, body_size, truncated, response_status, remote_address, remote_port, verdict_status, verdict_scheme,
  verdict_code, tls IS NOT NULL AS secure`

interface SummaryRow {
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
}

interface FullRow extends SummaryRow {
  raw_headers: string
  body: Buffer
  verdict: string | null
  tls: string | null
}

export type StoredDeliveryRow = DeliverySummary & { headers: RawHeader[]; body: Buffer; verdictDetail: Verdict | null; tls: TlsFacts | null }

/**
 * All SQL about deliveries. Keeps running totals (count, stored bytes) in memory so retention
 * is checked per batch without a table scan.
 */
export class DeliveriesRepo {
  private readonly insert: Statement
  private readonly byId: Statement
  private readonly deleteById: Statement
  private readonly setVerdict: Statement
  private readonly replay: ReplayLog
  private readonly listStatements = new Map<string, Statement>()
  private count: number
  private bytes: number

  constructor(private readonly db: SqliteDatabase) {
    // Positional parameters: binding by name costs a property lookup per column per row.
    this.insert = db.prepare(`INSERT INTO deliveries (id, endpoint_id, received_at, duration_ms, method, url,
      http_version, raw_headers, content_type, body, body_size, body_is_text, truncated, response_status,
      remote_address, remote_port, verdict_status, verdict_scheme, verdict_code, verdict, tls)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
    this.byId = db.prepare(`SELECT ${SUMMARY_COLUMNS}, raw_headers, body, verdict, tls FROM deliveries WHERE id = ?`)
    this.setVerdict = db.prepare(`UPDATE deliveries SET verdict_status = @verdictStatus, verdict_scheme = @verdictScheme,
      verdict_code = @verdictCode, verdict = @verdict WHERE id = @id`)
    this.replay = new ReplayLog(db)
    this.deleteById = db.prepare(`DELETE FROM deliveries WHERE id = ? RETURNING length(body) AS n`)
    const totals = db.prepare(`SELECT count(*) AS count, coalesce(sum(length(body)), 0) AS bytes FROM deliveries`).get() as {
      count: number
      bytes: number
    }
    this.count = totals.count
    this.bytes = totals.bytes
  }

  /**
   * One transaction for the whole batch: this is where group commit pays a single fsync. Replay
   * detection runs inside it, so two copies of one delivery in one batch are still caught.
   * Records are updated in place with their final verdict.
   */
  insertMany(records: DeliveryRecord[]): void {
    this.db.transaction(() => {
      for (const record of records) {
        record.verdict = this.replay.check(record.endpointId, record.id, record.verdict)
        const verdict = verdictColumns(record.verdict)
        this.insert.run(
          record.id,
          record.endpointId,
          record.receivedAt,
          record.durationMs,
          record.method,
          record.url,
          record.httpVersion,
          JSON.stringify(record.headers),
          record.contentType,
          record.body,
          record.bodySize,
          isUtf8(record.body) ? 1 : 0,
          record.truncated ? 1 : 0,
          record.responseStatus,
          record.remoteAddress,
          record.remotePort,
          verdict.verdictStatus,
          verdict.verdictScheme,
          verdict.verdictCode,
          verdict.verdict,
          record.tls ? JSON.stringify(record.tls) : null
        )
      }
    })()
    this.count += records.length
    for (const record of records) this.bytes += record.body.length
  }

  list(filter: DeliveryFilter): DeliveryPage {
    const limit = filter.limit ?? 100
    const where: string[] = []
    const args: unknown[] = []
    if (filter.cursor !== undefined) {
      where.push('seq < ?')
      args.push(decodeCursor(filter.cursor))
    }
    if (filter.endpointId !== undefined) {
      where.push('endpoint_id = ?')
      args.push(filter.endpointId)
    }
    if (filter.method !== undefined) {
      where.push('method = ?')
      args.push(filter.method.toUpperCase())
    }
    if (filter.from !== undefined) {
      where.push('received_at >= ?')
      args.push(filter.from)
    }
    if (filter.to !== undefined) {
      where.push('received_at < ?')
      args.push(filter.to)
    }
    const q = filter.q?.trim()
    if (q) {
      // LIKE is case-insensitive for ASCII; binary bodies are skipped so bytes never match by accident.
      const pattern = `%${escapeLike(q)}%`
      where.push(`(url LIKE ? ESCAPE '\\' OR raw_headers LIKE ? ESCAPE '\\'
        OR (body_is_text = 1 AND CAST(body AS TEXT) LIKE ? ESCAPE '\\'))`)
      args.push(pattern, pattern, pattern)
    }
    const sql = `SELECT ${SUMMARY_COLUMNS} FROM deliveries ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
      ORDER BY seq DESC LIMIT ?`
    const rows = this.statement(sql).all(...args, limit + 1) as SummaryRow[]
    const page = rows.slice(0, limit)
    const last = page.at(-1)
    return {
      items: page.map(toSummary),
      nextCursor: rows.length > limit && last ? encodeCursor(last.seq) : null
    }
  }

  get(id: string): StoredDeliveryRow | undefined {
    const row = this.byId.get(id) as FullRow | undefined
    return row ? toStored(row) : undefined
  }

  /** Stores a recomputed verdict, replay-checked against the log; returns what was stored. */
  updateVerdict(id: string, endpointId: string, verdict: Verdict): { summary: DeliverySummary; verdict: Verdict } | undefined {
    const final = this.replay.check(endpointId, id, verdict)!
    if (this.setVerdict.run({ id, ...verdictColumns(final) }).changes === 0) return undefined
    const row = this.byId.get(id) as FullRow | undefined
    return row ? { summary: toSummary(row), verdict: final } : undefined
  }

  delete(id: string): boolean {
    const row = this.deleteById.get(id) as { n: number } | undefined
    if (!row) return false
    this.count -= 1
    this.bytes -= row.n
    return true
  }

  clear(endpointId?: string): number {
    const result =
      endpointId === undefined
        ? this.db.prepare(`DELETE FROM deliveries`).run()
        : this.db.prepare(`DELETE FROM deliveries WHERE endpoint_id = ?`).run(endpointId)
    this.refreshTotals()
    return result.changes
  }

  totals(): { count: number; bytes: number } {
    return { count: this.count, bytes: this.bytes }
  }

  /** Deletes oldest deliveries until both limits hold; returns the removed ids. */
  evict(limits: RetentionLimits): string[] {
    if (this.count <= limits.maxDeliveries && this.bytes <= limits.maxBytes) return []
    const removed: string[] = []
    let count = this.count
    let bytes = this.bytes
    let cutoff = -1
    const oldest = this.db.prepare(`SELECT seq, id, length(body) AS n FROM deliveries ORDER BY seq ASC`)
    for (const row of oldest.iterate() as Iterable<{ seq: number; id: string; n: number }>) {
      if (count <= limits.maxDeliveries && bytes <= limits.maxBytes) break
      removed.push(row.id)
      cutoff = row.seq
      count -= 1
      bytes -= row.n
    }
    if (cutoff >= 0) this.db.prepare(`DELETE FROM deliveries WHERE seq <= ?`).run(cutoff)
    this.count = count
    this.bytes = bytes
    return removed
  }

  /** Oldest first, one row at a time, for exports of any size. */
  *iterateAll(): Generator<StoredDeliveryRow> {
    const all = this.db.prepare(`SELECT ${SUMMARY_COLUMNS}, raw_headers, body, verdict, tls FROM deliveries ORDER BY seq ASC`)
    for (const row of all.iterate() as Iterable<FullRow>) yield toStored(row)
  }

  private refreshTotals(): void {
    const totals = this.db.prepare(`SELECT count(*) AS count, coalesce(sum(length(body)), 0) AS bytes FROM deliveries`).get() as {
      count: number
      bytes: number
    }
    this.count = totals.count
    this.bytes = totals.bytes
  }

  private statement(sql: string): Statement {
    let statement = this.listStatements.get(sql)
    if (!statement) {
      statement = this.db.prepare(sql)
      this.listStatements.set(sql, statement)
    }
    return statement
  }
}

function toSummary(row: SummaryRow): DeliverySummary {
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
    secure: row.secure === 1
  }
}

function toStored(row: FullRow): StoredDeliveryRow {
  return {
    ...toSummary(row),
    headers: JSON.parse(row.raw_headers) as RawHeader[],
    body: row.body,
    verdictDetail: row.verdict ? (JSON.parse(row.verdict) as Verdict) : null,
    tls: row.tls ? (JSON.parse(row.tls) as TlsFacts) : null
  }
}

function verdictColumns(verdict: Verdict | null) {
  return {
    verdictStatus: verdict?.status ?? null,
    verdictScheme: verdict?.scheme ?? null,
    verdictCode: verdict?.code ?? null,
    verdict: verdict ? JSON.stringify(verdict) : null
  }
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => '\\' + c)
}

function encodeCursor(seq: number): string {
  return seq.toString(36)
}

function decodeCursor(cursor: string): number {
  const seq = /^[0-9a-z]{1,11}$/.test(cursor) ? Number.parseInt(cursor, 36) : NaN
  if (!Number.isSafeInteger(seq) || seq <= 0) throw new EngineError('BAD_INPUT', 'deliveries.list: cursor is not one this API returned')
  return seq
}
