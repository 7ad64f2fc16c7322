import type { Statement } from 'better-sqlite3'
import type { SqliteDatabase } from './open-database'

/** Sender delivery ids per endpoint and scheme; the first delivery to claim an id owns it. */
export class ReplayLog {
  private readonly claimStatement: Statement
  private readonly ownerStatement: Statement

  constructor(db: SqliteDatabase) {
    this.claimStatement = db.prepare(`INSERT OR IGNORE INTO replay_log (endpoint_id, scheme, sender_id, first_delivery) VALUES (?, ?, ?, ?)`)
    this.ownerStatement = db.prepare(`SELECT first_delivery FROM replay_log WHERE endpoint_id = ? AND scheme = ? AND sender_id = ?`)
  }

  /** Claims the sender id for this delivery unless another one has; returns the delivery that owns it. */
  claim(endpointId: string, scheme: string, senderId: string, deliveryId: string): string {
    this.claimStatement.run(endpointId, scheme, senderId, deliveryId)
    return (this.ownerStatement.get(endpointId, scheme, senderId) as { first_delivery: string }).first_delivery
  }
}
