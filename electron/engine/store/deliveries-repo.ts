import { isUtf8 } from 'node:buffer'
import type { Statement } from 'better-sqlite3'
import type { DeliveryCounts, DeliveryFacets, DeliveryPage, DeliveryQuery } from '../../../shared/api/contract'
import type { DeliverySummary, RawHeader } from '../../../shared/model/delivery'
import type { TlsFacts } from '../../../shared/model/tls'
import type { Verdict, VerdictBadge } from '../../../shared/model/verdict'
import type { RetentionLimits } from '../engine-types'
import type { DeliveryRecord } from './delivery-record'
import { eventTypeOf } from './event-type'
import type { SqliteDatabase } from './open-database'
import { ReplayLog } from './replay-log'
import { decodeCursor, encodeCursor, StatementCache } from './page-cursor'

export type DeliveryFilter = DeliveryQuery & { cursor?: string; limit?: number }

const SUMMARY_COLUMNS = `seq, id, endpoint_id, received_at, duration_ms, method, url, http_version,
  content_type, body_size, truncated, response_status, remote_address, remote_port, verdict_status, verdict_scheme,
  verdict_code, tls IS NOT NULL AS secure, event_type`

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
  event_type: string | null
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
  private readonly listStatements: StatementCache
  private count: number
  private bytes: number

  constructor(private readonly db: SqliteDatabase) {
    this.listStatements = new StatementCache(db)
    // Positional parameters: binding by name costs a property lookup per column per row.
    this.insert = db.prepare(`INSERT INTO deliveries (id, endpoint_id, received_at, duration_ms, method, url,
      http_version, raw_headers, content_type, body, body_size, body_is_text, truncated, response_status,
      remote_address, remote_port, verdict_status, verdict_scheme, verdict_code, verdict, tls, event_type, source, tunnel_delivery_id)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
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
   * Records are updated in place with their final verdict and their event type.
   */
  insertMany(records: DeliveryRecord[]): void {
    this.db.transaction(() => {
      for (const record of records) {
        record.verdict = this.replay.check(record.endpointId, record.id, record.verdict)
        // Computed here, where the row is written (never on the thread that answers senders).
        record.eventType = eventTypeOf(record.headers, record.body)
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
          record.tls ? JSON.stringify(record.tls) : null,
          record.eventType,
          record.source ? JSON.stringify(record.source) : null,
          record.source?.kind === 'tunnel' ? (record.source.deliveryId ?? null) : null
        )
      }
    })()
    this.count += records.length
    for (const record of records) this.bytes += record.body.length
  }

  list(filter: DeliveryFilter): DeliveryPage {
    const limit = filter.limit ?? 100
    const { where, args } = queryClauses(filter)
    if (filter.cursor !== undefined) {
      where.push('seq < ?')
      args.push(decodeCursor(filter.cursor, 'deliveries.list'))
    }
    const sql = `SELECT ${SUMMARY_COLUMNS} FROM deliveries ${whereSql(where)} ORDER BY seq DESC LIMIT ?`
    const rows = this.statement(sql).all(...args, limit + 1) as SummaryRow[]
    const page = rows.slice(0, limit)
    const last = page.at(-1)
    return {
      items: page.map(toSummary),
      nextCursor: rows.length > limit && last ? encodeCursor(last.seq) : null
    }
  }

  /** How many deliveries there are, and how many the query matches. */
  counts(query: DeliveryQuery): DeliveryCounts {
    const total = (this.statement(`SELECT count(*) AS n FROM deliveries`).get() as { n: number }).n
    const { where, args } = queryClauses(query)
    if (where.length === 0) return { total, matched: total }
    const matched = (this.statement(`SELECT count(*) AS n FROM deliveries ${whereSql(where)}`).get(...args) as { n: number }).n
    return { total, matched }
  }

  /**
   * The distinct values of the filterable columns. Each is a skip scan over its index (one seek
   * per distinct value), so it costs the number of values, not the number of deliveries.
   */
  facets(): DeliveryFacets {
    const distinct = <T>(column: string): T[] => {
      const next = this.statement(`SELECT ${column} AS v FROM deliveries WHERE ${column} > ? ORDER BY ${column} LIMIT 1`)
      const first = this.statement(`SELECT ${column} AS v FROM deliveries WHERE ${column} IS NOT NULL ORDER BY ${column} LIMIT 1`)
      const values: T[] = []
      let row = first.get() as { v: T } | undefined
      while (row && values.length < MAX_FACET_VALUES) {
        values.push(row.v)
        row = next.get(row.v) as { v: T } | undefined
      }
      return values
    }
    return {
      eventTypes: distinct<string>('event_type'),
      schemes: distinct<string>('verdict_scheme'),
      codes: distinct<string>('verdict_code'),
      statuses: distinct<number>('response_status')
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
    yield* this.iterate({})
  }

  /**
   * The deliveries a query matches, oldest first (exports of the current filter). Read in pages
   * of complete statements: an open SQLite iterator would block every other statement on this
   * connection (captures included) for as long as the consumer takes.
   */
  *iterate(query: DeliveryQuery, pageSize = EXPORT_PAGE_ROWS): Generator<StoredDeliveryRow> {
    const { where, args } = queryClauses(query)
    const page = this.db.prepare(
      `SELECT ${SUMMARY_COLUMNS}, raw_headers, body, verdict, tls FROM deliveries ${whereSql(['seq > ?', ...where])} ORDER BY seq ASC LIMIT ?`
    )
    let after = 0
    for (;;) {
      const rows = page.all(after, ...args, pageSize) as FullRow[]
      for (const row of rows) yield toStored(row)
      if (rows.length < pageSize) return
      after = rows.at(-1)!.seq
    }
  }

  /**
   * Fills in the event type of rows stored before the column existed, newest first, at most
   * `maxRows` rows or `maxBytes` of bodies per call (each body is parsed). Returns true once done.
   */
  backfillEventTypes(maxRows: number, maxBytes: number): boolean {
    const mark = this.db.prepare(`SELECT value FROM hookscope_meta WHERE key = 'event_type_backfill_below'`).get() as { value: string } | undefined
    if (!mark) return true
    const below = Number(mark.value)
    // Sizes first (a BLOB's length is in its record header: no body is read), then one row at a
    // time: an open iterator would keep the UPDATEs from running on this connection.
    const sizes = this.db.prepare(`SELECT seq, length(body) AS n FROM deliveries WHERE seq < ? ORDER BY seq DESC LIMIT ?`)
    const one = this.db.prepare(`SELECT raw_headers, body FROM deliveries WHERE seq = ?`)
    const update = this.db.prepare(`UPDATE deliveries SET event_type = ? WHERE seq = ?`)
    const done = this.db.transaction(() => {
      let count = 0
      let bytes = 0
      let lowest = below
      for (const { seq, n } of sizes.all(below, maxRows) as { seq: number; n: number }[]) {
        if (count > 0 && bytes + n > maxBytes) break
        const row = one.get(seq) as { raw_headers: string; body: Buffer } | undefined
        const type = row ? eventTypeOf(JSON.parse(row.raw_headers) as RawHeader[], row.body) : null
        if (type !== null) update.run(type, seq)
        lowest = seq
        count += 1
        bytes += n
      }
      const finished = count === 0
      if (finished) this.db.prepare(`DELETE FROM hookscope_meta WHERE key = 'event_type_backfill_below'`).run()
      else this.db.prepare(`UPDATE hookscope_meta SET value = ? WHERE key = 'event_type_backfill_below'`).run(String(lowest))
      return finished
    })()
    return done
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
    return this.listStatements.get(sql)
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
    secure: row.secure === 1,
    eventType: row.event_type
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

const MAX_FACET_VALUES = 200
/** Rows per export page: bodies can be up to the endpoint's limit each, so keep pages small. */
const EXPORT_PAGE_ROWS = 64

/**
 * WHERE clauses for a query. Each field compares one indexed column with `=` (or a range on it),
 * so SQLite can read the matches from that column's index, newest first (see the migration).
 */
function queryClauses(query: DeliveryQuery): { where: string[]; args: unknown[] } {
  const where: string[] = []
  const args: unknown[] = []
  if (query.endpointId !== undefined) {
    where.push('endpoint_id = ?')
    args.push(query.endpointId)
  }
  if (query.method !== undefined) {
    where.push('method = ?')
    args.push(query.method.toUpperCase())
  }
  if (query.from !== undefined) {
    where.push('received_at >= ?')
    args.push(query.from)
  }
  if (query.to !== undefined) {
    where.push('received_at < ?')
    args.push(query.to)
  }
  if (query.verdict !== undefined) {
    where.push('verdict_status = ?')
    args.push(query.verdict)
  }
  if (query.code !== undefined) {
    where.push('verdict_code = ?')
    args.push(query.code)
  }
  if (query.scheme !== undefined) {
    where.push('verdict_scheme = ?')
    args.push(query.scheme)
  }
  if (typeof query.status === 'number') {
    where.push('response_status = ?')
    args.push(query.status)
  } else if (query.status !== undefined) {
    const low = Number(query.status[0]) * 100
    where.push('response_status >= ? AND response_status < ?')
    args.push(low, low + 100)
  }
  if (query.eventType !== undefined) {
    // `invoice` matches `invoice` and `invoice.paid`, as a range on the index ('/' follows '.').
    where.push('(event_type = ? OR (event_type > ? AND event_type < ?))')
    args.push(query.eventType, `${query.eventType}.`, `${query.eventType}/`)
  }
  const q = query.q?.trim()
  if (q) {
    // LIKE is case-insensitive for ASCII; binary bodies are skipped so bytes never match by accident.
    const pattern = `%${escapeLike(q)}%`
    where.push(`(url LIKE ? ESCAPE '\\' OR raw_headers LIKE ? ESCAPE '\\'
      OR verdict_code LIKE ? ESCAPE '\\' OR verdict_scheme LIKE ? ESCAPE '\\' OR event_type LIKE ? ESCAPE '\\'
      OR (body_is_text = 1 AND CAST(body AS TEXT) LIKE ? ESCAPE '\\'))`)
    args.push(pattern, pattern, pattern, pattern, pattern, pattern)
  }
  return { where, args }
}

function whereSql(where: string[]): string {
  return where.length ? 'WHERE ' + where.join(' AND ') : ''
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => '\\' + c)
}
