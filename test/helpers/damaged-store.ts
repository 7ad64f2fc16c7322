import { closeSync, openSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { DATABASE_FILE, openDatabase } from '../../electron/engine/store/open-database'
import { deliveriesOn, makeDelivery } from './delivery-records'

/** A real Hookscope store with `count` deliveries (several pages per index), closed cleanly (no -wal). */
export function populatedStore(dataDir: string, count = 3000): string {
  const db = openDatabase(dataDir)
  deliveriesOn(db).insertMany(Array.from({ length: count }, (_, i) => makeDelivery({ method: ['POST', 'PUT', 'PATCH'][i % 3]! })))
  db.close()
  return join(dataDir, DATABASE_FILE)
}

/**
 * The pages of one b-tree (a table or an index, by name, as SQLite's dbstat lists them), or only
 * its leaves, or only the overflow pages that hold its large values (bodies).
 */
export function pagesOf(file: string, name: string, options: { leavesOnly?: boolean; overflowOnly?: boolean } = {}): number[] {
  const db = new Database(file, { readonly: true })
  const type = options.leavesOnly ? `AND pagetype = 'leaf'` : options.overflowOnly ? `AND pagetype = 'overflow'` : ''
  try {
    const rows = db.prepare(`SELECT pageno FROM dbstat WHERE name = ? ${type} ORDER BY pageno`).pluck().all(name) as number[]
    if (rows.length === 0) throw new Error(`no pages for ${name}`)
    return rows
  } finally {
    db.close()
  }
}

/** Overwrites whole pages of the file with garbage, the way a failing disk or a stray write would. */
export function damagePages(file: string, pages: number[], pageSize = 4096): void {
  const fd = openSync(file, 'r+')
  try {
    for (const page of pages) writeSync(fd, Buffer.alloc(pageSize, 0x5a), 0, pageSize, (page - 1) * pageSize)
  } finally {
    closeSync(fd)
  }
}
