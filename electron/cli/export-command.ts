import { once } from 'node:events'
import { createWriteStream, existsSync, openSync, renameSync, rmSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { Writable } from 'node:stream'
import { finished } from 'node:stream/promises'
import { defaultDataDir } from '../engine/default-data-dir'
import { exportChunks } from '../engine/export/delivery-export'
import { attemptsForExport } from '../engine/relay/attempt-export'
import { BodyFiles } from '../engine/store/body-files'
import { DeliveriesReader } from '../engine/store/deliveries-reader'
import { DATABASE_FILE, openDatabase } from '../engine/store/open-database'
import type { CliContext } from './cli-context'
import { CliFailure } from './cli-failure'
import { parseFlags } from './parse-flags'
import { UsageError } from './usage-error'

/**
 * `hookscope export`: every stored delivery, oldest first, as NDJSON (with its relay attempts
 * and replays) or HAR 1.2. Reads the store
 * read-only (works while `listen` runs) and streams, so exports of any size use little memory.
 * With --out the file appears only when complete (written to FILE.partial, then renamed).
 */
export async function exportCommand(args: string[], context: CliContext, stdout: Writable): Promise<number> {
  const flags = parseFlags(args, {
    data: { type: 'string' },
    format: { type: 'string' },
    out: { type: 'string' }
  })
  const format = flags.format
  if (format === undefined) throw new UsageError('--format is required: ndjson or har')
  if (format !== 'ndjson' && format !== 'har') throw new UsageError(`--format must be ndjson or har, not "${format}"`)
  const dataDir = resolve(flags.data ?? defaultDataDir())
  const database = join(dataDir, DATABASE_FILE)
  if (!existsSync(database)) throw new UsageError(`no Hookscope data in ${dataDir} (${DATABASE_FILE} not found)`)
  const target = flags.out ? resolve(flags.out) : null
  // Writing FILE.partial and renaming it over the store (or its WAL) would destroy what we export.
  if (target && [database, `${database}-wal`, `${database}-shm`, join(dataDir, 'hookscope.lock')].includes(target)) {
    throw new UsageError(`--out must not be the store itself (${target})`)
  }

  const db = openDatabase(dataDir, { readonly: true })
  const partial = target ? `${target}.partial` : null
  let sink: Writable = stdout
  let count = 0
  let readerGone = false
  try {
    if (partial) sink = createWriteStream(partial, { fd: openOutput(partial) })
    let sinkError: NodeJS.ErrnoException | null = null
    sink.on('error', (error: NodeJS.ErrnoException) => {
      sinkError ??= error
    })
    const write = async (text: string) => {
      if (sinkError) throw sinkError
      if (!sink.write(text)) await once(sink, 'drain')
    }
    try {
      const rows = new DeliveriesReader(db, new BodyFiles(dataDir)).iterateAll()
      const chunks = exportChunks(format, context.version, rows, (n) => (count = n), attemptsForExport(db))
      for (const chunk of chunks) await write(chunk)
    } catch (error) {
      // A reader that went away (`| head`) is not a failure: stop quietly.
      if (partial || (error as NodeJS.ErrnoException).code !== 'EPIPE') throw error
      readerGone = true
    }
    if (partial && target) {
      sink.end()
      await finished(sink)
      renameSync(partial, target)
    }
  } catch (error) {
    if (partial) {
      sink.destroy()
      rmSync(partial, { force: true })
    }
    const code = (error as NodeJS.ErrnoException | undefined)?.code ?? ''
    if (code.startsWith('SQLITE_')) throw new CliFailure(`cannot read ${database}: ${(error as Error).message}`)
    if (/^E[A-Z]+$/.test(code)) throw new CliFailure(`cannot write ${partial ?? 'the export'}: ${(error as Error).message}`)
    throw error
  } finally {
    db.close()
  }
  if (!readerGone) context.out(`hookscope: exported ${count} deliveries${target ? ` to ${target}` : ''}`, 'stderr')
  return 0
}

/** Opened up front so a bad --out fails before any work, with the system's reason. */
function openOutput(path: string): number {
  try {
    return openSync(path, 'w', 0o600)
  } catch (error) {
    throw new CliFailure(`cannot write ${path}: ${(error as Error).message}`)
  }
}
