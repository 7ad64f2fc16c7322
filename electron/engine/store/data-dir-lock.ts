import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { EngineError } from '../../../shared/errors'

/**
 * One writing engine per data folder. SQLite would let two processes share the file, but two
 * engines would both evict, both migrate and both answer for the same endpoints. A lock file names
 * the owner: a lock left by a killed process (SIGKILL, crash) names a dead pid and is taken over.
 *
 * A pid alone is not enough: after a crash the pid may be reused by an unrelated live process.
 * So the lock also records, where Linux tells, the owner's start time (field 22 of
 * /proc/<pid>/stat, clock ticks since boot) and the boot id. The pid stays on the first line, so
 * older Hookscopes still read it:
 *
 *     12345
 *     start=987654
 *     boot=5f0e...
 *
 * A live process whose start time differs, or a lock from another boot, is not the owner.
 */
export interface DataDirLock {
  release(): void
}

export interface LockOwner {
  pid: number
  /** /proc/<pid>/stat starttime of the owner, when it was known. */
  start?: string
  /** /proc/sys/kernel/random/boot_id when the lock was written. */
  boot?: string
}

export const LOCK_FILE = 'hookscope.lock'

/** Locks this process holds: a lock file naming our own pid is ours only if it is listed here
 * (after a container restart we may get the pid a dead predecessor wrote). */
const heldHere = new Set<string>()

export function acquireDataDirLock(dataDir: string, pid = process.pid): DataDirLock {
  const path = join(dataDir, LOCK_FILE)
  if (heldHere.has(path)) {
    throw new EngineError('STORE_LOCKED', `the data folder ${dataDir} is already open in this process`)
  }
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600)
      writeSync(fd, formatLock(describeOwner(pid)))
      closeSync(fd)
      heldHere.add(path)
      return {
        release() {
          heldHere.delete(path)
          try {
            if (parseLock(readFileSafe(path))?.pid === pid) unlinkSync(path)
          } catch {
            // Already gone: nothing to release.
          }
        }
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const holder = parseLock(readFileSafe(path))
      if (holder && holder.pid !== pid && isLiveOwner(holder)) {
        throw new EngineError('STORE_LOCKED', `the data folder ${dataDir} is in use by another Hookscope (pid ${holder.pid}); stop it or choose another folder`)
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

/**
 * The pid of the live process that holds the data folder, or null (no lock, or a stale one): how
 * other processes tell a running engine from what a killed one left behind.
 */
export function liveLockOwner(dataDir: string): number | null {
  const owner = parseLock(readFileSafe(join(dataDir, LOCK_FILE)))
  return owner && isLiveOwner(owner) ? owner.pid : null
}

function readFileSafe(path: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return ''
  }
}

/** The lock's content for `pid`, with its start time and the boot id where /proc has them. */
export function describeOwner(pid: number): LockOwner {
  const start = processStart(pid)
  const boot = currentBootId()
  return { pid, ...(start ? { start } : {}), ...(boot ? { boot } : {}) }
}

export function formatLock(owner: LockOwner): string {
  return [String(owner.pid), ...(owner.start ? [`start=${owner.start}`] : []), ...(owner.boot ? [`boot=${owner.boot}`] : [])].join('\n') + '\n'
}

/** Null for an empty or garbage file (a stale lock). A bare pid is a lock from an older Hookscope. */
export function parseLock(text: string): LockOwner | null {
  const [first, ...rest] = text.split('\n')
  if (!/^\s*\d{1,10}\s*$/.test(first ?? '')) return null
  const pid = Number(first)
  if (!Number.isSafeInteger(pid) || pid <= 0) return null
  const owner: LockOwner = { pid }
  for (const line of rest) {
    const [key, value] = [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1).trim()]
    if (key === 'start' && /^\d+$/.test(value)) owner.start = value
    if (key === 'boot' && /^[0-9a-f-]{1,64}$/i.test(value)) owner.boot = value
  }
  return owner
}

function isLiveOwner(owner: LockOwner): boolean {
  if (!isRunning(owner.pid)) return false
  // Another boot: every pid was handed out afresh.
  const boot = currentBootId()
  if (owner.boot && boot && owner.boot !== boot) return false
  // The same pid, but a process started at another time: the owner died and its pid was reused.
  if (owner.start) {
    const start = processStart(owner.pid)
    if (start !== null) return start === owner.start
  }
  // An older lock (pid only), or no /proc: judge by what the process is.
  return !isSomeOtherProgram(owner.pid)
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: it exists but belongs to someone else, so it is alive.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Field 22 (starttime) of /proc/<pid>/stat, or null without /proc (macOS, Windows). The command
 * name (field 2) is in parentheses and may itself hold spaces and parentheses: count from the last ')'.
 */
export function processStart(pid: number): string | null {
  try {
    return startFromStat(readFileSync(`/proc/${pid}/stat`, 'utf8'))
  } catch {
    return null
  }
}

export function startFromStat(stat: string): string | null {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  // After the name: field 3 (state) is fields[0], so field 22 is fields[19].
  const start = fields[19]
  return start && /^\d+$/.test(start) ? start : null
}

function currentBootId(): string | null {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || null
  } catch {
    return null
  }
}

/**
 * For locks without a start time: a holder that is not Node, Electron or Hookscope cannot be ours.
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
