import type { EngineEvent } from '../../../shared/api/contract'
import { EngineError } from '../../../shared/errors'
import type { AttemptBatch, AttemptState } from '../../../shared/model/relay'
import type { Clock } from '../engine-types'
import type { Timers } from './timers'

export interface AttemptBatchesDeps {
  clock: Clock
  timers: Timers
  nextId: () => string
  emit: (event: EngineEvent) => void
}

interface RunningBatch {
  batch: AttemptBatch
  cancelled: boolean
  /** Wakes a worker that sleeps between starts, so a cancel takes effect at once. */
  wake: Set<() => void>
}

/** Batches kept in memory after they end, for `replay.batch` (their attempts stay in the store). */
const KEEP_FINISHED = 100

/**
 * Bulk replays and repeated sends: a bounded pool of workers with an optional start rate, and
 * progress as `batch.progress` events. Batches live while the engine runs; their attempts are
 * stored like any other (with `batchId`).
 */
export class AttemptBatches {
  private readonly batches = new Map<string, RunningBatch>()

  constructor(private readonly deps: AttemptBatchesDeps) {}

  create(kind: AttemptBatch['kind'], total: number): AttemptBatch {
    const batch: AttemptBatch = {
      id: this.deps.nextId(),
      kind,
      state: 'running',
      total,
      done: 0,
      succeeded: 0,
      failed: 0,
      startedAt: this.deps.clock.now(),
      finishedAt: null
    }
    this.batches.set(batch.id, { batch, cancelled: false, wake: new Set() })
    this.trim()
    this.deps.emit({ type: 'batch.progress', batch: { ...batch } })
    return { ...batch }
  }

  get(id: string): AttemptBatch {
    const running = this.batches.get(id)
    if (!running) {
      throw new EngineError('NOT_FOUND', `no batch "${id}" in this run (attempts.list with batchId still lists its attempts)`)
    }
    return { ...running.batch }
  }

  cancel(id: string): AttemptBatch {
    const running = this.batches.get(id)
    if (!running) return this.get(id)
    if (running.batch.state === 'running') {
      running.cancelled = true
      for (const wake of running.wake) wake()
    }
    return { ...running.batch }
  }

  isCancelled(id: string): boolean {
    return this.batches.get(id)?.cancelled ?? false
  }

  /**
   * Runs `work` for each item: at most `concurrency` at once, starts at least `1000 / rate` ms
   * apart, and (with `intervalMs`) each start that long after the previous one finished.
   * Resolves when every item is done or the batch is cancelled and the running ones finished.
   */
  async run<T>(
    id: string,
    items: readonly T[],
    options: { concurrency: number; ratePerSecond?: number; intervalMs?: number },
    work: (item: T, index: number) => Promise<AttemptState>
  ): Promise<AttemptBatch> {
    const running = this.batches.get(id)
    if (!running) return this.get(id)
    const spacing = options.ratePerSecond ? 1000 / options.ratePerSecond : 0
    let next = 0
    let nextStartAt = this.deps.clock.now()
    const worker = async () => {
      for (;;) {
        if (running.cancelled || next >= items.length) return
        const index = next++
        if (options.intervalMs && index > 0) await this.sleep(running, options.intervalMs)
        if (spacing > 0) {
          const now = this.deps.clock.now()
          const startAt = Math.max(now, nextStartAt)
          nextStartAt = startAt + spacing
          if (startAt > now) await this.sleep(running, startAt - now)
        }
        if (running.cancelled) return
        const state = await work(items[index]!, index).catch((): AttemptState => 'failed')
        running.batch.done += 1
        if (state === 'succeeded') running.batch.succeeded += 1
        else running.batch.failed += 1
        this.deps.emit({ type: 'batch.progress', batch: { ...running.batch } })
      }
    }
    const workers = Math.max(1, Math.min(options.intervalMs ? 1 : options.concurrency, items.length))
    await Promise.all(Array.from({ length: workers }, worker))
    running.batch.state = running.cancelled ? 'cancelled' : 'finished'
    running.batch.finishedAt = this.deps.clock.now()
    this.deps.emit({ type: 'batch.progress', batch: { ...running.batch } })
    return { ...running.batch }
  }

  /** Cancels every running batch (engine stop). */
  stop(): void {
    for (const id of this.batches.keys()) this.cancel(id)
  }

  private sleep(running: RunningBatch, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        running.wake.delete(done)
        this.deps.timers.clearTimeout(handle)
        resolve()
      }
      const handle = this.deps.timers.setTimeout(done, ms)
      running.wake.add(done)
    })
  }

  private trim(): void {
    const finished = [...this.batches.values()].filter((entry) => entry.batch.state !== 'running')
    for (const entry of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED))) this.batches.delete(entry.batch.id)
  }
}
