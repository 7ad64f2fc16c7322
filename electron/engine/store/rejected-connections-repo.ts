import type { Statement } from 'better-sqlite3'
import type { RejectedConnection } from '../../../shared/model/delivery'
import type { TlsRejection } from '../../../shared/model/tls'
import type { SqliteDatabase } from './open-database'

/** A sender that retries a refused handshake in a loop must not fill the disk: keep the newest. */
export const MAX_REJECTED_CONNECTIONS = 10_000

interface Row {
  id: string
  endpoint_id: string
  at: number
  remote_address: string
  remote_port: number
  rejection: string
}

/** TLS connections that never carried a request, newest first. */
export class RejectedConnectionsRepo {
  private readonly insertStatement: Statement
  private readonly trimStatement: Statement
  private inserted = 0

  constructor(private readonly db: SqliteDatabase) {
    this.insertStatement = db.prepare(
      `INSERT INTO rejected_connections (id, endpoint_id, at, remote_address, remote_port, rejection) VALUES (?, ?, ?, ?, ?, ?)`
    )
    this.trimStatement = db.prepare(`DELETE FROM rejected_connections WHERE seq <= (SELECT max(seq) FROM rejected_connections) - ?`)
  }

  insert(connection: RejectedConnection): void {
    this.insertStatement.run(
      connection.id,
      connection.endpointId,
      connection.at,
      connection.remoteAddress,
      connection.remotePort,
      JSON.stringify(connection.rejection)
    )
    // Trimming every hundredth insert keeps the cost flat and the table near its cap.
    if (++this.inserted % 100 === 0) this.trimStatement.run(MAX_REJECTED_CONNECTIONS)
  }

  clear(endpointId?: string): number {
    const result =
      endpointId === undefined
        ? this.db.prepare(`DELETE FROM rejected_connections`).run()
        : this.db.prepare(`DELETE FROM rejected_connections WHERE endpoint_id = ?`).run(endpointId)
    return result.changes
  }

  list(filter: { endpointId?: string; limit?: number }): RejectedConnection[] {
    const limit = filter.limit ?? 100
    const rows = (
      filter.endpointId === undefined
        ? this.db.prepare(`SELECT * FROM rejected_connections ORDER BY seq DESC LIMIT ?`).all(limit)
        : this.db.prepare(`SELECT * FROM rejected_connections WHERE endpoint_id = ? ORDER BY seq DESC LIMIT ?`).all(filter.endpointId, limit)
    ) as Row[]
    return rows.map((row) => ({
      id: row.id,
      endpointId: row.endpoint_id,
      at: row.at,
      remoteAddress: row.remote_address,
      remotePort: row.remote_port,
      rejection: JSON.parse(row.rejection) as TlsRejection
    }))
  }
}
