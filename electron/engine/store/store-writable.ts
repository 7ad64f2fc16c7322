import { accessSync, constants, existsSync } from 'node:fs'
import { join } from 'node:path'
import { EngineError } from '../../../shared/errors'

/**
 * Hookscope writes to its data folder from the first second: the lock, the database, and SQLite's
 * -wal and -shm next to it. A folder or database this user cannot write (another owner, a read-only
 * mount) is refused before anything is opened, so nothing is left behind and the user reads what
 * to change instead of a SQLite error from the first write. `access` asks the kernel with this
 * process's own identity, so it answers the truth for root too (only a read-only mount stops root).
 */
export function assertStoreWritable(dataDir: string, databaseFile: string): void {
  const folderProblem = writeProblem(dataDir)
  if (folderProblem) {
    throw new EngineError(
      'STORE_READ_ONLY',
      `the data folder ${dataDir} ${folderProblem}: Hookscope must create its database, the database's -wal and -shm ` +
        `files and a lock there. Make the folder writable by this user, or use another data folder`
    )
  }
  const file = join(dataDir, databaseFile)
  const fileProblem = existsSync(file) ? writeProblem(file) : null
  if (fileProblem) throw readOnlyDatabase(file, fileProblem)
}

/** The STORE_READ_ONLY error for a database SQLite itself found read-only (SQLITE_READONLY, EROFS). */
export function readOnlyDatabase(file: string, problem = 'cannot be written'): EngineError {
  return new EngineError(
    'STORE_READ_ONLY',
    `${file} ${problem}: Hookscope writes every delivery to it. Make it writable by this user (its owner and mode), ` +
      `or copy the data folder somewhere writable and use that copy`
  )
}

/** Why `path` cannot be written, or null when it can. */
function writeProblem(path: string): string | null {
  try {
    accessSync(path, constants.W_OK)
    return null
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'EROFS') return 'is on a read-only file system'
    if (code === 'EACCES' || code === 'EPERM') return 'is read-only for this user'
    // Missing (created later) or something the open itself will describe.
    return null
  }
}
