import type { EngineEvent } from '../../../shared/api/contract'
import { ATTEMPT_RESPONSE_CAP, type AttemptError } from '../../../shared/model/relay'
import type { Clock, Logger } from '../engine-types'
import { attemptError } from './attempt-errors'
import { type AttemptRecord, toAttemptSummary } from './attempt-record'
import { type ForwardOutcome, forwardRequest, type OutboundRequest } from './forward-request'
import type { TargetAgents } from './target-agents'
import type { Timers } from './timers'

/** Where the runner writes attempts (AttemptsStore, or nothing for a CLI without a data folder). */
export interface AttemptsSink {
  /**
   * Resolves once the row (and `next`, in the same transaction) is stored; never rejects (the
   * store reports its own failures).
   */
  save(record: AttemptRecord, next?: AttemptRecord): Promise<void>
}

export interface AttemptRunnerDeps {
  sink: AttemptsSink
  agents: TargetAgents
  clock: Clock
  timers: Timers
  logger: Logger
  emit: (event: EngineEvent) => void
}

export interface RunOptions {
  timeoutMs: number
  clientCertificateId: string | null
  /** Response bytes to keep in memory (passthrough answers the sender with them); stored are at most 1 MiB. */
  keepBytes?: number
  /**
   * The attempt that follows this one (a retry), decided from its outcome; stored in the same
   * write as the outcome. Not asked for an interrupted attempt (a restart re-sends those).
   */
  followUp?: (finished: AttemptRecord, outcome: ForwardOutcome) => AttemptRecord | null
}

/** A finished attempt, and the one its outcome scheduled (stored with it), if any. */
export interface RunResult {
  record: AttemptRecord
  outcome: ForwardOutcome
  next: AttemptRecord | null
}

export const INTERRUPTED: AttemptError = attemptError('INTERRUPTED', 'Hookscope stopped while this attempt was on the wire; the target may have received it')

/**
 * Runs one attempt and records it: `in-flight` when it starts, then its answer or error. Every
 * kind of attempt (relay, replay, send) goes through here, so they are recorded alike.
 * `stop()` interrupts whatever is on the wire.
 */
export class AttemptRunner {
  private readonly inFlight = new Map<string, { abort: AbortController; done: Promise<unknown> }>()
  private readonly running = new Set<Promise<unknown>>()
  private stopped = false

  constructor(private readonly deps: AttemptRunnerDeps) {}

  /**
   * Saves the record as it is and announces it (`attempt.added` for new rows). The write is queued:
   * the returned promise settles once it is stored (it never rejects).
   */
  record(record: AttemptRecord, isNew: boolean, next?: AttemptRecord): Promise<void> {
    const saved = this.deps.sink.save(record, next)
    this.announce(record, isNew)
    if (next) this.announce(next, true)
    return saved
  }

  /** Announces a row stored by someone else (the first attempt, stored with its delivery). */
  announce(record: AttemptRecord, isNew: boolean): void {
    this.deps.emit({ type: isNew ? 'attempt.added' : 'attempt.updated', attempt: toAttemptSummary(record) })
  }

  /**
   * Marks `record` in flight, sends, and records the outcome; settles once the outcome is stored.
   * Never rejects. The `in-flight` row is stored before anything goes on the wire: after a crash
   * it is what says the target may have received it (re-sent as `interrupted`, at-least-once).
   */
  run(record: AttemptRecord, request: OutboundRequest, options: RunOptions, isNew: boolean): Promise<RunResult> {
    const done = this.runOnce(record, request, options, isNew)
    this.running.add(done)
    void done.finally(() => this.running.delete(done))
    return done
  }

