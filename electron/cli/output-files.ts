import { mkdirSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import type { Writable } from 'node:stream'
import { DATA_FILE_MODE } from '../engine/store/data-dir-modes'
import { DATABASE_FILE } from '../engine/store/open-database'
import { writeFileAtomically } from '../engine/write-file-atomically'
import { CliFailure } from './cli-failure'
import { UsageError } from './usage-error'

/** Writes `bytes` to `path` with exactly `mode`, whole or not at all (writeFileAtomically); a failure is the command's. */
export function writeFileWithMode(path: string, bytes: Buffer | string, mode: number): void {
  try {
    writeFileAtomically(path, bytes, mode)
  } catch (error) {
    throw new CliFailure(`cannot write ${path}: ${(error as Error).message}`)
  }
}

/** A file written into the data folder is 0600 like everything there (data-dir-modes.ts), whatever it holds. */
export function modeInDataDir(path: string, dataDir: string, mode: number): number {
  return resolve(dirname(path)) === resolve(dataDir) ? DATA_FILE_MODE : mode
}

export function makeDirectory(path: string): void {
  try {
    mkdirSync(path, { recursive: true })
  } catch (error) {
    throw new CliFailure(`cannot create the folder ${path}: ${(error as Error).message}`)
  }
}

/** Writing over the store (or its WAL, or the lock) would destroy the data folder. */
export function refuseStoreFiles(dataDir: string, targets: string[], flag: string): void {
  const database = join(dataDir, DATABASE_FILE)
  const store = [database, `${database}-wal`, `${database}-shm`, join(dataDir, 'hookscope.lock')]
  const clash = targets.find((target) => store.includes(target))
  if (clash) throw new UsageError(`${flag} must not overwrite the store itself (${clash})`)
}

/** Writes `bytes` to standard output; a reader that went away (`| head`) is not a failure. */
export function writeStdout(stdout: Writable, bytes: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => (error.code === 'EPIPE' ? resolve() : reject(error))
    stdout.once('error', onError)
    stdout.write(bytes, (error) => {
      stdout.off('error', onError)
      if (!error) resolve()
      else onError(error as NodeJS.ErrnoException)
    })
  })
}
