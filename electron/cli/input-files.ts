import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { UsageError } from './usage-error'

/** The HTTP API takes 2 MiB of JSON per call: bodies sent through it stay under this. */
export const MAX_BODY_FILE = 1024 * 1024

/** `--body FILE`: its bytes, unchanged. */
export function readBodyFile(path: string, flag = '--body'): Buffer {
  let bytes: Buffer
  try {
    bytes = readFileSync(resolve(path))
  } catch (error) {
    throw new UsageError(`${flag}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`)
  }
  if (bytes.length > MAX_BODY_FILE) throw new UsageError(`${flag}: ${path} is larger than ${MAX_BODY_FILE} bytes`)
  return bytes
}
