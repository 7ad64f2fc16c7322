import type { DeliverySummary } from '../../../../shared/model/delivery'
import type { Durability } from '../../../../shared/model/durability'
import type { KeyEntry } from '../../../../shared/model/keyring'
import type { KeyringSnapshot } from '../../verify/verify-delivery'
import type { WriteExecutor, WriteResult } from './write-executor'
import type { WriteOp, WriteOutput } from './write-ops'

/** A re-check after a key change: how far it got. `done === total` when finished. */
export interface RecheckProgress {
  schemes: string[]
  done: number
  total: number
}

/** What the writer tells the engine besides op results. */
export type WriterEvent =
  | { type: 'evicted'; ids: string[] }
  | { type: 'updated'; summaries: DeliverySummary[] }
  | { type: 'recheck'; progress: RecheckProgress }
  /** SQLite met damaged pages on the writer's connection (the engine's StoreHealth shows it). */
  | { type: 'damaged'; detail: string }

/** At most this many deliveries are re-checked after one key change, newest first. */
export const RECHECK_LIMIT = 10_000
/**
 * Re-checked per batch, at most this many deliveries and this many body bytes (at least one
 * delivery): capture batches go first between them, and a hundred 10 MiB bodies are not read at once.
 */
const RECHECK_CHUNK = 100
const RECHECK_CHUNK_BYTES = 16 * 1024 * 1024

interface Submission {
  ops: WriteOp[]
  reply: (results: WriteResult[]) => void
}

interface RecheckJob {
  schemes: string[]
  ids: { id: string; bytes: number }[]
  done: number
  total: number
  checkedAt: number
}

/**
 * The writer's scheduler. Submissions that arrive while a batch runs (verifying, or waiting for
 * the disk) form the next batch together: batch sizes grow with the load by themselves (group
 * commit). A re-check after a key change runs in small batches in between, never ahead of capture.
 */
export class WriteLoop {
  private queue: Submission[] = []
  private running = false
  private scheduled = false
  private recheck: RecheckJob | null = null
  private fingerprints: Map<string, string> | null = null
  private idle: (() => void)[] = []
  /** Old rows may still lack their event type: filled in, step by step, when nothing else waits. */
  private backfilling = true
  /** The store is past its retention limits: more eviction steps run between batches. */
  private evicting = false

  constructor(
    private readonly executor: WriteExecutor,
    private readonly emit: (event: WriterEvent) => void
  ) {
    this.schedule()
  }

  submit(ops: WriteOp[], reply: (results: WriteResult[]) => void): void {
    this.queue.push({ ops, reply })
    this.schedule()
  }

  setDurability(level: Durability): void {
    this.executor.setDurability(level)
  }

  /**
   * A new keyring. Schemes whose keys changed (added, edited, unlocked) get their still-unchecked
   * deliveries re-checked. The first snapshot only sets the baseline.
   */
  setKeyring(snapshot: KeyringSnapshot, now: number): void {
    this.executor.setKeyring(snapshot)
    const next = fingerprintByScheme(snapshot.keys)
    const previous = this.fingerprints
    this.fingerprints = next
    if (!previous) return
    const changed = [...new Set([...next.keys(), ...previous.keys()])].filter((scheme) => next.get(scheme) !== previous.get(scheme) && next.has(scheme))
    if (changed.length === 0) return
    const schemes = [...new Set([...(this.recheck?.schemes ?? []), ...changed])].sort()
    const ids = this.executor.uncheckedIds(schemes, RECHECK_LIMIT)
    this.recheck = { schemes, ids, done: 0, total: ids.length, checkedAt: now }
    this.emit({ type: 'recheck', progress: { schemes, done: 0, total: ids.length } })
    if (ids.length === 0) this.recheck = null
    else this.schedule()
  }

  /** Resolves once the running re-check (if any) has finished and everything queued is answered. */
  async drainRecheck(): Promise<void> {
    while (this.running || this.scheduled || this.recheck || this.queue.length > 0) {
      await new Promise<void>((resolve) => (this.running || this.scheduled ? this.idle.push(resolve) : setImmediate(resolve)))
    }
  }

