import type { Durability } from '../../../../shared/model/durability'
import type { Logger, RetentionLimits } from '../../engine-types'
import { AttemptsWriter } from '../../relay/attempts-writer'
import type { BodyFiles } from '../../store/body-files'
import { DeliveriesWriter } from '../../store/deliveries-writer'
import type { WalDurability } from '../../store/durability'
import type { SqliteDatabase } from '../../store/open-database'
import { RejectedConnectionsRepo } from '../../store/rejected-connections-repo'
import { ReplayLog } from '../../store/replay-log'
import { isCorruption } from '../../store/store-damage'
import type { DeliveryVerifier } from '../../verify/delivery-verifier'
import type { KeyringSnapshot } from '../../verify/verify-delivery'
import { type WriteContext, type WriteOp, writeOpHandlers } from './write-ops'

/** One op's outcome. Errors travel as data: the batch goes on, the caller answers 503. */
export type WriteResult = { ok: true; value: unknown } | { ok: false; error: { code: string; message: string } }

export interface BatchOutcome {
  results: WriteResult[]
  /** Deliveries retention removed after this batch (oldest first). */
  evicted: string[]
}

export interface WriteExecutorDeps {
  verifier: DeliveryVerifier
  durability: Pick<WalDurability, 'afterCommit' | 'synced' | 'setLevel' | 'close'>
  bodyFiles: Pick<BodyFiles, 'read' | 'remove'>
  retention: RetentionLimits
  logger: Logger
  /** SQLite found damaged pages on this connection (reported once per batch at most; StoreHealth keeps the first). */
  onDamage?: (detail: string) => void
}

const NO_KEYS: KeyringSnapshot = { locked: false, keys: [] }

/**
 * Runs batches of write ops on the store's writing connection: prepare every op (verification runs
 * here, concurrently, outside any transaction), apply them all in one IMMEDIATE transaction (a
 * failing op fails alone: see `apply`), then wait for the batch to count as stored (durability
 * level), then evict past the retention limits. One instance per writer; batches run one at a
 * time (WriteLoop sees to it).
 */
export class WriteExecutor {
  private readonly context: WriteContext
  private keyring: KeyringSnapshot = NO_KEYS
  /** Body files waiting for the WAL sync that makes their rows' deletes durable (close waits for them). */
  private fileRemovals = new Set<Promise<void>>()

  constructor(
    private readonly db: SqliteDatabase,
    private readonly deps: WriteExecutorDeps
  ) {
    this.context = {
      db,
      deliveries: new DeliveriesWriter(db, deps.bodyFiles),
      rejected: new RejectedConnectionsRepo(db),
      replay: new ReplayLog(db),
      attempts: new AttemptsWriter(db),
      verify: (delivery, checkedAt) => deps.verifier.verify(delivery, this.keyring, checkedAt, { compact: true })
    }
  }

  setKeyring(snapshot: KeyringSnapshot): void {
    this.keyring = snapshot
  }

  setDurability(level: Durability): void {
    this.deps.durability.setLevel(level)
  }

  /**
   * One bounded step of filling in the event type of deliveries stored before that column existed
   * (at most 500 rows or 4 MiB of bodies); true once there is nothing left to fill in.
   */
  backfillStep(): boolean {
    try {
      return this.context.deliveries.backfillEventTypes(500, 4 * 1024 * 1024)
    } catch (error) {
      // The list works without event types; the next start tries again.
      this.noteDamage(error)
      this.deps.logger.warn('event type backfill stopped', { error: error instanceof Error ? error.message : String(error) })
      return true
    }
  }

  /** Newest first, the deliveries still `unchecked` under these schemes (for a re-check after a key change). */
  uncheckedIds(schemes: readonly string[], limit: number): { id: string; bytes: number }[] {
    return this.context.deliveries.uncheckedIds(schemes, limit)
  }

  async run(ops: readonly WriteOp[]): Promise<BatchOutcome> {
    try {
      return await this.runBatch(ops)
    } finally {
      this.removeDeletedBodyFiles()
    }
  }

  private async runBatch(ops: readonly WriteOp[]): Promise<BatchOutcome> {
    const prepared = await Promise.all(ops.map((op) => this.prepare(op)))
    const results: WriteResult[] = new Array(ops.length)
    try {
      try {
        this.apply(ops, prepared, results, false)
      } catch (error) {
        if (!(error instanceof OpFailed)) throw error
        // One op failed and took the batch down with it: run it again, each op in a savepoint of its
        // own, so that op fails alone. Only counters kept in memory need restoring after the rollback.
        this.context.deliveries.refreshTotals()
        this.apply(ops, prepared, results, true)
      }
    } catch (error) {
      this.noteDamage(error)
      // The commit itself failed (disk full, I/O error): nothing of this batch is stored.
      return { results: ops.map(() => failure(error)), evicted: [] }
    }
    try {
      await this.deps.durability.afterCommit()
    } catch (error) {
      return { results: ops.map(() => failure(error)), evicted: [] }
    }
    return { results, evicted: this.evictStep() }
  }

