import type { Statement } from 'better-sqlite3'
import { EngineError } from '../../../shared/errors'
import type { DeliveryCounts, DeliveryFacets, DeliveryPage, DeliveryQuery } from '../../../shared/api/contract'
import { FULL_COLUMNS, SUMMARY_COLUMNS, toStored, toSummary, type FullRow, type SummaryRow } from './delivery-rows'
import type { SqliteDatabase } from './open-database'
import type { StoredDelivery } from './stored-delivery'

export type DeliveryFilter = DeliveryQuery & { cursor?: string; limit?: number }

/**
 * Reading deliveries: the API's list and detail, and exports. Runs on its own connection; writes
 * go through the capture store's writer (deliveries-writer.ts), on another.
 */
export class DeliveriesReader {
  private readonly byId: Statement
  private readonly listStatements = new Map<string, Statement>()

  constructor(private readonly db: SqliteDatabase) {
    this.byId = db.prepare(`SELECT ${FULL_COLUMNS} FROM deliveries WHERE id = ?`)
  }

  list(filter: DeliveryFilter): DeliveryPage {
    const limit = filter.limit ?? 100
    const { where, args } = queryClauses(filter)
    if (filter.cursor !== undefined) {
      where.push('seq < ?')
      args.push(decodeCursor(filter.cursor))
    }
    const sql = `SELECT ${SUMMARY_COLUMNS} FROM deliveries ${whereSql(where)} ORDER BY seq DESC LIMIT ?`
    const rows = this.statement(sql).all(...args, limit + 1) as SummaryRow[]
    const page = rows.slice(0, limit)
    const last = page.at(-1)
    const result: DeliveryPage = {
      items: page.map(toSummary),
      nextCursor: rows.length > limit && last ? encodeCursor(last.seq) : null
    }
    // "500 of 100,000": one count per first page (an index-only count, a few ms at 100,000).
    if (filter.cursor === undefined) result.total = this.totalCount()
    return result
  }

  private totalCount(): number {
    return (this.statement(`SELECT count(*) AS n FROM deliveries`).get() as { n: number }).n
  }

  /** How many deliveries there are, and how many the query matches. */
  counts(query: DeliveryQuery): DeliveryCounts {
    const total = this.totalCount()
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

  get(id: string): StoredDelivery | undefined {
    const row = this.byId.get(id) as FullRow | undefined
    return row ? toStored(row) : undefined
  }

  /** Oldest first, one row at a time, for exports of any size. */
  *iterateAll(): Generator<StoredDelivery> {
    yield* this.iterate({})
  }

  /**
   * The deliveries a query matches, oldest first (exports of the current filter). Read in pages
   * of complete statements: an open SQLite iterator would block every other statement on this
   * connection (captures included) for as long as the consumer takes.
   */
  *iterate(query: DeliveryQuery, pageSize = EXPORT_PAGE_ROWS): Generator<StoredDelivery> {
    const { where, args } = queryClauses(query)
    const page = this.db.prepare(
      `SELECT ${FULL_COLUMNS} FROM deliveries ${whereSql(['seq > ?', ...where])} ORDER BY seq ASC LIMIT ?`
    )
    let after = 0
    for (;;) {
      const rows = page.all(after, ...args, pageSize) as FullRow[]
      for (const row of rows) yield toStored(row)
      if (rows.length < pageSize) return
      after = rows.at(-1)!.seq
    }
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
  const compare = (clause: string, value: unknown) => {
    where.push(clause)
    args.push(value)
  }
  if (query.endpointId !== undefined) compare('endpoint_id = ?', query.endpointId)
  if (query.method !== undefined) compare('method = ?', query.method.toUpperCase())
  if (query.from !== undefined) compare('received_at >= ?', query.from)
  if (query.to !== undefined) compare('received_at < ?', query.to)
  if (query.verdict !== undefined) compare('verdict_status = ?', query.verdict)
  if (query.code !== undefined) compare('verdict_code = ?', query.code)
  if (query.scheme !== undefined) compare('verdict_scheme = ?', query.scheme)
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

function encodeCursor(seq: number): string {
  return seq.toString(36)
}

function decodeCursor(cursor: string): number {
  const seq = /^[0-9a-z]{1,11}$/.test(cursor) ? Number.parseInt(cursor, 36) : NaN
  if (!Number.isSafeInteger(seq) || seq <= 0) throw new EngineError('BAD_INPUT', 'deliveries.list: cursor is not one this API returned')
  return seq
}
