import type { Statement } from 'better-sqlite3'
import type { Verdict } from '../../../shared/model/verdict'
import { markDuplicate, replayKey } from '../verify/replay'
import type { SqliteDatabase } from './open-database'

/** Sender delivery ids per endpoint and scheme; the first delivery to claim an id owns it. */
export class ReplayLog {
  private readonly claimStatement: Statement
  private readonly ownerStatement: Statement

  constructor(db: SqliteDatabase) {
    this.claimStatement = db.prepare(
      `INSERT OR IGNORE INTO replay_log (endpoint_id, scheme, sender_id, first_delivery) VALUES (?, ?, ?, ?)`
    )
    this.ownerStatement = db.prepare(`SELECT first_delivery FROM replay_log WHERE endpoint_id = ? AND scheme = ? AND sender_id = ?`)
  }

  /** Claims the verdict's sender id for this delivery, or marks the verdict as a replay of the owner. */
  check(endpointId: string, deliveryId: string, verdict: Verdict | null): Verdict | null {
    const key = replayKey(verdict)
    if (!key || !verdict) return verdict
    this.claimStatement.run(endpointId, key.scheme, key.senderId, deliveryId)
    const owner = (this.ownerStatement.get(endpointId, key.scheme, key.senderId) as { first_delivery: string }).first_delivery
    return owner === deliveryId ? verdict : markDuplicate(verdict, owner)
  }
}
