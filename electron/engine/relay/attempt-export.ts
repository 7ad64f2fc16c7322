import type { AttemptError, AttemptKind, AttemptState } from '../../../shared/model/relay'
import type { SqliteDatabase } from '../store/open-database'

/** One attempt in an NDJSON export line (`attempts`). A public format (README): add fields, never rename. */
export interface NdjsonAttempt {
  /** When it went on the wire (ms since the epoch); when it is due, for one not sent yet. */
  at: number | null
  kind: AttemptKind
  state: AttemptState
  target: string
  /** The target's status; null without an answer. */
  status: number | null
  durationMs: number | null
  error: AttemptError | null
  /** Keyring key id it was re-signed (or sent) with; null as-is. */
  resignedWith: string | null
}

interface Row {
  delivery_id: string
  kind: AttemptKind
  state: AttemptState
  started_at: number | null
  due_at: number | null
  target: string
  response_status: number | null
  duration_ms: number | null
  error_code: AttemptError['code'] | null
  error_message: string | null
  resigned_with: string | null
}

/**
 * The attempts of a delivery (relay attempts, retries and replays, oldest first) for exports,
 * read on any connection (the CLI's is read-only). A store from before attempts existed has none.
 */
export function attemptsForExport(db: SqliteDatabase): (deliveryId: string) => NdjsonAttempt[] {
  const hasTable = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'attempts'`).get() !== undefined
  if (!hasTable) return () => []
  const statement = db.prepare(`SELECT delivery_id, kind, state, started_at, due_at, target, response_status, duration_ms,
    error_code, error_message, resigned_with FROM attempts WHERE delivery_id = ? ORDER BY seq`)
  return (deliveryId) =>
    (statement.all(deliveryId) as Row[]).map((row) => ({
      at: row.started_at ?? row.due_at,
      kind: row.kind,
      state: row.state,
      target: row.target,
      status: row.response_status,
      durationMs: row.duration_ms,
      error: row.error_code === null ? null : { code: row.error_code, message: row.error_message ?? '' },
      resignedWith: row.resigned_with
    }))
}
