import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { EngineError } from '../../../shared/errors'

/**
 * One writing engine per data folder. SQLite would let two processes share the file, but two
 * engines would both evict, both migrate and both answer for the same endpoints. A pid file is
 * enough: a lock left by a killed process (SIGKILL, crash) names a dead pid and is taken over.
 */
export interface DataDirLock {
  release(): void
}

/** Locks this process holds: a lock file naming our own pid is ours only if it is listed here
 * (after a container restart we may get the pid a dead predecessor wrote). */
const heldHere = new Set<string>()

export function acquireDataDirLock(dataDir: string, pid = process.pid): DataDirLock {
  const path = join(dataDir, 'hookscope.lock')
  if (heldHere.has(path)) {
    throw new EngineError('STORE_LOCKED', `the data folder ${dataDir} is already open in this process`)
  }
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600)
      writeSync(fd, String(pid))
      closeSync(fd)
      heldHere.add(path)
      return {
        release() {
          heldHere.delete(path)
          try {
            if (readFileSync(path, 'utf8').trim() === String(pid)) unlinkSync(path)
          } catch {
            // Already gone: nothing to release.
          }
        }
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const holder = Number.parseInt(readFileSafe(path), 10)
      if (Number.isInteger(holder) && holder > 0 && holder !== pid && isAlive(holder)) {
        throw new EngineError(
          'STORE_LOCKED',
          `the data folder ${dataDir} is in use by another Hookscope (pid ${holder}); stop it or choose another folder`
        )
      }
      // Stale lock (dead pid, empty or garbage file): remove it and try again.
      try {
        unlinkSync(path)
      } catch {
        // Someone else removed it first; the next attempt decides.
      }
    }
  }
  throw new EngineError('STORE_LOCKED', `could not lock the data folder ${dataDir}`)
}

function readFileSafe(path: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return ''
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch (error) {
    // EPERM: it exists but belongs to someone else, so it is alive.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false
  }
  return !isSomeOtherProgram(pid)
}

/**
 * After a crash the pid in the lock may have been reused by an unrelated program. Where /proc
 * tells (Linux), a holder that is not Node, Electron or Hookscope cannot be ours.
 */
function isSomeOtherProgram(pid: number): boolean {
  let commandLine: string
  try {
    commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8')
  } catch {
    return false // no /proc (macOS, Windows) or no access: assume it may be ours
  }
  return commandLine.length > 0 && !/node|electron|hookscope/i.test(commandLine)
}
