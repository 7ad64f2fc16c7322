import { spawnSync } from 'node:child_process'
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createEngine } from '../../electron/engine'
import { systemClock } from '../../electron/engine/clock'
import { silentLogger } from '../../electron/engine/logger'
import { DATABASE_FILE, openDatabase } from '../../electron/engine/store/open-database'
import { assertCliBuilt, CLI_BIN, REPO_ROOT } from '../helpers/cli-process'
import { makeTempDir } from '../helpers/temp-dir'

/**
 * Issue 10 #7. Root writes through any file mode, so "read-only" is made real two ways: the CLI
 * runs as `nobody` on files it can read but not write (setpriv, needs root to switch), and the
 * engine runs on a read-only bind mount (EROFS stops root too). Elsewhere these are skipped.
 */
const isRoot = process.getuid?.() === 0
const nobody = isRoot ? idOf('-u') : null
const nogroup = isRoot ? idOf('-g') : null
const canSwitchUser = nobody !== null && nogroup !== null && spawnSync('setpriv', ['--version']).status === 0

function idOf(flag: string): number | null {
  const result = spawnSync('id', [flag, 'nobody'], { encoding: 'utf8' })
  return result.status === 0 ? Number(result.stdout.trim()) : null
}

let dir: ReturnType<typeof makeTempDir>
beforeEach(() => {
  dir = makeTempDir()
  // nobody must be able to reach the folders below.
  chmodSync(dir.path, 0o755)
})
afterEach(() => dir.remove())

/** A real store, created (and closed cleanly) by root. */
function storeIn(dataDir: string): string {
  openDatabase(dataDir).close()
  return join(dataDir, DATABASE_FILE)
}

function listenAsNobody(dataDir: string) {
  assertCliBuilt()
  return spawnSync(
    'setpriv',
    [`--reuid=${nobody}`, `--regid=${nogroup}`, '--clear-groups', process.execPath, CLI_BIN, 'listen', '--port', '0', '--no-ui', '--data', dataDir],
    { cwd: REPO_ROOT, encoding: 'utf8', timeout: 20_000, env: { ...process.env, HOME: dir.path, XDG_CONFIG_HOME: dir.path } }
  )
}

describe.skipIf(!canSwitchUser)('the CLI on a store this user cannot write', () => {
  it('a read-only database file: names it and what to do, exits 1, no stack trace, leaves no -wal, -shm or lock', () => {
    const dataDir = join(dir.path, 'data')
    const file = storeIn(dataDir)
    // The folder is nobody's (writable), the database root's, readable by all.
    chownSync(dataDir, nobody!, nogroup!)
    chmodSync(dataDir, 0o755)
    chmodSync(file, 0o644)
    const before = readFileSync(file)
    const result = listenAsNobody(dataDir)
    expect(result.status, result.stderr).toBe(1)
    expect(result.stderr).toContain(`${file} is read-only for this user`)
    expect(result.stderr).toContain('Make it writable by this user')
    expect(result.stderr).not.toMatch(/unexpected failure|\n\s+at /)
    expect(readdirSync(dataDir)).toEqual([DATABASE_FILE])
    expect(readFileSync(file).equals(before)).toBe(true)
  })

  it('a read-only data folder: names it and what to do, exits 1, creates nothing', () => {
    const dataDir = join(dir.path, 'data')
    storeIn(dataDir)
    chmodSync(dataDir, 0o755)
    chmodSync(join(dataDir, DATABASE_FILE), 0o644)
    const result = listenAsNobody(dataDir)
    expect(result.status, result.stderr).toBe(1)
    expect(result.stderr).toContain(`the data folder ${dataDir} is read-only for this user`)
    expect(result.stderr).not.toMatch(/unexpected failure|\n\s+at /)
    expect(readdirSync(dataDir)).toEqual([DATABASE_FILE])
  })

  it('a data folder that cannot be created: names its parent, exits 1', () => {
    const parent = join(dir.path, 'parent')
    mkdirSync(parent, { mode: 0o755 })
    const result = listenAsNobody(join(parent, 'data'))
    expect(result.status, result.stderr).toBe(1)
    expect(result.stderr).toContain(`cannot create the data folder ${join(parent, 'data')}: ${parent} is read-only for this user`)
    expect(existsSync(join(parent, 'data'))).toBe(false)
  })
})

/** A read-only bind mount of `source` at a new folder; null when mounting is not allowed here. */
function readOnlyMount(source: string): string | null {
  if (!isRoot || process.platform !== 'linux') return null
  const target = join(dir.path, 'mounted')
  mkdirSync(target)
  if (spawnSync('mount', ['--bind', source, target]).status !== 0) return null
  if (spawnSync('mount', ['-o', 'remount,bind,ro', target]).status !== 0) {
    spawnSync('umount', [target])
    return null
  }
  return target
}

const mountable = (() => {
  if (!isRoot || process.platform !== 'linux') return false
  const probe = makeTempDir()
  try {
    const target = join(probe.path, 't')
    mkdirSync(target)
    const ok = spawnSync('mount', ['--bind', probe.path, target]).status === 0
    if (ok) spawnSync('umount', [target])
    return ok
  } finally {
    probe.remove()
  }
})()

describe.skipIf(!mountable)('the engine on a read-only file system', () => {
  it('refuses with STORE_READ_ONLY (what the desktop app shows), and writes nothing', async () => {
    const source = join(dir.path, 'data')
    storeIn(source)
    const dataDir = readOnlyMount(source)!
    try {
      await expect(createEngine({ dataDir, host: 'desktop', version: 'test' }, { clock: systemClock, logger: silentLogger })).rejects.toMatchObject({
        code: 'STORE_READ_ONLY',
        message: expect.stringContaining(`the data folder ${dataDir} is on a read-only file system`)
      })
      expect(readdirSync(source)).toEqual([DATABASE_FILE])
    } finally {
      spawnSync('umount', [dataDir])
    }
  })
})
