import { accessSync, constants, existsSync, mkdirSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { EngineError } from '../../../shared/errors'
import { ensurePrivateFile } from './data-dir-modes'
import { migrations, SCHEMA_VERSION } from './migrations'
import { checkStore, type StoreCheckLimits } from './store-check'
import { damagedDatabase, isCorruption, sqliteHeaderVersion } from './store-damage'
import { assertStoreWritable, readOnlyDatabase } from './store-writable'

export type SqliteDatabase = Database.Database

export const DATABASE_FILE = 'hookscope.db'

export interface OpenDatabaseOptions {
  /** better-sqlite3 addon built for this runtime (Electron's ABI differs from Node's). */
  nativeBinding?: string
  /** Export and other readers: no migration, no writes, no lock. */
  readonly?: boolean
  /**
   * Check the pages before anything is written (store-check.ts). Damage found is handed to
   * `onDamage` and the store opens anyway (what is intact can still be read); a damaged store
   * that would need a migration is refused instead: a damaged file is never rewritten.
   */
  check?: StoreCheckLimits & { onDamage: (detail: string) => void }
}

/**
 * Opens (creating if needed) the store and brings its schema up to date. Every way this can go
 * wrong ends in an EngineError with a STORE_* code and a sentence a user can act on; nothing is
 * ever deleted or overwritten to "recover", and a failed open leaves no -wal or -shm behind.
 */
export function openDatabase(dataDir: string, options: OpenDatabaseOptions = {}): SqliteDatabase {
  const file = join(dataDir, DATABASE_FILE)
  if (!options.readonly) {
    mkdirSync(dataDir, { recursive: true })
    assertStoreWritable(dataDir, DATABASE_FILE)
  }
  const sidecars = options.readonly ? [] : [`${file}-wal`, `${file}-shm`].filter((path) => !existsSync(path))
  let db: SqliteDatabase
  let created = false
  try {
    if (options.readonly) accessSync(file, constants.R_OK)
    else created = ensurePrivateFile(file)
    db = new Database(file, {
      readonly: options.readonly ?? false,
      fileMustExist: options.readonly ?? false,
      nativeBinding: options.nativeBinding
    })
  } catch (error) {
    if (created) removeIfEmpty(file)
    throw describeOpenError(error, file)
  }
  try {
    // Wait a little for a writer in another process rather than failing at once.
    db.pragma('busy_timeout = 5000')
    checkIsHookscope(db, file)
    if (options.check) checkPages(db, file, options.check)
    if (!options.readonly) {
      // SQLite quietly opens a file it may not write read-only; taking the write lock (and writing
      // nothing) says so now rather than at the first write.
      db.exec('BEGIN IMMEDIATE; ROLLBACK')
      db.pragma('journal_mode = WAL')
      // FULL: a delivery is acknowledged only after its commit is on disk. The writer batches
      // commits, so the fsync is paid once per batch, not once per request.
      db.pragma('synchronous = FULL')
      db.pragma('foreign_keys = ON')
      migrate(db)
    }
    return db
  } catch (error) {
    db.close()
    // A connection SQLite opened read-only (a file it cannot write) cannot checkpoint, so it leaves
    // the -wal and -shm it created: those, and only those, go.
    for (const path of sidecars) rmSync(path, { force: true })
    throw describeOpenError(error, file)
  }
}

function checkPages(db: SqliteDatabase, file: string, check: NonNullable<OpenDatabaseOptions['check']>): void {
  const { damage } = checkStore(db, check)
  if (damage === null) return
  const version = db.pragma('user_version', { simple: true }) as number
  if (version < SCHEMA_VERSION) throw damagedDatabase(file, damage, version)
  check.onDamage(damage)
}

function checkIsHookscope(db: SqliteDatabase, file: string): void {
  const version = db.pragma('user_version', { simple: true }) as number
  if (version > SCHEMA_VERSION) {
    throw new EngineError('STORE_TOO_NEW', `${file} was written by a newer Hookscope (schema ${version}, this one knows ${SCHEMA_VERSION}); update Hookscope`)
  }
  if (version === 0) {
    const tables = db.prepare(`SELECT count(*) AS n FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'`).get() as {
      n: number
    }
    if (tables.n > 0) throw notHookscope(file)
    return
  }
  const hasMeta = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'hookscope_meta'`).get()
  const row = hasMeta ? (db.prepare(`SELECT value FROM hookscope_meta WHERE key = 'app'`).get() as { value: string } | undefined) : undefined
  if (row?.value !== 'hookscope') throw notHookscope(file)
}

function migrate(db: SqliteDatabase): void {
  const from = db.pragma('user_version', { simple: true }) as number
  if (from === SCHEMA_VERSION) return
  // Migrations may rewrite rows to drop what must not stay on disk (whole expected signatures):
  // secure_delete zeroes the old bytes in the pages, and the WAL that held them is truncated after.
  db.pragma('secure_delete = ON')
  try {
    // IMMEDIATE takes the write lock first, so two processes cannot run the same migration.
    db.transaction(() => {
      const current = db.pragma('user_version', { simple: true }) as number
      for (let version = current; version < SCHEMA_VERSION; version++) {
        db.exec(migrations[version]!)
        db.pragma(`user_version = ${version + 1}`)
      }
    }).immediate()
    db.pragma('wal_checkpoint(TRUNCATE)')
  } finally {
    db.pragma('secure_delete = OFF')
  }
}

function notHookscope(file: string): EngineError {
  return new EngineError('STORE_NOT_HOOKSCOPE', `${file} is not a Hookscope database; move it away or choose another data folder`)
}

function describeOpenError(error: unknown, file: string): EngineError {
  if (error instanceof EngineError) return error
  const code = (error as { code?: string }).code ?? ''
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
    return new EngineError('STORE_LOCKED', `${file} is locked by another process; close it and try again`)
  }
  if (isCorruption(error)) {
    // A file that starts like SQLite is a database with damaged pages, not someone else's file.
    const version = sqliteHeaderVersion(file)
    const message = error instanceof Error ? error.message : String(error)
    if (version !== null) return damagedDatabase(file, message, version || SCHEMA_VERSION)
    return new EngineError(
      'STORE_NOT_HOOKSCOPE',
      `${file} is not a Hookscope database (it is not SQLite at all; if it was Hookscope's, its first page is damaged: ` +
        `restore a backup copy); move it away or choose another data folder`
    )
  }
  if (code.startsWith('SQLITE_READONLY') || code === 'EROFS') return readOnlyDatabase(file)
  if (code === 'ENOENT' || code === 'SQLITE_CANTOPEN') {
    return new EngineError('STORE_UNREADABLE', `cannot open ${file}: it does not exist or is not accessible`)
  }
  if (code === 'EACCES' || code === 'EPERM' || code === 'SQLITE_PERM') {
    return new EngineError('STORE_UNREADABLE', `cannot open ${file}: permission denied`)
  }
  const message = error instanceof Error ? error.message : String(error)
  return new EngineError('STORE_UNREADABLE', `cannot open ${file}: ${message}`)
}

/** Undoes ensurePrivateFile when the open failed before SQLite wrote anything. */
function removeIfEmpty(file: string): void {
  try {
    if (statSync(file).size === 0) rmSync(file)
  } catch {
    // Gone already, or not ours to remove.
  }
}
