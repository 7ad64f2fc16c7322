import { chmodSync, renameSync, rmSync, writeFileSync } from 'node:fs'

/**
 * Writes `bytes` to `path` with exactly `mode` (not widened by an existing file's mode, not
 * narrowed by the umask): written to PATH.partial, created fresh, chmod-ed, then renamed over
 * PATH, so a reader never sees half a file and a secret never sits in a world-readable one.
 * Throws the file system's error; the partial file is gone by then.
 */
export function writeFileAtomically(path: string, bytes: Buffer | string, mode: number): void {
  const partial = `${path}.partial`
  try {
    rmSync(partial, { force: true })
    writeFileSync(partial, bytes, { mode, flag: 'wx' })
    chmodSync(partial, mode)
    renameSync(partial, path)
  } catch (error) {
    rmSync(partial, { force: true })
    throw error
  }
}
