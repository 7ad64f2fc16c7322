import type { Durability } from '../../../shared/model/durability'
import { WalSync } from './wal-sync'

/**
 * When a committed batch counts as stored, per the data folder's durability level:
 * - `crash`: once committed to the WAL (written to the file, in the OS page cache). It survives the
 *   process being killed at any moment; the WAL is fsynced in the background, at most
 *   BACKGROUND_SYNC_MS after a commit, so an OS crash or power cut loses at most that much.
 * - `fsync`: only once an fsync that started after the commit has finished: survives power loss.
 * Batches are committed with `synchronous=NORMAL` either way: SQLite does not fsync the WAL per
 * commit, this class does (off the thread, via libuv's pool), once for everything committed meanwhile.
 */
export class WalDurability {
  private readonly sync: WalSync
  private timer: NodeJS.Timeout | null = null
  private failures = 0

  constructor(
    walPath: string,
    private mode: Durability,
    private readonly onSyncFailure: (error: unknown) => void
  ) {
    this.sync = new WalSync(walPath)
  }

  get level(): Durability {
    return this.mode
  }

  setLevel(mode: Durability): void {
    this.mode = mode
  }

  /** Resolves when what was just committed counts as stored; rejects if the fsync failed (`fsync` only). */
  afterCommit(): Promise<void> | null {
    if (this.mode === 'fsync') return this.sync.afterCommit()
    this.timer ??= setTimeout(() => {
      this.timer = null
      this.sync.afterCommit().then(
        () => (this.failures = 0),
        (error: unknown) => {
          // Nobody waits for a background sync: report it; the next commit schedules another.
          if (this.failures++ === 0) this.onSyncFailure(error)
        }
      )
    }, BACKGROUND_SYNC_MS)
    return null
  }

  /** Resolves once everything committed so far is on disk, whatever the level (an fsync off the thread). */
  synced(): Promise<void> {
    return this.sync.afterCommit()
  }

  /** Syncs what is committed and stops: nothing acknowledged stays unsynced after a clean stop. */
  async close(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer)
      this.timer = null
      await this.sync.afterCommit().catch((error: unknown) => this.onSyncFailure(error))
    }
    await this.sync.drain()
    this.sync.close()
  }
}

/** At most this long between a `crash`-level commit and its fsync. */
export const BACKGROUND_SYNC_MS = 500
