import { once } from 'node:events'
import { createWriteStream, renameSync, rmSync } from 'node:fs'
import { finished } from 'node:stream/promises'

/**
 * Writes an export to `path` as it is produced: into `path.partial`, renamed once complete, so a
 * half-written file never looks like a finished one. Waits for the disk between chunks (memory
 * stays flat whatever the export's size) and removes the partial file on failure.
 */
export async function writeExportFile(path: string, chunks: Iterable<string>): Promise<void> {
  const partial = `${path}.partial`
  const sink = createWriteStream(partial, { mode: 0o600 })
  let failure: Error | null = null
  sink.on('error', (error) => {
    failure ??= error
  })
  try {
    for (const chunk of chunks) {
      if (failure) throw failure
      if (!sink.write(chunk)) await Promise.race([once(sink, 'drain'), once(sink, 'error')])
    }
    sink.end()
    await finished(sink)
    if (failure) throw failure
    renameSync(partial, path)
  } catch (error) {
    sink.destroy()
    rmSync(partial, { force: true })
    throw error
  }
}