  /**
   * One bounded step of retention: at most EVICT_STEP_ROWS of the oldest deliveries go, so no
   * batch waits long for it (one 10 MiB body past the byte limit can mean 10,000 small rows to
   * delete, each from every index). WriteLoop runs more steps while `overRetention()`.
   */
  evictStep(): string[] {
    try {
      // An eviction lost to a crash costs nothing: it runs again after the next batch.
      return this.context.deliveries.evict(this.deps.retention, EVICT_STEP_ROWS)
    } catch (error) {
      // Retried after the next batch; the batch itself is stored.
      this.noteDamage(error)
      this.deps.logger.warn('retention could not evict old deliveries', { error: error instanceof Error ? error.message : String(error) })
      return []
    } finally {
      this.removeDeletedBodyFiles()
    }
  }

  /** Whether the store holds more than the retention limits allow (evictStep catches up). */
  overRetention(): boolean {
    return this.context.deliveries.overLimits(this.deps.retention)
  }

  async close(): Promise<void> {
    await Promise.all(this.fileRemovals)
    await this.deps.durability.close()
  }

  /**
   * The files of deliveries this batch deleted go once a WAL sync has made the deletes durable
   * (at `crash` level too): a power cut must not bring back a row whose file is gone. A file left
   * by a crash meanwhile is an orphan, removed at the next start (BodyFiles.removeOrphans).
   */
  private removeDeletedBodyFiles(): void {
    const ids = this.context.deliveries.takeRemovedBodyFiles()
    if (ids.length === 0) return
    const removal = this.deps.durability.synced().then(
      () => this.context.deliveries.removeBodyFiles(ids),
      (error: unknown) => this.deps.logger.warn('body files kept: the WAL sync failed', { error: error instanceof Error ? error.message : String(error) })
    )
    const tracked = removal
      .catch((error: unknown) => this.deps.logger.warn('could not remove body files', { error: error instanceof Error ? error.message : String(error) }))
      .finally(() => this.fileRemovals.delete(tracked))
    this.fileRemovals.add(tracked)
  }

  /**
   * Applies a batch in one IMMEDIATE transaction. Without `isolate` (the common case) an op that
   * throws rolls the whole batch back (OpFailed): a savepoint per op costs about as much as the
   * insert it protects. With `isolate`, each op runs in a savepoint and a failing op fails alone.
   */
  private apply(ops: readonly WriteOp[], prepared: readonly WriteResult[], results: WriteResult[], isolate: boolean): void {
    this.db
      .transaction(() => {
        ops.forEach((op, index) => {
          const ready = prepared[index]!
          if (!ready.ok) {
            results[index] = ready
            return
          }
          const apply = writeOpHandlers[op.kind].apply as (input: unknown, context: WriteContext) => unknown
          if (!isolate) {
            try {
              results[index] = { ok: true, value: apply(ready.value, this.context) }
            } catch (error) {
              throw new OpFailed(error)
            }
            return
          }
          try {
            results[index] = { ok: true, value: this.db.transaction(() => apply(ready.value, this.context))() }
          } catch (error) {
            this.noteDamage(error)
            results[index] = failure(error)
          }
        })
      })
      .immediate()
  }

  /** Whatever op meets damaged pages first, the engine hears of it here, not only through a failed delivery. */
  private noteDamage(error: unknown): void {
    if (isCorruption(error)) this.deps.onDamage?.(error instanceof Error ? error.message : String(error))
  }

  private async prepare(op: WriteOp): Promise<WriteResult> {
    try {
      const prepare = writeOpHandlers[op.kind].prepare as (input: unknown, context: WriteContext) => unknown
      return { ok: true, value: await prepare(op.input, this.context) }
    } catch (error) {
      return failure(error)
    }
  }
}

/** Deliveries removed per retention step: a few milliseconds of deletes from the table and its indexes. */
export const EVICT_STEP_ROWS = 500

/** An op threw inside a batch applied without savepoints: the batch is rolled back and run again, isolated. */
class OpFailed extends Error {
  constructor(readonly original: unknown) {
    super('a write op failed')
  }
}

function failure(error: unknown): { ok: false; error: { code: string; message: string } } {
  const code = (error as { code?: unknown } | null)?.code
  return {
    ok: false,
    error: { code: typeof code === 'string' ? code : 'INTERNAL', message: error instanceof Error ? error.message : String(error) }
  }
}