  /** Resolves once every submission so far has been answered (re-checks are abandoned). */
  drain(): Promise<void> {
    this.recheck = null
    this.backfilling = false
    // Retention goes on after the next start's first batch.
    this.evicting = false
    if (!this.running && this.queue.length === 0) return Promise.resolve()
    return new Promise((resolve) => this.idle.push(resolve))
  }

  private schedule(): void {
    if (this.running || this.scheduled) return
    this.scheduled = true
    // Everything that arrives in this turn of the event loop joins the first batch.
    setImmediate(() => void this.pump())
  }

  private async pump(): Promise<void> {
    this.scheduled = false
    this.running = true
    try {
      while (this.queue.length > 0 || this.evicting || this.recheck || this.backfilling) {
        if (this.queue.length > 0) await this.runQueued()
        else if (this.evicting) await this.evictStep()
        else if (this.recheck) await this.recheckStep(this.recheck)
        else {
          this.backfilling = !this.executor.backfillStep()
          // Let what arrived meanwhile in before the next step.
          if (this.backfilling) await new Promise<void>((resolve) => setImmediate(resolve))
        }
      }
    } finally {
      this.running = false
      for (const resolve of this.idle.splice(0)) resolve()
    }
  }

  private async runQueued(): Promise<void> {
    const batch = this.queue
    this.queue = []
    const outcome = await this.executor.run(batch.flatMap((submission) => submission.ops))
    // Announced before the batch is answered: whoever hears of a delivery knows what it pushed out.
    if (outcome.evicted.length > 0) this.emit({ type: 'evicted', ids: outcome.evicted })
    this.evicting = outcome.evicted.length > 0 && this.executor.overRetention()
    let offset = 0
    for (const submission of batch) {
      submission.reply(outcome.results.slice(offset, offset + submission.ops.length))
      offset += submission.ops.length
    }
  }

  /** Retention catching up (one batch evicts one bounded step): another step, then what arrived meanwhile. */
  private async evictStep(): Promise<void> {
    const ids = this.executor.evictStep()
    if (ids.length > 0) this.emit({ type: 'evicted', ids })
    // Nothing removed (a failing delete): the next batch tries again.
    this.evicting = ids.length > 0 && this.executor.overRetention()
    await new Promise<void>((resolve) => setImmediate(resolve))
  }

  private async recheckStep(job: RecheckJob): Promise<void> {
    const ids = job.ids.splice(0, chunkLength(job.ids)).map((entry) => entry.id)
    const outcome = await this.executor.run(ids.map((id) => ({ kind: 'delivery.reverify', input: { id, checkedAt: job.checkedAt } })))
    const summaries: DeliverySummary[] = []
    for (const result of outcome.results) {
      const value = result.ok ? (result.value as WriteOutput<'delivery.reverify'>) : null
      if (value) summaries.push(value.summary)
    }
    if (summaries.length > 0) this.emit({ type: 'updated', summaries })
    job.done += ids.length
    this.emit({ type: 'recheck', progress: { schemes: job.schemes, done: job.done, total: job.total } })
    if (this.recheck === job && job.ids.length === 0) this.recheck = null
  }
}

/** How many of the next deliveries to re-check form one batch (RECHECK_CHUNK, RECHECK_CHUNK_BYTES). */
function chunkLength(next: readonly { bytes: number }[]): number {
  let bytes = 0
  let length = 0
  while (length < next.length && length < RECHECK_CHUNK) {
    bytes += next[length]!.bytes
    if (length > 0 && bytes > RECHECK_CHUNK_BYTES) break
    length += 1
  }
  return length
}

/** Per scheme, everything about its keys that can change a verdict. */
function fingerprintByScheme(keys: readonly KeyEntry[]): Map<string, string> {
  const byScheme = new Map<string, string[]>()
  for (const key of keys) {
    const facts = JSON.stringify([key.id, key.status, key.keyId, key.endpointIds, key.pathPrefixes, key.options, key.material])
    const list = byScheme.get(key.scheme)
    if (list) list.push(facts)
    else byScheme.set(key.scheme, [facts])
  }
  return new Map([...byScheme].map(([scheme, facts]) => [scheme, facts.sort().join('\n')]))
}
