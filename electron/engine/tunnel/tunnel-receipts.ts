import type { Statement } from 'better-sqlite3'
import type { SqliteDatabase } from '../store/open-database'
import type { TunnelReceipts } from './tunnel-link'

/**
 * Finds a tunnelled delivery already stored under the relay's id (the column is written in the
 * delivery's own transaction, so "stored" and "has a receipt" are one fact). The relay sends a
 * delivery again only when its acknowledgement was lost, and by then its sender had the queued
 * answer: the repeat is answered with the stored status and the delivery id.
 */
export class TunnelReceiptsRepo implements TunnelReceipts {
  private readonly byTunnelId: Statement

  constructor(db: SqliteDatabase) {
    this.byTunnelId = db.prepare(`SELECT id, response_status FROM deliveries WHERE endpoint_id = ? AND tunnel_delivery_id = ? LIMIT 1`)
  }

  async find(endpointId: string, deliveryId: string) {
    const row = this.byTunnelId.get(endpointId, deliveryId) as { id: string; response_status: number } | undefined
    if (!row) return null
    return {
      status: row.response_status,
      headers: [['Content-Type', 'application/json']] as [string, string][],
      body: Buffer.from(JSON.stringify({ id: row.id, repeated: true }))
    }
  }
}
