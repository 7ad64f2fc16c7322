import type { Statement } from 'better-sqlite3'
import { EngineError } from '../../../shared/errors'
import type { SqliteDatabase } from './open-database'

/** Opaque page cursors over a table's `seq`: base-36 text, so no one mistakes them for ids. */
export function encodeCursor(seq: number): string {
  return seq.toString(36)
}

/** Throws BAD_INPUT naming `method` for a cursor this API did not hand out. */
export function decodeCursor(cursor: string, method: string): number {
  const seq = /^[0-9a-z]{1,11}$/.test(cursor) ? Number.parseInt(cursor, 36) : NaN
  if (!Number.isSafeInteger(seq) || seq <= 0) throw new EngineError('BAD_INPUT', `${method}: cursor is not one this API returned`)
  return seq
}

/** Prepared statements for SQL built per filter combination: each shape is prepared once. */
export class StatementCache {
  private readonly statements = new Map<string, Statement>()

  constructor(private readonly db: SqliteDatabase) {}

  get(sql: string): Statement {
    let statement = this.statements.get(sql)
    if (!statement) {
      statement = this.db.prepare(sql)
      this.statements.set(sql, statement)
    }
    return statement
  }
}
