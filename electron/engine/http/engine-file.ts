import { readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import { liveLockOwner } from '../store/data-dir-lock'
import { DATA_FILE_MODE } from '../store/data-dir-modes'
import { writeFileAtomically } from '../write-file-atomically'

/**
 * How the CLI's commands find the engine that holds a data folder (`hookscope listen` or the
 * desktop app): a file in the folder naming its local API port and its per-run token, readable by
 * the user only (0600). Anyone who can read it can drive that engine, exactly as anyone who can
 * read the data folder can read the deliveries. Written by local-access-point.ts.
 */
export const ENGINE_FILE = 'hookscope-engine.json'

const engineFileSchema = z.strictObject({
  pid: z.int().positive(),
  /** Where its API answers (loopback, or the --ui-host `listen` was given). */
  host: z.string().min(1).max(255),
  port: z.int().min(1).max(65_535),
  token: z.string().min(16).max(256),
  version: z.string().max(64)
})

export type EngineFile = z.infer<typeof engineFileSchema>

/**
 * Writes the file (whole or not at all, 0600; throws the file system's error) and returns a
 * function that removes it if it is still ours.
 */
export function writeEngineFile(dataDir: string, content: EngineFile): () => void {
  const path = join(dataDir, ENGINE_FILE)
  writeFileAtomically(path, JSON.stringify(content), DATA_FILE_MODE)
  return () => {
    const current = readEngineFileRaw(dataDir)
    if (current && current.pid === content.pid && current.token === content.token) rmSync(path, { force: true })
  }
}

/**
 * The running engine named in the data folder, or null: no file, an unreadable one, or a stale
 * one (its process no longer holds the folder: killed, or the machine restarted). The caller
 * still checks that its API answers for this folder.
 */
export function readEngineFile(dataDir: string): EngineFile | null {
  const content = readEngineFileRaw(dataDir)
  // Judged by the data folder's lock (pid, start time, boot id), which a reused pid does not fool.
  if (!content || liveLockOwner(dataDir) !== content.pid) return null
  return content
}

/** Removes a stale file; only when this process holds the folder (nothing else can be writing it). */
export function removeEngineFile(dataDir: string): void {
  rmSync(join(dataDir, ENGINE_FILE), { force: true })
}

function readEngineFileRaw(dataDir: string): EngineFile | null {
  let text: string
  try {
    text = readFileSync(join(dataDir, ENGINE_FILE), 'utf8')
  } catch {
    return null
  }
  try {
    const parsed = engineFileSchema.safeParse(JSON.parse(text))
    return parsed.success ? parsed.data : null
  } catch {
    return null
  }
}
