import { join } from 'node:path'
import type { Durability } from '../../../../shared/model/durability'
import type { Logger, RetentionLimits } from '../../engine-types'
import { BodyFiles } from '../../store/body-files'
import { WalDurability } from '../../store/durability'
import { SCHEMA_VERSION } from '../../store/migrations'
import { DATABASE_FILE, openDatabase, type SqliteDatabase } from '../../store/open-database'
import { damagedDatabase, isCorruption } from '../../store/store-damage'
import { createDeliveryVerifier } from '../../verify/delivery-verifier'
import { allSchemes } from '../../verify/registry'
import { WriteExecutor } from './write-executor'
import { WriteLoop, type WriterEvent } from './write-loop'

export interface WriterOptions {
  dataDir: string
  nativeBinding?: string
  durability: Durability
  retention: RetentionLimits
}

/**
 * The store's writer: its own connection, verification, durability and the batch loop. Built
 * inside the capture worker thread (capture-worker.ts), or in-process by unit tests.
 */
export function openWriter(options: WriterOptions, logger: Logger, emit: (event: WriterEvent) => void): { loop: WriteLoop; close(): Promise<void> } {
  const db = openDatabase(options.dataDir, { nativeBinding: options.nativeBinding })
  try {
    return startWriter(db, options, logger, emit)
  } catch (error) {
    db.close()
    // The writer reads the table's totals at start: damaged pages there stop it before any write.
    if (isCorruption(error)) throw damagedDatabase(join(options.dataDir, DATABASE_FILE), (error as Error).message, SCHEMA_VERSION)
    throw error
  }
}

function startWriter(
  db: SqliteDatabase,
  options: WriterOptions,
  logger: Logger,
  emit: (event: WriterEvent) => void
): { loop: WriteLoop; close(): Promise<void> } {
  // This connection writes only deliveries and what goes with them; WalDurability decides when a
  // commit counts as stored, so SQLite need not fsync every commit. Other connections keep FULL.
  db.pragma('synchronous = NORMAL')
  const durability = new WalDurability(join(options.dataDir, `${DATABASE_FILE}-wal`), options.durability, (error) =>
    logger.error('background WAL sync failed', { error: error instanceof Error ? error.message : String(error) })
  )
  const executor = new WriteExecutor(db, {
    verifier: createDeliveryVerifier({ schemes: allSchemes, logger }),
    durability,
    bodyFiles: new BodyFiles(options.dataDir),
    retention: options.retention,
    logger,
    onDamage: (detail) => emit({ type: 'damaged', detail })
  })
  const loop = new WriteLoop(executor, emit)
  return {
    loop,
    async close() {
      await loop.drain()
      await executor.close()
      db.close()
    }
  }
}
