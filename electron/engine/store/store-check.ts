import type { SqliteDatabase } from './open-database'
import { isCorruption } from './store-damage'

export interface StoreCheckLimits {
  /**
   * Databases up to this many pages get SQLite's whole `PRAGMA quick_check` (every page, about
   * 2 ms per MiB). Default 16,384 pages: 64 MiB at 4 KiB a page, well under a tenth of a second.
   */
  maxFullCheckPages?: number
  /** Larger ones get their indexes walked, for at most this long (default 250 ms). */
  budgetMs?: number
  /** Reads the time for the budget (the engine's injected clock). */
  now: () => number
}

export const DEFAULT_FULL_CHECK_PAGES = 16_384
export const DEFAULT_CHECK_BUDGET_MS = 250

export interface StoreCheckResult {
  /** SQLite's first complaint, or null when nothing was found. */
  damage: string | null
  /** `full`: every page; `indexes`: every index b-tree; `partial`: the budget ran out first. */
  scope: 'full' | 'indexes' | 'partial'
}

/**
 * The check at open. A damaged index does not stop a database from opening, but every insert
 * that goes through it fails: found here, the store reports itself damaged before the first
 * sender gets a 503. A whole quick_check costs time in proportion to the file, which holds the
 * bodies, so a large database gets a bounded walk of its indexes instead (count(col) over each
 * index reads all of that b-tree's pages and none of the bodies); damage elsewhere is reported by
 * the first read or write that meets it. Reads only: nothing is written.
 */
export function checkStore(db: SqliteDatabase, limits: StoreCheckLimits): StoreCheckResult {
  const pages = db.pragma('page_count', { simple: true }) as number
  const scope = pages <= (limits.maxFullCheckPages ?? DEFAULT_FULL_CHECK_PAGES) ? 'full' : 'indexes'
  try {
    if (scope === 'full') {
      const first = db.pragma('quick_check(1)', { simple: true }) as string
      return { damage: first === 'ok' ? null : first, scope }
    }
    const deadline = limits.now() + (limits.budgetMs ?? DEFAULT_CHECK_BUDGET_MS)
    for (const index of indexWalks(db)) {
      if (limits.now() > deadline) return { damage: null, scope: 'partial' }
      db.prepare(index).pluck().get()
    }
    return { damage: null, scope }
  } catch (error) {
    if (isCorruption(error)) return { damage: (error as Error).message, scope }
    throw error
  }
}

interface IndexRow {
  name: string
  table: string
  sql: string | null
}

/** One query per index that can only be answered by reading the whole index b-tree. */
function indexWalks(db: SqliteDatabase): string[] {
  const indexes = db.prepare(`SELECT name, tbl_name AS "table", sql FROM sqlite_schema WHERE type = 'index' ORDER BY name`).all() as IndexRow[]
  const firstColumn = db.prepare(`SELECT name FROM pragma_index_info(?) ORDER BY seqno LIMIT 1`).pluck()
  const walks: string[] = []
  for (const index of indexes) {
    const column = firstColumn.get(index.name) as string | null | undefined
    // Expression indexes have no named column; none in our schema.
    if (!column) continue
    // A partial index can be named only by a query with its own WHERE.
    const where = index.sql ? /\bWHERE\b([\s\S]+)$/i.exec(index.sql)?.[1] : undefined
    // count(col), not count(*): count(*) may be answered from another, smaller b-tree.
    walks.push(`SELECT count(${quote(column)}) FROM ${quote(index.table)} INDEXED BY ${quote(index.name)}${where ? ` WHERE ${where}` : ''}`)
  }
  return walks
}

function quote(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`
}
