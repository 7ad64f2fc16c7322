import { isUtf8 } from 'node:buffer'
import type { Statement } from 'better-sqlite3'
import type { DeliverySummary, RawHeader } from '../../../shared/model/delivery'
import type { Verdict } from '../../../shared/model/verdict'
import type { RetentionLimits } from '../engine-types'
import { BodyFiles } from './body-files'
import { FULL_COLUMNS, type FullRow, SUMMARY_COLUMNS, type SummaryRow, toStored, toSummary, verdictColumns } from './delivery-rows'
import { eventTypeOf } from './event-type'
import type { SqliteDatabase } from './open-database'
import { contentTypeOf, type NewDelivery, type RecordedResponse, type StoredDelivery, tunnelDeliveryIdOf } from './stored-delivery'

/** A delivery already stored: its id and the status its sender was answered with (0 while a passthrough target had not answered). */
export interface StoredCopy {
  id: string
  responseStatus: number
}

/**
 * Every write to the deliveries table, for the store's single writer (the capture worker). Keeps
 * running totals (count, stored bytes) so retention is checked per batch without a table scan;
 * that is why nothing else may write this table.
 */
export class DeliveriesWriter {
  private readonly insertStatement: Statement
  private readonly verdictStatement: Statement
  private readonly responseStatement: Statement
  private readonly deleteStatement: Statement
  private readonly byId: Statement
  private readonly summaryById: Statement
  private readonly byTunnelId: Statement
  private count = 0
  private bytes = 0
  /** Deliveries deleted with their body in a file: the file goes once the delete is on disk (takeRemovedBodyFiles). */
  private removedBodyFiles: string[] = []

  constructor(
    private readonly db: SqliteDatabase,
    private readonly bodyFiles: Pick<BodyFiles, 'read' | 'remove'> = BodyFiles.beside(db)
  ) {
    // Positional parameters: binding by name costs a property lookup per column per row.
    this.insertStatement = db.prepare(`INSERT INTO deliveries (id, endpoint_id, received_at, duration_ms, method, url,
      http_version, raw_headers, raw_trailers, content_type, body, body_file_bytes, body_size, body_is_text, truncated,
      response_status, response_headers, response_body, response_body_truncated, remote_address, remote_port,
      verdict_status, verdict_scheme, verdict_code, verdict, tls, event_type, source, tunnel_delivery_id)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
    this.verdictStatement = db.prepare(`UPDATE deliveries SET verdict_status = ?, verdict_scheme = ?, verdict_code = ?, verdict = ? WHERE id = ?`)
    this.responseStatement = db.prepare(
      `UPDATE deliveries SET response_status = ?, response_headers = ?, response_body = ?, response_body_truncated = ? WHERE id = ?`
    )
    this.deleteStatement = db.prepare(`DELETE FROM deliveries WHERE id = ? RETURNING ${STORED_BYTES} AS n, body_file_bytes IS NOT NULL AS inFile`)
    this.byId = db.prepare(`SELECT ${FULL_COLUMNS} FROM deliveries WHERE id = ?`)
    this.summaryById = db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM deliveries WHERE id = ?`)
    // Answered from the partial index deliveries_by_tunnel_id (`= ?` implies its IS NOT NULL).
    this.byTunnelId = db.prepare(`SELECT id, response_status FROM deliveries WHERE endpoint_id = ? AND tunnel_delivery_id = ? LIMIT 1`)
    this.refreshTotals()
  }

  /**
   * Inside the caller's transaction: the batch shares one commit. Returns the delivery's event
   * type, computed here, where the row is written (never on the thread that answers senders).
   * `bodyInFile`: the body is already in its file (BodyFiles), the row keeps only its length.
   */
  insert(delivery: NewDelivery, bodyInFile = false): string | null {
    const eventType = eventTypeOf(delivery.headers, delivery.body)
    const [verdictStatus, verdictScheme, verdictCode, verdict] = verdictColumns(delivery.verdict)
    const response = delivery.response
    this.insertStatement.run(
      delivery.id,
      delivery.endpointId,
      delivery.receivedAt,
      delivery.durationMs,
      delivery.method,
      delivery.url,
      delivery.httpVersion,
      JSON.stringify(delivery.headers),
      delivery.trailers.length > 0 ? JSON.stringify(delivery.trailers) : null,
      contentTypeOf(delivery.headers),
      bodyInFile ? NO_BYTES : delivery.body,
      bodyInFile ? delivery.body.length : null,
      delivery.bodySize,
      // Only search reads this, and search skips bodies kept as files.
      !bodyInFile && isUtf8(delivery.body) ? 1 : 0,
      delivery.truncated ? 1 : 0,
      response?.status ?? 0,
      response ? JSON.stringify(response.headers) : null,
      response?.body ?? null,
      response?.bodyTruncated ? 1 : 0,
      delivery.remoteAddress,
      delivery.remotePort,
      verdictStatus,
      verdictScheme,
      verdictCode,
      verdict,
      delivery.tls ? JSON.stringify(delivery.tls) : null,
      eventType,
      delivery.source.kind === 'listener' ? null : JSON.stringify(delivery.source),
      tunnelDeliveryIdOf(delivery.source)
    )
    this.count += 1
    this.bytes += delivery.body.length
    return eventType
  }

