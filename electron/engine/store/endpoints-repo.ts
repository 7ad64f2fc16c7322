import type { Statement } from 'better-sqlite3'
import { DEFAULT_RESPONSE, DEFAULT_TLS, type EndpointConfig, type EndpointResponse } from '../../../shared/model/endpoint'
import type { EndpointTlsConfig } from '../../../shared/model/tls'
import type { SqliteDatabase } from './open-database'

interface EndpointRow {
  id: string
  name: string
  host: string
  port: number
  enabled: number
  max_body_bytes: number
  response: string
  tls: string | null
}

export class EndpointsRepo {
  private readonly all: Statement
  private readonly upsertStatement: Statement
  private readonly deleteStatement: Statement

  constructor(db: SqliteDatabase) {
    this.all = db.prepare(`SELECT id, name, host, port, enabled, max_body_bytes, response, tls FROM endpoints ORDER BY created_at, id`)
    this.upsertStatement = db.prepare(`INSERT INTO endpoints (id, name, host, port, enabled, max_body_bytes, response, tls, created_at)
      VALUES (@id, @name, @host, @port, @enabled, @maxBodyBytes, @response, @tls, @createdAt)
      ON CONFLICT (id) DO UPDATE SET name = excluded.name, host = excluded.host, port = excluded.port,
        enabled = excluded.enabled, max_body_bytes = excluded.max_body_bytes, response = excluded.response, tls = excluded.tls`)
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
      // Endpoints saved before delays and failure rates existed get their defaults.
      response: { ...DEFAULT_RESPONSE, ...(JSON.parse(row.response) as Partial<EndpointResponse>) },
      tls: row.tls ? { ...DEFAULT_TLS, ...(JSON.parse(row.tls) as Partial<EndpointTlsConfig>) } : DEFAULT_TLS
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
      tls: JSON.stringify(config.tls),
      createdAt
    })
  }

  delete(id: string): boolean {
    return this.deleteStatement.run(id).changes > 0
  }
}
