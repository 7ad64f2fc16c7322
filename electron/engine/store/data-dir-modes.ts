import { chmodSync, closeSync, lstatSync, mkdirSync, openSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import type { Logger } from '../engine-types'

/**
 * The data folder holds captured payloads, verdicts and the sealed keyring: only its owner may read
 * it. The folder is 0700 and every file in it 0600 (the database, its -wal and -shm, which SQLite
 * creates with the database file's mode, the lock, and anything written there later).
 */
export const DATA_DIR_MODE = 0o700
export const DATA_FILE_MODE = 0o600

/**
 * Creates the folder (0700) or tightens an existing one and the files in it, logging once what was
 * tightened. POSIX only: Windows has no mode bits to speak of (its folder is per-user already).
 * A folder we do not own cannot be chmod-ed: that is logged and left as it is.
 */
export function secureDataDir(dataDir: string, logger: Pick<Logger, 'warn'>, platform = process.platform): void {
  mkdirSync(dataDir, { recursive: true, mode: DATA_DIR_MODE })
  if (platform === 'win32') return
  const loosened: string[] = []
  try {
    const folderMode = statSync(dataDir).mode & 0o777
    if (folderMode & 0o077) {
      chmodSync(dataDir, DATA_DIR_MODE)
      loosened.push(`the folder (${octal(folderMode)})`)
    }
    let files = 0
    for (const name of readdirSync(dataDir)) {
      const path = join(dataDir, name)
      const stat = lstatSync(path)
      // Symbolic links are not followed: their mode is meaningless and their target is not ours to change.
      if (!stat.isFile() && !stat.isDirectory()) continue
      const wanted = stat.isDirectory() ? DATA_DIR_MODE : DATA_FILE_MODE
      if ((stat.mode & 0o777 & ~wanted) !== 0) {
        chmodSync(path, wanted)
        files++
      }
    }
    if (files > 0) loosened.push(`${files} file(s) in it`)
  } catch (error) {
    logger.warn('could not restrict the data folder permissions to its owner', { dataDir, error: (error as NodeJS.ErrnoException).code ?? String(error) })
    return
  }
  if (loosened.length > 0) {
    logger.warn('data folder permissions tightened: other users could read it', {
      dataDir,
      tightened: loosened.join(' and '),
      now: 'folder 0700, files 0600'
    })
  }
}

/**
 * Creates `path` empty with mode 0600 if it does not exist, so SQLite (which creates a database with
 * 0644 minus the umask, and its -wal and -shm with the database's mode) inherits 0600. True when
 * it created the file.
 */
export function ensurePrivateFile(path: string): boolean {
  try {
    closeSync(openSync(path, 'wx', DATA_FILE_MODE))
    return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    return false
  }
}

function octal(mode: number): string {
  return `0${mode.toString(8)}`
}