  private async runOnce(record: AttemptRecord, request: OutboundRequest, options: RunOptions, isNew: boolean): Promise<RunResult> {
    record.state = 'in-flight'
    record.startedAt = this.deps.clock.now()
    record.dueAt ??= record.startedAt
    await this.safeRecord(record, isNew)
    let outcome: ForwardOutcome
    if (this.stopped) {
      // Stopped while the row was being stored: nothing went out, and the row says in-flight.
      outcome = { ok: false, error: INTERRUPTED, durationMs: 0 }
    } else {
      const result = this.send(request, options)
      this.inFlight.set(record.id, { abort: result.abort, done: result.outcome })
      outcome = await result.outcome
      this.inFlight.delete(record.id)
    }
    finishRecord(record, outcome, this.deps.clock.now())
    const interrupted = !outcome.ok && outcome.error.code === 'INTERRUPTED'
    const next = interrupted ? null : this.followUp(record, outcome, options)
    await this.safeRecord(record, false, next ?? undefined)
    return { record, outcome, next }
  }

  private followUp(record: AttemptRecord, outcome: ForwardOutcome, options: RunOptions): AttemptRecord | null {
    try {
      return options.followUp?.(record, outcome) ?? null
    } catch (error) {
      this.deps.logger.error('could not schedule the next attempt', { attempt: record.id, error: (error as Error).message })
      return null
    }
  }

  /** Sends without recording (passthrough records once the delivery is stored). */
  send(request: OutboundRequest, options: RunOptions): { abort: AbortController; outcome: Promise<ForwardOutcome> } {
    const abort = new AbortController()
    const resolved = this.deps.agents.agentFor(request.url, options.clientCertificateId)
    if ('error' in resolved) return { abort, outcome: Promise.resolve({ ok: false, error: resolved.error, durationMs: 0 }) }
    const outcome = forwardRequest(request, {
      timeoutMs: options.timeoutMs,
      agent: resolved.agent,
      keepBytes: options.keepBytes ?? ATTEMPT_RESPONSE_CAP,
      timers: this.deps.timers,
      clientCertificate: options.clientCertificateId !== null,
      signal: abort.signal,
      abortError: () => INTERRUPTED
    })
    return { abort, outcome }
  }

  /** Tracks an exchange started with send() so stop() interrupts it too. */
  track(id: string, abort: AbortController, done: Promise<unknown>): void {
    this.inFlight.set(id, { abort, done })
    void done.finally(() => {
      if (this.inFlight.get(id)?.done === done) this.inFlight.delete(id)
    })
  }

  get busy(): number {
    return this.inFlight.size
  }

  /** Interrupts every attempt on the wire and waits until each is recorded as interrupted. */
  async stop(): Promise<void> {
    this.stopped = true
    const entries = [...this.inFlight.values()]
    for (const entry of entries) entry.abort.abort()
    await Promise.allSettled([...entries.map((entry) => entry.done), ...this.running])
  }

  private async safeRecord(record: AttemptRecord, isNew: boolean, next?: AttemptRecord): Promise<void> {
    try {
      await this.record(record, isNew, next)
    } catch (error) {
      // A full disk must not turn an answered forward into a crash; the log says what was lost.
      this.deps.logger.error('could not record an attempt', { attempt: record.id, error: (error as Error).message })
    }
  }
}

/** Fills in the outcome: the answer (body capped for storage) or the error, and the final state. */
export function finishRecord(record: AttemptRecord, outcome: ForwardOutcome, now: number): void {
  record.finishedAt = now
  record.durationMs = outcome.durationMs
  if (outcome.ok) {
    record.responseStatus = outcome.status
    record.responseHeaders = outcome.headers
    record.responseBody = outcome.body.length > ATTEMPT_RESPONSE_CAP ? outcome.body.subarray(0, ATTEMPT_RESPONSE_CAP) : outcome.body
    record.responseBodySize = outcome.bodySize
    record.responseTruncated = outcome.bodySize > record.responseBody.length
    record.error = null
    record.state = outcome.status >= 200 && outcome.status < 300 ? 'succeeded' : 'failed'
  } else {
    record.error = outcome.error
    record.state = outcome.error.code === 'INTERRUPTED' ? 'interrupted' : 'failed'
  }
}
