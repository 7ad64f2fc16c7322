import type { StoreHealthState, StoreHealthStatus } from '../../../shared/model/store-health'
import type { Clock, Logger } from '../engine-types'
import { SCHEMA_VERSION } from './migrations'
import { DATABASE_FILE } from './open-database'
import { recoveryAdvice } from './store-damage'

export interface StoreHealthDeps {
  clock: Clock
  logger: Logger
  /** Called on every change of state (the engine turns it into a `store.health` event). */
  emit: (status: StoreHealthStatus) => void
  /** How often repeated failures are summed up in the log (default 10 s). */
  intervalMs?: number
  /** The database's path, named in the recovery advice when it is damaged. */
  databaseFile?: string
}

const SENTENCES: Record<StoreHealthState, string> = {
  ok: 'the store is writable',
  'disk-full': 'the disk is full: deliveries are answered 503 until there is space again',
  'read-only': 'the store cannot be written (read-only file or file system): deliveries are answered 503',
  damaged: 'the database is damaged: deliveries are answered 503 and no more are written to it.',
  failing: 'writes to the store fail: deliveries are answered 503'
}

/** The store's condition from a SQLite / file-system error: by its code, else by SQLite's message. */
export function classifyStoreError(error: unknown): StoreHealthState {
  const code = String((error as { code?: unknown } | null)?.code ?? '')
  const message = error instanceof Error ? error.message : String(error)
  if (/^SQLITE_(CORRUPT|NOTADB)/.test(code) || code === 'STORE_DAMAGED' || /malformed|not a database/i.test(message)) return 'damaged'
  if (code.startsWith('SQLITE_FULL') || code === 'ENOSPC' || code === 'EDQUOT' || /disk is full|no space left/i.test(message)) return 'disk-full'
  if (code.startsWith('SQLITE_READONLY') || code === 'EROFS' || /readonly|read-only/i.test(message)) return 'read-only'
  return 'failing'
}

/**
 * The store's health, from what its writers report. The first failure is logged whole; after it,
 * one line per interval says how many more failed (a full disk under load fails thousands of
 * deliveries a second: they are counted, not logged one by one). A successful write after a full
 * disk (or any transient failure) brings it back to ok; damage stays until Hookscope restarts.
 */
export class StoreHealth {
  private status: StoreHealthStatus = { state: 'ok', since: null, detail: SENTENCES.ok, failures: 0 }
  private unlogged = 0
  private timer: NodeJS.Timeout | null = null

  constructor(private readonly deps: StoreHealthDeps) {}

  current(): StoreHealthStatus {
    return { ...this.status }
  }

  /** A write failed (the delivery was answered 503). */
  reportWriteFailure(error: unknown): void {
    const state = classifyStoreError(error)
    // Damage explains everything that follows; do not let a later "disk full" hide it.
    const next = this.status.state === 'damaged' ? 'damaged' : state
    if (next !== this.status.state) {
      this.set(next, this.status.failures + 1)
      this.deps.logger.error(`store: ${this.status.detail}`, { error: error instanceof Error ? error.message : String(error) })
      return
    }
    this.status = { ...this.status, failures: this.status.failures + 1 }
    this.unlogged++
    this.timer ??= setInterval(() => this.summarize(), this.deps.intervalMs ?? 10_000)
    this.timer.unref()
  }

  /** A write succeeded: transient conditions are over. */
  reportWriteSuccess(): void {
    if (this.status.state === 'ok' || this.status.state === 'damaged') return
    this.summarize()
    this.deps.logger.info('store: writes succeed again', { after: `${this.status.failures} failed write(s)` })
    this.set('ok', 0)
  }

  /** Damage found outside a write (the check at open, a read). */
  reportDamage(detail: string): void {
    if (this.status.state === 'damaged') return
    this.set('damaged', this.status.failures)
    this.deps.logger.error(`store: ${this.status.detail}`, { detail })
  }

  close(): void {
    this.summarize()
    if (this.timer) clearInterval(this.timer)
    this.timer = null
  }

  private summarize(): void {
    if (this.unlogged === 0) {
      if (this.timer) clearInterval(this.timer)
      this.timer = null
      return
    }
    this.deps.logger.error(`store: ${this.unlogged} more write(s) failed`, { health: this.status.state, intervalMs: this.deps.intervalMs ?? 10_000 })
    this.unlogged = 0
  }

  private set(state: StoreHealthState, failures: number): void {
    const detail = state === 'damaged' ? `${SENTENCES.damaged} ${recoveryAdvice(this.deps.databaseFile ?? DATABASE_FILE, SCHEMA_VERSION)}` : SENTENCES[state]
    this.status = { state, since: state === 'ok' ? null : this.deps.clock.now(), detail, failures }
    this.deps.emit(this.current())
  }
}
