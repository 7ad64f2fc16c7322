import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { acquireDataDirLock, describeOwner, formatLock, parseLock, processStart, startFromStat } from '../../../electron/engine/store/data-dir-lock'
import { makeTempDir } from '../../helpers/temp-dir'

let dir: ReturnType<typeof makeTempDir>
beforeEach(() => {
  dir = makeTempDir()
})
afterEach(() => dir.remove())

describe('data folder lock', () => {
  it('takes over a lock left by a dead process', () => {
    // A pid that existed and is gone: a child that has already exited.
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!
    writeFileSync(join(dir.path, 'hookscope.lock'), String(dead))
    const lock = acquireDataDirLock(dir.path)
    expect(parseLock(readFileSync(join(dir.path, 'hookscope.lock'), 'utf8'))?.pid).toBe(process.pid)
    lock.release()
    expect(existsSync(join(dir.path, 'hookscope.lock'))).toBe(false)
  })

  it('refuses while a live process holds it, naming the pid', () => {
    writeFileSync(join(dir.path, 'hookscope.lock'), String(process.ppid))
    expect(() => acquireDataDirLock(dir.path)).toThrow(
      expect.objectContaining({ code: 'STORE_LOCKED', message: expect.stringContaining(`pid ${process.ppid}`) })
    )
  })

  it('refuses a second lock in the same process until the first is released', () => {
    const first = acquireDataDirLock(dir.path)
    expect(() => acquireDataDirLock(dir.path)).toThrow(expect.objectContaining({ code: 'STORE_LOCKED' }))
    first.release()
    acquireDataDirLock(dir.path).release()
  })
})

describe('data folder lock after pid reuse', () => {
  it('takes over a lock whose pid now belongs to an unrelated program', async () => {
    const { spawn } = await import('node:child_process')
    // `sleep` is alive but is not Node, Electron or Hookscope: the lock holder died and its pid was reused.
    const unrelated = spawn('sleep', ['30'])
    try {
      writeFileSync(join(dir.path, 'hookscope.lock'), String(unrelated.pid))
      const lock = acquireDataDirLock(dir.path)
      expect(parseLock(readFileSync(join(dir.path, 'hookscope.lock'), 'utf8'))?.pid).toBe(process.pid)
      lock.release()
    } finally {
      unrelated.kill()
    }
  })
})

describe("data folder lock with the owner's start time (issue 10 #9)", () => {
  const lockPath = () => join(dir.path, 'hookscope.lock')

  /** A live Node process: the old check (is it alive, is it Node?) cannot tell it from a Hookscope. */
  async function liveNode() {
    const { spawn } = await import('node:child_process')
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'])
    await new Promise((resolve) => child.once('spawn', resolve))
    return child
  }

  it('records the pid first (older Hookscopes read it), then the start time and the boot id', () => {
    const lock = acquireDataDirLock(dir.path)
    try {
      const text = readFileSync(lockPath(), 'utf8')
      expect(Number.parseInt(text, 10)).toBe(process.pid)
      expect(parseLock(text)).toEqual({ pid: process.pid, start: processStart(process.pid)!, boot: expect.stringMatching(/^[0-9a-f-]+$/) })
    } finally {
      lock.release()
    }
  })

  it('takes over a lock naming a live Node process that started at another time (the pid was reused)', async () => {
    const reused = await liveNode()
    try {
      const start = processStart(reused.pid!)!
      writeFileSync(lockPath(), formatLock({ pid: reused.pid!, start: String(Number(start) - 1) }))
      const lock = acquireDataDirLock(dir.path)
      expect(parseLock(readFileSync(lockPath(), 'utf8'))?.pid).toBe(process.pid)
      lock.release()
    } finally {
      reused.kill()
    }
  })

  it('respects the lock while that very process runs, and takes over one written before a reboot', async () => {
    const owner = await liveNode()
    try {
      writeFileSync(lockPath(), formatLock(describeOwner(owner.pid!)))
      expect(() => acquireDataDirLock(dir.path)).toThrow(
        expect.objectContaining({ code: 'STORE_LOCKED', message: expect.stringContaining(`pid ${owner.pid}`) })
      )
      writeFileSync(lockPath(), formatLock({ ...describeOwner(owner.pid!), boot: '00000000-0000-0000-0000-000000000000' }))
      acquireDataDirLock(dir.path).release()
    } finally {
      owner.kill()
    }
  })

  it('reads a command name with spaces and parentheses in /proc/<pid>/stat, and older or garbage locks', () => {
    const fields = Array.from({ length: 50 }, (_, i) => String(i + 3))
    fields[19] = '777888'
    expect(startFromStat(`4242 (evil) name (x)) ${fields.join(' ')}\n`)).toBe('777888')
    expect(startFromStat('garbage')).toBeNull()
    expect(parseLock('garbage')).toBeNull()
    expect(parseLock('')).toBeNull()
    expect(parseLock('42')).toEqual({ pid: 42 })
  })
})
