import { spawnSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, expect } from 'vitest'
import { makeTempDir } from './temp-dir'

/**
 * A small tmpfs of `size` (mount's notation: '4m') to fill up: a real full file system. Mounting
 * needs root (CI runs as root on these machines); elsewhere `mounted` is false and the tests that
 * need it are skipped (`describe.skipIf(!mounted)`). Call it at module level: it is unmounted and
 * its folder removed after the file's tests.
 */
export function smallTmpfs(size: string): { mounted: boolean; mountPoint: string } {
  const dir = makeTempDir()
  const mountPoint = join(dir.path, 'small')
  mkdirSync(mountPoint)
  const mounted = process.platform === 'linux' && spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', mountPoint]).status === 0
  afterAll(() => {
    if (mounted) spawnSync('umount', ['-l', mountPoint])
    dir.remove()
  })
  return { mounted, mountPoint }
}

/** Appends 64 KiB chunks to `file` until the file system is full (ENOSPC); the number of chunks written. */
export function fillUp(file: string): number {
  const chunk = Buffer.alloc(64 * 1024, 1)
  let written = 0
  try {
    for (;;) {
      writeFileSync(file, chunk, { flag: 'a' })
      written++
    }
  } catch (error) {
    expect((error as NodeJS.ErrnoException).code).toBe('ENOSPC')
  }
  return written
}
