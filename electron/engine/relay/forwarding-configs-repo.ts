import type { Statement } from 'better-sqlite3'
import { DEFAULT_FALLBACK, type FallbackResponse, type ForwardingRule } from '../../../shared/model/relay'
import type { SqliteDatabase } from '../store/open-database'

export interface StoredForwardingConfig {
  endpointId: string
  rules: ForwardingRule[]
  fallback: FallbackResponse
}

/** The `forwarding_configs` table: one JSON document per endpoint. */
export class ForwardingConfigsRepo {
  private readonly all: Statement
  private readonly upsert: Statement
  private readonly remove: Statement

  constructor(db: SqliteDatabase) {
    this.all = db.prepare(`SELECT endpoint_id, config FROM forwarding_configs`)
    this.upsert = db.prepare(`INSERT INTO forwarding_configs (endpoint_id, config, updated_at) VALUES (?, ?, ?)
      ON CONFLICT(endpoint_id) DO UPDATE SET config = excluded.config, updated_at = excluded.updated_at`)
    this.remove = db.prepare(`DELETE FROM forwarding_configs WHERE endpoint_id = ?`)
  }

  list(): StoredForwardingConfig[] {
    return (this.all.all() as { endpoint_id: string; config: string }[]).map((row) => {
      const parsed = JSON.parse(row.config) as Partial<StoredForwardingConfig>
      return { endpointId: row.endpoint_id, rules: parsed.rules ?? [], fallback: parsed.fallback ?? DEFAULT_FALLBACK }
    })
  }

  save(config: StoredForwardingConfig, now: number): void {
    this.upsert.run(config.endpointId, JSON.stringify({ rules: config.rules, fallback: config.fallback }), now)
  }

  delete(endpointId: string): void {
    this.remove.run(endpointId)
  }
}
