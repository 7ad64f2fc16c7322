import type { CaptureStore } from '../capture/writer/capture-store'
import type { Logger } from '../engine-types'
import type { StoreHealth } from '../store/store-health'
import type { AttemptRecord } from './attempt-record'
import type { AttemptFilter, AttemptsRepo, AttemptsStore } from './attempts-repo'
import type { AttemptRemoval } from './attempts-writer'

export interface QueuedAttemptsStoreDeps {
  /** The single writer (capture worker): attempt rows are batched with the deliveries. */
  writer: Pick<CaptureStore, 'write'>
  /** Reads, on the API's connection. */
  reader: AttemptsRepo
  health: Pick<StoreHealth, 'reportWriteFailure'>
  logger: Logger
}

/**
 * The engine's AttemptsStore: writes are queued to the capture worker and the relay goes on (a
 * write on the main thread's connection waited for the worker's write lock with the event loop
 * blocked, every sender waiting behind it). The worker applies ops in the order they were queued,
 * so once the newest write settled, every read sees every earlier one; until then a record is
 * served from memory by `get`, the read the scheduler makes right after it queued one.
 */
export class QueuedAttemptsStore implements AttemptsStore {
  private readonly unwritten = new Map<string, { record: AttemptRecord; writes: number }>()
  private newest: Promise<void> = Promise.resolve()

  constructor(private readonly deps: QueuedAttemptsStoreDeps) {}

  save(record: AttemptRecord, next?: AttemptRecord): Promise<void> {
    const records = next ? [record, next] : [record]
    for (const one of records) {
      const entry = this.unwritten.get(one.id)
      if (entry) {
        entry.record = one
        entry.writes++
      } else {
        this.unwritten.set(one.id, { record: one, writes: 1 })
      }
    }
    // A snapshot: the caller goes on changing its record (in-flight, then its outcome).
    const write = this.deps.writer.write('attempt.save', { record: snapshot(record), next: next ? snapshot(next) : null })
    return this.queue(write, 'could not record an attempt', record.id).then(() => {
      for (const one of records) {
        const current = this.unwritten.get(one.id)
        if (current && --current.writes === 0) this.unwritten.delete(one.id)
      }
    })
  }

  settled(): Promise<void> {
    return this.newest
  }

  remove(removal: AttemptRemoval): void {
    if ('deliveryIds' in removal) {
      const ids = new Set(removal.deliveryIds)
      for (const [id, entry] of this.unwritten) if (entry.record.deliveryId && ids.has(entry.record.deliveryId)) this.unwritten.delete(id)
    }
    void this.queue(this.deps.writer.write('attempts.remove', removal), 'could not remove attempts', null)
  }

  get(id: string): AttemptRecord | undefined {
    const entry = this.unwritten.get(id)
    return entry ? { ...entry.record } : this.deps.reader.get(id)
  }

  list(filter: AttemptFilter) {
    return this.deps.reader.list(filter)
  }

  pendingRelays(): AttemptRecord[] {
    return this.deps.reader.pendingRelays()
  }

  interruptedChains(): AttemptRecord[] {
    return this.deps.reader.interruptedChains()
  }

  lastRelay(deliveryId: string): AttemptRecord | undefined {
    return this.deps.reader.lastRelay(deliveryId)
  }

  failuresInChain(deliveryId: string): number {
    return this.deps.reader.failuresInChain(deliveryId)
  }

  deliveryBody(deliveryId: string): Buffer | null {
    return this.deps.reader.deliveryBody(deliveryId)
  }

  removeOrphans(): number {
    return this.deps.reader.removeOrphans()
  }

  trimSends(keep: number): void {
    this.deps.reader.trimSends(keep)
  }

  /** Never rejects: a failed write is the store's health to report (it logs the first, counts the rest). */
  private queue(write: Promise<unknown>, what: string, attemptId: string | null): Promise<void> {
    const done = write.then(
      () => undefined,
      (error: unknown) => {
        this.deps.health.reportWriteFailure(error)
        this.deps.logger.warn(`relay: ${what}`, { attempt: attemptId, error: error instanceof Error ? error.message : String(error) })
      }
    )
    this.newest = done
    return done
  }
}

/**
 * The record as it is now, with bodies that own their bytes: a Buffer is often a view on a larger
 * pool or socket buffer, and the message to the worker would copy that whole buffer.
 */
function snapshot(record: AttemptRecord): AttemptRecord {
  return { ...record, requestBody: ownBytes(record.requestBody), responseBody: ownBytes(record.responseBody) }
}

function ownBytes(body: Buffer | null): Buffer | null {
  if (!body || body.byteLength === body.buffer.byteLength) return body
  const copy = new Uint8Array(body.byteLength)
  copy.set(body)
  return Buffer.from(copy.buffer)
}
