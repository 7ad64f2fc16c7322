import type { DeliveryRecord } from './delivery-record'

interface Pending {
  record: DeliveryRecord
  resolve: () => void
  reject: (error: unknown) => void
}

/**
 * Group commit. Requests that finish in the same turn of the event loop are written in one
 * transaction, and each request is answered only when its batch is durable (`durable()`, the
 * WAL fsync, resolves). While a batch waits for the disk, new requests form the next batches,
 * so batch sizes grow with the load by themselves.
 */
export class DeliveryWriter {
  private queue: Pending[] = []
  private scheduled = false
  private closed = false

  constructor(
    private readonly commit: (records: DeliveryRecord[]) => void,
    private readonly afterCommit: (records: readonly DeliveryRecord[]) => void,
    private readonly durable: () => Promise<void> = () => Promise.resolve()
  ) {}

  /** Resolves once the record is durable; rejects if the commit failed (the caller answers 503). */
  write(record: DeliveryRecord): Promise<void> {
    if (this.closed) return Promise.reject(new Error('the store is closed'))
    return new Promise((resolve, reject) => {
      this.queue.push({ record, resolve, reject })
      if (!this.scheduled) {
        this.scheduled = true
        setImmediate(() => this.flush())
      }
    })
  }

  /** Commits what is queued now. Safe to call at any time (shutdown calls it directly). */
  flush(): void {
    this.scheduled = false
    const batch = this.queue
    if (batch.length === 0) return
    this.queue = []
    const records = batch.map((pending) => pending.record)
    try {
      this.commit(records)
    } catch (error) {
      for (const pending of batch) pending.reject(error)
      return
    }
    this.durable().then(
      () => {
        for (const pending of batch) pending.resolve()
        this.afterCommit(records)
      },
      (error: unknown) => {
        for (const pending of batch) pending.reject(error)
      }
    )
  }

  /** Flushes and refuses further writes. */
  close(): void {
    this.flush()
    this.closed = true
  }
}
