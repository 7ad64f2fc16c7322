import { closeSync, openSync, readSync } from 'node:fs'
import { basename, dirname } from 'node:path'
import { EngineError } from '../../../shared/errors'

/** SQLite's own words for damaged pages. */
export function isCorruption(error: unknown): boolean {
  const code = String((error as { code?: unknown } | null)?.code ?? '')
  return /^SQLITE_(CORRUPT|NOTADB)/.test(code)
}

/**
 * How to get back what a damaged database still holds. `.recover` (SQLite 3.29+, built with the
 * sqlite_dbpage table; Debian 12's sqlite3 is not) keeps the schema version. The fallback is
 * `.clone`, which copies what each table still yields (`.dump` gives up on the first bad page: its
 * script ends in ROLLBACK) but not the schema version, which is set again, else the copy would not
 * be recognised as a Hookscope database.
 */
export function recoveryAdvice(file: string, schemaVersion: number): string {
  const name = basename(file)
  return (
    `Stop Hookscope and keep a copy of the folder, then in ${dirname(file)} run ` +
    `\`sqlite3 ${name} .recover | sqlite3 recovered.db\` (if your sqlite3 has no working .recover: ` +
    `\`sqlite3 ${name} '.clone recovered.db' && sqlite3 recovered.db 'PRAGMA user_version = ${schemaVersion}'\`) ` +
    `and put recovered.db in place of ${name}; or restore a backup copy of ${name}`
  )
}

export function damagedDatabase(file: string, detail: string, schemaVersion: number): EngineError {
  return new EngineError('STORE_DAMAGED', `${file} is damaged (${detail}); Hookscope has not changed it. ${recoveryAdvice(file, schemaVersion)}`)
}

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1')

/**
 * The schema version in a SQLite file's header (user_version, bytes 60..63), or null when the file
 * does not start like a SQLite database at all. Read by hand: SQLite cannot be asked once it has
 * refused the file.
 */
export function sqliteHeaderVersion(file: string): number | null {
  const header = Buffer.alloc(100)
  let fd: number | undefined
  try {
    fd = openSync(file, 'r')
    if (readSync(fd, header, 0, 100, 0) < 100) return null
  } catch {
    return null
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
  return header.subarray(0, 16).equals(SQLITE_MAGIC) ? header.readUInt32BE(60) : null
}
