import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { acquireDataDirLock } from '../../../electron/engine/store/data-dir-lock'
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
    expect(readFileSync(join(dir.path, 'hookscope.lock'), 'utf8')).toBe(String(process.pid))
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
      expect(readFileSync(join(dir.path, 'hookscope.lock'), 'utf8')).toBe(String(process.pid))
      lock.release()
    } finally {
      unrelated.kill()
    }
  })
})
