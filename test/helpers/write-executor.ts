import { WriteExecutor } from '../../electron/engine/capture/writer/write-executor'
import { silentLogger } from '../../electron/engine/logger'
import { BodyFiles } from '../../electron/engine/store/body-files'
import type { SqliteDatabase } from '../../electron/engine/store/open-database'
import { createDeliveryVerifier } from '../../electron/engine/verify/delivery-verifier'
import { allSchemes } from '../../electron/engine/verify/registry'

/** The capture worker's executor on `db`, without durability waits or retention limits, for tests of write ops. */
export function testExecutor(db: SqliteDatabase): WriteExecutor {
  return new WriteExecutor(db, {
    verifier: createDeliveryVerifier({ schemes: allSchemes, logger: silentLogger }),
    durability: { afterCommit: () => null, synced: async () => undefined, setLevel: () => undefined, close: async () => undefined },
    bodyFiles: BodyFiles.beside(db),
    retention: { maxDeliveries: 1_000_000, maxBytes: Number.MAX_SAFE_INTEGER },
    logger: silentLogger
  })
}
