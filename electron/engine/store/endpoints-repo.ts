import type { Statement } from 'better-sqlite3'
import type { EndpointConfig, EndpointResponse } from '../../../shared/model/endpoint'
import type { SqliteDatabase } from './open-database'

interface EndpointRow {
  id: string
  name: string
  host: string
  port: number
  enabled: number
  max_body_bytes: number
  response: string
}

export class EndpointsRepo {
  private readonly all: Statement
  private readonly upsertStatement: Statement
  private readonly deleteStatement: Statement

  constructor(db: SqliteDatabase) {
    this.all = db.prepare(`SELECT id, name, host, port, enabled, max_body_bytes, response FROM endpoints ORDER BY created_at, id`)
    this.upsertStatement = db.prepare(`INSERT INTO endpoints (id, name, host, port, enabled, max_body_bytes, response, created_at)
      VALUES (@id, @name, @host, @port, @enabled, @maxBodyBytes, @response, @createdAt)
      ON CONFLICT (id) DO UPDATE SET name = excluded.name, host = excluded.host, port = excluded.port,
        enabled = excluded.enabled, max_body_bytes = excluded.max_body_bytes, response = excluded.response`)
    this.deleteStatement = db.prepare(`DELETE FROM endpoints WHERE id = ?`)
  }

  list(): EndpointConfig[] {
    return (this.all.all() as EndpointRow[]).map((row) => ({
      id: row.id,
      name: row.name,
      host: row.host,
      port: row.port,
      enabled: row.enabled === 1,
      maxBodyBytes: row.max_body_bytes,
      response: JSON.parse(row.response) as EndpointResponse
    }))
  }

  save(config: EndpointConfig, createdAt: number): void {
    this.upsertStatement.run({
      id: config.id,
      name: config.name,
      host: config.host,
      port: config.port,
      enabled: config.enabled ? 1 : 0,
      maxBodyBytes: config.maxBodyBytes,
      response: JSON.stringify(config.response),
      createdAt
    })
  }

  delete(id: string): boolean {
    return this.deleteStatement.run(id).changes > 0
  }
}
