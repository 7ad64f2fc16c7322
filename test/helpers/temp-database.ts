import { afterEach, beforeEach } from 'vitest'
import { openDatabase, type SqliteDatabase } from '../../electron/engine/store/open-database'
import { makeTempDir } from './temp-dir'

/**
 * A fresh data folder with a migrated database for each test of the file, closed and removed
 * after it: for tests of the store's writers and readers on a real SQLite file. Call it at the
 * top of the file; read `db` and `dir` inside the tests (they change per test).
 */
export function tempDatabasePerTest(): { readonly db: SqliteDatabase; readonly dir: string } {
  let dir: ReturnType<typeof makeTempDir> | undefined
  let db: SqliteDatabase | undefined
  beforeEach(() => {
    dir = makeTempDir()
    db = openDatabase(dir.path)
  })
  afterEach(() => {
    db?.close()
    dir?.remove()
  })
  return {
    get db() {
      if (!db) throw new Error('tempDatabasePerTest: db is only open inside a test')
      return db
    },
    get dir() {
      if (!dir) throw new Error('tempDatabasePerTest: dir exists only inside a test')
      return dir.path
    }
  }
}
