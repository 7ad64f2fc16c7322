import type { Statement } from 'better-sqlite3'
import type { SqliteDatabase } from '../store/open-database'

/** A tunnel as saved: the client token only sealed under the keyring's data key, or not at all. */
export interface TunnelRow {
  endpointId: string
  url: string
  enabled: boolean
  sealedToken: Buffer | null
}

/** The `tunnels` table: one tunnel per endpoint. */
export class TunnelsRepo {
  private readonly all: Statement
  private readonly upsert: Statement
  private readonly remove: Statement

  constructor(db: SqliteDatabase) {
    this.all = db.prepare(`SELECT endpoint_id, url, enabled, sealed_token FROM tunnels ORDER BY created_at, endpoint_id`)
    this.upsert = db.prepare(`INSERT INTO tunnels (endpoint_id, url, enabled, sealed_token, created_at)
      VALUES (@endpointId, @url, @enabled, @sealedToken, @createdAt)
      ON CONFLICT (endpoint_id) DO UPDATE SET url = excluded.url, enabled = excluded.enabled, sealed_token = excluded.sealed_token`)
    this.remove = db.prepare(`DELETE FROM tunnels WHERE endpoint_id = ?`)
  }

  list(): TunnelRow[] {
    return (this.all.all() as { endpoint_id: string; url: string; enabled: number; sealed_token: Buffer | null }[]).map((row) => ({
      endpointId: row.endpoint_id,
      url: row.url,
      enabled: row.enabled === 1,
      sealedToken: row.sealed_token
    }))
  }

  save(row: TunnelRow, createdAt: number): void {
    this.upsert.run({ endpointId: row.endpointId, url: row.url, enabled: row.enabled ? 1 : 0, sealedToken: row.sealedToken, createdAt })
  }

  delete(endpointId: string): boolean {
    return this.remove.run(endpointId).changes > 0
  }
}
