import { closeSync, fsync, openSync } from 'node:fs'

/**
 * Makes committed WAL frames durable without blocking the event loop.
 *
 * Delivery batches are committed with `synchronous=NORMAL`: SQLite writes the frames into the
 * `-wal` file (the page cache) but does not fsync. This class then fsyncs that file on libuv's
 * thread pool, and a batch is acknowledged only once an fsync that *started after its commit*
 * has finished: the same guarantee as `synchronous=FULL`, while the main thread keeps parsing
 * requests and committing the next batches. Commits that arrive while an fsync runs share the
 * next one (group commit on the disk side too).
 *
 * fsync flushes the file, whichever descriptor names it; a read-only descriptor of our own stays
 * valid across WAL restarts, and frames moved into the database by a checkpoint were synced by
 * SQLite itself (WAL + NORMAL syncs around every checkpoint).
 */
export class WalSync {
  private fd: number | null = null
  private running = false
  private waiting: { resolve: () => void; reject: (error: unknown) => void }[] = []
  private idle: (() => void)[] = []

  constructor(private readonly walPath: string) {}

  /** Resolves when everything committed before this call is on disk. */
  afterCommit(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject })
      if (!this.running) this.run()
    })
  }

  /** Resolves when no fsync is pending. */
  drain(): Promise<void> {
    if (!this.running && this.waiting.length === 0) return Promise.resolve()
    return new Promise((resolve) => this.idle.push(resolve))
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd)
    this.fd = null
  }

  private run(): void {
    const batch = this.waiting
    this.waiting = []
    this.running = true
    const done = (error: NodeJS.ErrnoException | null) => {
      for (const waiter of batch) error ? waiter.reject(error) : waiter.resolve()
      this.running = false
      if (this.waiting.length > 0) return this.run()
      for (const resolve of this.idle.splice(0)) resolve()
    }
    let fd: number
    try {
      fd = this.fd ??= openSync(this.walPath, 'r')
    } catch (error) {
      done(error as NodeJS.ErrnoException)
      return
    }
    fsync(fd, done)
  }
}
