import type { Statement } from 'better-sqlite3'
import { type DeliveryCounts, type DeliveryFacets, type DeliveryPage, type DeliveryQuery, MAX_TEXT_MATCH_COUNT } from '../../../shared/api/contract'
import { BodyFiles } from './body-files'
import { FULL_COLUMNS, type FullRow, SUMMARY_COLUMNS, type SummaryRow, toStored, toSummary } from './delivery-rows'
import type { SqliteDatabase } from './open-database'
import { decodeCursor, encodeCursor } from './page-cursor'
import type { StoredDelivery } from './stored-delivery'

export type DeliveryFilter = DeliveryQuery & { cursor?: string; limit?: number }

/**
 * Reading deliveries: the API's list and detail, and exports. Runs on its own connection; writes
 * go through the capture store's writer (deliveries-writer.ts), on another.
 */
export class DeliveriesReader {
  private readonly byId: Statement
  private readonly listStatements = new Map<string, Statement>()

  constructor(
    private readonly db: SqliteDatabase,
    private readonly bodyFiles: Pick<BodyFiles, 'read'> = BodyFiles.beside(db)
  ) {
    this.byId = db.prepare(`SELECT ${FULL_COLUMNS} FROM deliveries WHERE id = ?`)
  }

  list(filter: DeliveryFilter): DeliveryPage {
    const limit = filter.limit ?? 100
    const { where, args } = queryClauses(filter, this.isDense(filter, limit))
    if (filter.cursor !== undefined) {
      where.push('seq < ?')
      args.push(decodeCursor(filter.cursor, 'deliveries.list'))
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

  /** Whether the query's range filters match so many rows that reading by seq finds a page sooner. */
  private isDense(query: DeliveryQuery, limit: number): boolean {
    const ranges = rangeClauses(query, false)
    if (ranges.where.length === 0) return false
    // An index-only count: cheap next to sorting (or reading) the rows it counts.
    const { n } = this.statement(`SELECT count(*) AS n FROM deliveries ${whereSql(ranges.where)}`).get(...ranges.args) as { n: number }
    return n > limit * DENSE_MATCHES_PER_ROW
  }

  private totalCount(): number {
    return (this.statement(`SELECT count(*) AS n FROM deliveries`).get() as { n: number }).n
  }

  /** How many deliveries there are, and how many the query matches. */
  counts(query: DeliveryQuery): DeliveryCounts {
    const total = this.totalCount()
    const { where, args } = queryClauses(query)
    if (where.length === 0) return { total, matched: total, capped: false }
    if (query.q?.trim()) {
      // Every row's body may have to be read: stop once the count is past what anyone reads.
      const sql = `SELECT count(*) AS n FROM (SELECT 1 FROM deliveries ${whereSql(where)} LIMIT ?)`
      const { n } = this.statement(sql).get(...args, MAX_TEXT_MATCH_COUNT + 1) as { n: number }
      return { total, matched: Math.min(n, MAX_TEXT_MATCH_COUNT), capped: n > MAX_TEXT_MATCH_COUNT }
    }
    const matched = (this.statement(`SELECT count(*) AS n FROM deliveries ${whereSql(where)}`).get(...args) as { n: number }).n
    return { total, matched, capped: false }
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
    return row ? toStored(row, this.bodyFiles) : undefined
  }

  /** Whether delivery `id` is stored with its body in a file (BodyFiles): that file must stay. */
  keepsBodyFile(id: string): boolean {
    return this.statement(`SELECT 1 FROM deliveries WHERE id = ? AND body_file_bytes IS NOT NULL`).get(id) !== undefined
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
    const { where, args } = queryClauses(query, this.isDense(query, pageSize))
    const page = this.db.prepare(`SELECT ${FULL_COLUMNS} FROM deliveries ${whereSql(['seq > ?', ...where])} ORDER BY seq ASC LIMIT ?`)
    let after = 0
    for (;;) {
      const rows = page.all(after, ...args, pageSize) as FullRow[]
      for (const row of rows) yield toStored(row, this.bodyFiles)
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
 * WHERE clauses for a query. Each field compares one indexed column with `=`, so SQLite reads the
 * matches from that column's index newest first (see the migration). The two ranges (a status
 * class, an event type prefix) come out of their index unordered by seq: `dense` then says the
 * range matches many rows, and its column is written `+column` so SQLite scans by seq instead and
 * stops at the page's last match (an index range there would sort every match first).
 */
function queryClauses(query: DeliveryQuery, dense = false): { where: string[]; args: unknown[] } {
  const where: string[] = []
  const args: unknown[] = []
  const compare = (clause: string, ...values: unknown[]) => {
    where.push(clause)
    args.push(...values)
  }
  if (query.endpointId !== undefined) compare('endpoint_id = ?', query.endpointId)
  if (query.method !== undefined) compare('method = ?', query.method.toUpperCase())
  if (query.from !== undefined) compare('received_at >= ?', query.from)
  if (query.to !== undefined) compare('received_at < ?', query.to)
  if (query.verdict !== undefined) compare('verdict_status = ?', query.verdict)
  if (query.code !== undefined) compare('verdict_code = ?', query.code)
  if (query.scheme !== undefined) compare('verdict_scheme = ?', query.scheme)
  if (typeof query.status === 'number') compare('response_status = ?', query.status)
  const ranges = rangeClauses(query, dense)
  where.push(...ranges.where)
  args.push(...ranges.args)
  const q = query.q?.trim()
  if (q) {
    // LIKE is case-insensitive for ASCII; binary bodies are skipped so bytes never match by accident,
    // and so are bodies kept as files (their row's body is empty): reading megabytes per row is no search.
    const pattern = `%${escapeLike(q)}%`
    compare(
      `(url LIKE ? ESCAPE '\\' OR raw_headers LIKE ? ESCAPE '\\'
      OR verdict_code LIKE ? ESCAPE '\\' OR verdict_scheme LIKE ? ESCAPE '\\' OR event_type LIKE ? ESCAPE '\\'
      OR (body_is_text = 1 AND CAST(body AS TEXT) LIKE ? ESCAPE '\\'))`,
      pattern,
      pattern,
      pattern,
      pattern,
      pattern,
      pattern
    )
  }
  return { where, args }
}

/** The range filters alone; `dense` keeps SQLite off their index (see queryClauses). */
function rangeClauses(query: DeliveryQuery, dense: boolean): { where: string[]; args: unknown[] } {
  const where: string[] = []
  const args: unknown[] = []
  const column = (name: string) => (dense ? `+${name}` : name)
  if (query.status !== undefined && typeof query.status !== 'number') {
    const low = Number(query.status[0]) * 100
    where.push(`${column('response_status')} >= ? AND ${column('response_status')} < ?`)
    args.push(low, low + 100)
  }
  if (query.eventType !== undefined) {
    // `invoice` matches `invoice` and `invoice.paid`: one range on the index ('/' follows '.'),
    // minus names that merely start alike (`invoice-x` sorts inside it too).
    const type = query.eventType
    where.push(`${column('event_type')} >= ? AND ${column('event_type')} < ? AND (event_type = ? OR substr(event_type, ?, 1) = '.')`)
    args.push(type, `${type}/`, type, type.length + 1)
  }
  return { where, args }
}

/** Above this many matches per row of the page, a range filter reads faster by seq than by its index. */
const DENSE_MATCHES_PER_ROW = 20

function whereSql(where: string[]): string {
  return where.length ? 'WHERE ' + where.join(' AND ') : ''
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => '\\' + c)
}
