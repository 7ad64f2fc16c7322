import { createWriteStream, existsSync, renameSync, rmSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { Writable } from 'node:stream'
import { once } from 'node:events'
import { defaultDataDir } from '../engine/default-data-dir'
import { HAR_FOOTER, harHeader, toHarEntry, toNdjson } from '../engine/export/delivery-export'
import { DeliveriesRepo } from '../engine/store/deliveries-repo'
import { DATABASE_FILE, openDatabase } from '../engine/store/open-database'
import type { CliContext } from './cli-context'
import { parseFlags } from './parse-flags'
import { UsageError } from './usage-error'

/**
 * `hookscope export`: every stored delivery, oldest first, as NDJSON or HAR 1.2. Reads the store
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
  if (format !== 'ndjson' && format !== 'har') throw new UsageError('--format must be ndjson or har')
  const dataDir = resolve(flags.data ?? defaultDataDir())
  if (!existsSync(join(dataDir, DATABASE_FILE))) throw new UsageError(`no Hookscope data in ${dataDir}`)

  const db = openDatabase(dataDir, { readonly: true })
  const target = flags.out ? resolve(flags.out) : null
  const partial = target ? `${target}.partial` : null
  const sink = partial ? createWriteStream(partial) : stdout
  let count = 0
  try {
    const write = async (text: string) => {
      if (!sink.write(text)) await once(sink, 'drain')
    }
    if (format === 'har') await write(harHeader(context.version))
    for (const delivery of new DeliveriesRepo(db).iterateAll()) {
      if (format === 'ndjson') await write(JSON.stringify(toNdjson(delivery)) + '\n')
      else await write((count > 0 ? ',' : '') + JSON.stringify(toHarEntry(delivery)))
      count += 1
    }
    if (format === 'har') await write(HAR_FOOTER)
    if (partial && target) {
      sink.end()
      await once(sink, 'finish')
      renameSync(partial, target)
    }
  } catch (error) {
    if (partial) {
      sink.destroy()
      rmSync(partial, { force: true })
    }
    throw error
  } finally {
    db.close()
  }
  context.out(`hookscope: exported ${count} deliveries${target ? ` to ${target}` : ''}`, 'stderr')
  return 0
}