  /**
   * The delivery already stored under this tunnelled delivery's relay id on its endpoint, if any
   * (a repeat: the relay sends a delivery again when its acknowledgement was lost). Always
   * undefined for a delivery that did not come through a relay-server tunnel.
   */
  storedCopyOf(delivery: Pick<NewDelivery, 'endpointId' | 'source'>): StoredCopy | undefined {
    const tunnelId = tunnelDeliveryIdOf(delivery.source)
    if (tunnelId === null) return undefined
    const row = this.byTunnelId.get(delivery.endpointId, tunnelId) as { id: string; response_status: number } | undefined
    return row && { id: row.id, responseStatus: row.response_status }
  }

  get(id: string): StoredDelivery | undefined {
    const row = this.byId.get(id) as FullRow | undefined
    return row ? toStored(row, this.bodyFiles) : undefined
  }

  /** The list row alone: no body read (a body kept as a file can be megabytes). */
  summary(id: string): DeliverySummary | undefined {
    const row = this.summaryById.get(id) as SummaryRow | undefined
    return row ? toSummary(row) : undefined
  }

  setVerdict(id: string, verdict: Verdict): boolean {
    return this.verdictStatement.run(...verdictColumns(verdict), id).changes > 0
  }

  setResponse(id: string, response: RecordedResponse): boolean {
    return this.responseStatement.run(response.status, JSON.stringify(response.headers), response.body, response.bodyTruncated ? 1 : 0, id).changes > 0
  }

  delete(id: string): boolean {
    const row = this.deleteStatement.get(id) as { n: number; inFile: number } | undefined
    if (!row) return false
    this.count -= 1
    this.bytes -= row.n
    if (row.inFile) this.removedBodyFiles.push(id)
    return true
  }

  clear(endpointId?: string): number {
    const inFiles =
      endpointId === undefined
        ? this.db.prepare(`SELECT id FROM deliveries WHERE body_file_bytes IS NOT NULL`).pluck().all()
        : this.db.prepare(`SELECT id FROM deliveries WHERE body_file_bytes IS NOT NULL AND endpoint_id = ?`).pluck().all(endpointId)
    this.removedBodyFiles.push(...(inFiles as string[]))
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

  /** Whether the store holds more than these limits allow. */
  overLimits(limits: RetentionLimits): boolean {
    return this.count > limits.maxDeliveries || this.bytes > limits.maxBytes
  }

  /** Deletes oldest deliveries, at most `maxRows`, until both limits hold; returns the removed ids. */
  evict(limits: RetentionLimits, maxRows = Number.POSITIVE_INFINITY): string[] {
    if (!this.overLimits(limits)) return []
    const removed: string[] = []
    let count = this.count
    let bytes = this.bytes
    let cutoff = -1
    const inFiles: string[] = []
    const oldest = this.db.prepare(`SELECT seq, id, ${STORED_BYTES} AS n, body_file_bytes IS NOT NULL AS inFile FROM deliveries ORDER BY seq ASC`)
    for (const row of oldest.iterate() as Iterable<{ seq: number; id: string; n: number; inFile: number }>) {
      if ((count <= limits.maxDeliveries && bytes <= limits.maxBytes) || removed.length >= maxRows) break
      removed.push(row.id)
      if (row.inFile) inFiles.push(row.id)
      cutoff = row.seq
      count -= 1
      bytes -= row.n
    }
    if (cutoff >= 0) this.db.prepare(`DELETE FROM deliveries WHERE seq <= ?`).run(cutoff)
    this.removedBodyFiles.push(...inFiles)
    this.count = count
    this.bytes = bytes
    return removed
  }

  /**
   * The ids of deliveries deleted with their body in a file since the last call. Their files are
   * removed (removeBodyFiles) once the deletes are on disk: a delete lost in a power cut must not
   * bring back a row whose file is gone.
   */
  takeRemovedBodyFiles(): string[] {
    return this.removedBodyFiles.splice(0)
  }

  /** Removes the body files of these deliveries, those whose row is really gone (a rolled-back delete keeps its file). */
  removeBodyFiles(ids: readonly string[]): void {
    const kept = this.db.prepare(`SELECT 1 FROM deliveries WHERE id = ?`)
    for (const id of ids) if (kept.get(id) === undefined) this.bodyFiles.remove(id)
  }

  /** Newest first: the deliveries still `unchecked` under one of these schemes (and their body sizes), at most `limit`. */
  uncheckedIds(schemes: readonly string[], limit: number): { id: string; bytes: number }[] {
    if (schemes.length === 0) return []
    const marks = schemes.map(() => '?').join(', ')
    return this.db
      .prepare(
        `SELECT id, ${STORED_BYTES} AS bytes FROM deliveries WHERE verdict_status = 'unchecked' AND verdict_scheme IN (${marks}) ORDER BY seq DESC LIMIT ?`
      )
      .all(...schemes, limit) as { id: string; bytes: number }[]
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

  /** Counts again from the table: at open, after a clear, and after a rolled-back batch. */
  refreshTotals(): void {
    const totals = this.db.prepare(`SELECT count(*) AS count, coalesce(sum(${STORED_BYTES}), 0) AS bytes FROM deliveries`).get() as {
      count: number
      bytes: number
    }
    this.count = totals.count
    this.bytes = totals.bytes
  }
}

const NO_BYTES = Buffer.alloc(0)

/** A row's body bytes, in the row or in its file: what retention counts. */
const STORED_BYTES = 'length(body) + coalesce(body_file_bytes, 0)'
