import { EngineError } from '../../../shared/errors'
import { type AttemptError, type AttemptSummary, type ForwardingRule, RETRY_PRESETS } from '../../../shared/model/relay'
import type { Clock, Logger } from '../engine-types'
import { attemptError } from './attempt-errors'
import { type AttemptRecord, toAttemptSummary } from './attempt-record'
import type { AttemptRunner } from './attempt-runner'
import type { AttemptsStore } from './attempts-repo'
import type { ForwardOutcome } from './forward-request'
import type { ForwardingRules } from './forwarding-rules'
import { type ForwardableDelivery, outboundRequest, ruleTarget } from './outbound-request'
import { headerValue } from './outgoing-headers'
import { type AttemptOutcome, nextRetryAt, parseRetryAfter } from './retry-policy'
import { firstMatchingRule } from './rule-match'
import { MAX_TIMER_MS, type Timers } from './timers'

/** Stored deliveries, for retries (the body is read again, not kept in memory while waiting). */
export interface DeliverySource {
  get(id: string): ForwardableDelivery | undefined
}

export interface RelaySchedulerDeps {
  store: AttemptsStore
  runner: AttemptRunner
  rules: ForwardingRules
  deliveries: DeliverySource
  clock: Clock
  timers: Timers
  logger: Logger
  nextId: () => string
  /** Relay attempts on the wire at once, across deliveries; the rest wait their turn. */
  maxConcurrent: number
}

/**
 * ack-first forwarding: the first attempt right after the delivery is stored, then retries on
 * the rule's schedule. Each delivery is a chain with at most one attempt `scheduled` or
 * `in-flight`; the rows are the state, so a restart resumes them (`start()`), and an attempt that
 * was on the wire when the process died is recorded `interrupted` and sent again (at-least-once).
 */
export class RelayScheduler {
  private readonly timers = new Map<string, { attemptId: string; endpointId: string | null; handle: unknown }>()
  /**
   * Chains with an attempt running, by delivery: that attempt (on the wire, or finished and being
   * stored with the retry it scheduled), and when the chain lets go of it.
   */
  private readonly active = new Map<string, { record: AttemptRecord; done: Promise<void> }>()
  private readonly waiting = new Map<string, string>()
  private stopped = false

  constructor(private readonly deps: RelaySchedulerDeps) {}

  /**
   * A delivery matched an ack-first rule: its first attempt (`scheduled`, or `failed` when the body
   * did not arrive whole), which the capture pipeline stores in the delivery's own transaction, so
   * that a delivery acknowledged always has its relay pending, even if the process dies before
   * `begin` (start() resumes it then, like any scheduled attempt).
   */
  firstAttempt(deliveryId: string, delivery: ForwardableDelivery, rule: ForwardingRule): AttemptRecord {
    const record = this.newRecord(deliveryId, delivery.endpointId, rule, 1, delivery.url)
    return delivery.truncated ? notForwarded(record, delivery, this.deps.clock.now()) : record
  }

  /**
   * The delivery and its first attempt (from `firstAttempt`) are stored: send it now, or as soon
   * as a slot frees. The row exists already, so nothing here writes a new one.
   */
  begin(deliveryId: string, delivery: ForwardableDelivery, rule: ForwardingRule, first: AttemptRecord): void {
    if (first.state !== 'scheduled') {
      this.deps.runner.announce(first, true)
      return
    }
    // Its row says scheduled: the next start() runs it.
    if (this.stopped) return
    if (this.active.size < this.deps.maxConcurrent) {
      this.runChain(first, delivery, rule, true)
      return
    }
    this.deps.runner.announce(first, true)
    this.waiting.set(deliveryId, first.id)
  }

  /**
   * After a restart: interrupted attempts are recorded as such and re-run; retries are re-armed.
   * Each step reads what the previous one wrote, so it waits for those writes.
   */
  async start(): Promise<void> {
    const removed = this.deps.store.removeOrphans()
    if (removed > 0) this.deps.logger.info('relay: dropped attempts of deliveries removed while stopped', { count: removed })
    const now = this.deps.clock.now()
    for (const record of this.deps.store.pendingRelays()) {
      if (record.state !== 'in-flight') continue
      record.state = 'interrupted'
      record.finishedAt = now
      record.error = attemptError('INTERRUPTED', 'Hookscope stopped while this attempt was on the wire; the target may have received it')
      void this.deps.runner.record(record, false)
    }
    await this.deps.store.settled()
    for (const record of this.deps.store.interruptedChains()) {
      // Passthrough senders were answered (or cut off) already; they retry on their own.
      if (record.mode !== 'ack-first' || !record.deliveryId) continue
      const next = this.followUp(record, now)
      void this.deps.runner.record(next, true)
    }
    await this.deps.store.settled()
    if (this.stopped) return
    for (const record of this.deps.store.pendingRelays()) {
      if (record.state === 'scheduled' && record.deliveryId) this.arm(record.deliveryId, record.id, record.endpointId, record.dueAt ?? now)
    }
  }

  /**
   * Relays a delivery now: its scheduled retry moves to now, or (when nothing is pending) a new
   * chain starts with attempt 1 to the rule's current target. One on the wire already: returned as is.
   */
  async retryNow(deliveryId: string): Promise<AttemptSummary> {
    const chain = this.active.get(deliveryId)
    if (chain?.record.state === 'in-flight') return toAttemptSummary(chain.record)
    // Its attempt has just finished: the outcome (and the retry it scheduled) is being stored.
    await chain?.done
    // The newest row of the chain is read from the store: every write queued before must be in.
    await this.deps.store.settled()
    const running = this.active.get(deliveryId)
    if (running) return toAttemptSummary(running.record)
    const last = this.deps.store.lastRelay(deliveryId)
    if (last?.state === 'scheduled') {
      this.disarm(deliveryId)
      last.dueAt = this.deps.clock.now()
      void this.deps.runner.record(last, false)
      this.fire(deliveryId, last.id)
      return toAttemptSummary(this.deps.store.get(last.id) ?? last)
    }
    const delivery = this.deps.deliveries.get(deliveryId)
    if (!delivery) throw new EngineError('NOT_FOUND', `no delivery with id "${deliveryId}"`)
    const rules = this.deps.rules
    const rule = (last?.ruleId ? rules.rule(delivery.endpointId, last.ruleId) : undefined) ?? firstMatchingRule(rules.rulesFor(delivery.endpointId), delivery)
    if (!rule) {
      throw new EngineError('BAD_INPUT', `no forwarding rule of endpoint "${delivery.endpointId}" matches this delivery; add one, or replay it to a URL`)
    }
    const record = this.newRecord(deliveryId, delivery.endpointId, rule, 1, delivery.url)
    if (delivery.truncated) {
      void this.deps.runner.record(notForwarded(record, delivery, this.deps.clock.now()), true)
      return toAttemptSummary(record)
    }
    this.runChain(record, delivery, rule, true)
    return toAttemptSummary(record)
  }

  /** Cancels the delivery's scheduled retry; returns how many were cancelled (0 or 1). */
  async cancel(deliveryId: string): Promise<number> {
    await this.deps.store.settled()
    const last = this.deps.store.lastRelay(deliveryId)
    if (last?.state !== 'scheduled') return 0
    this.disarm(deliveryId)
    this.waiting.delete(deliveryId)
    last.state = 'cancelled'
    last.finishedAt = this.deps.clock.now()
    last.error = attemptError('CANCELLED', 'cancelled by the user; nothing more is sent for this delivery')
    await this.deps.runner.record(last, false)
    return 1
  }

  /** Deliveries removed: their chains stop (their rows are removed by the store). */
  forget(deliveryIds: readonly string[]): void {
    for (const id of deliveryIds) {
      this.disarm(id)
      this.waiting.delete(id)
    }
  }

  /** An endpoint's deliveries (all with null) were cleared. */
  forgetEndpoint(endpointId: string | null): void {
    for (const [deliveryId, timer] of [...this.timers]) {
      if (endpointId === null || timer.endpointId === endpointId) this.disarm(deliveryId)
    }
    // Waiting attempts whose rows are gone are skipped when their turn comes.
    if (endpointId === null) this.waiting.clear()
  }

  /** Disarms every timer; attempts on the wire are interrupted by the runner's stop(). */
  stop(): void {
    this.stopped = true
    for (const id of [...this.timers.keys()]) this.disarm(id)
    this.waiting.clear()
  }

  /** Pending work, for status lines and tests. */
  counts(): { scheduled: number; active: number; waiting: number } {
    return { scheduled: this.timers.size, active: this.active.size, waiting: this.waiting.size }
  }

  private arm(deliveryId: string, attemptId: string, endpointId: string | null, dueAt: number): void {
    this.disarm(deliveryId)
    const delay = Math.min(MAX_TIMER_MS, Math.max(0, dueAt - this.deps.clock.now()))
    const handle = this.deps.timers.setTimeout(() => {
      this.timers.delete(deliveryId)
      if (this.deps.clock.now() < dueAt) return this.arm(deliveryId, attemptId, endpointId, dueAt)
      this.fire(deliveryId, attemptId)
    }, delay)
    this.timers.set(deliveryId, { attemptId, endpointId, handle })
  }

  private disarm(deliveryId: string): void {
    const timer = this.timers.get(deliveryId)
    if (!timer) return
    this.deps.timers.clearTimeout(timer.handle)
    this.timers.delete(deliveryId)
  }

  private fire(deliveryId: string, attemptId: string): void {
    if (this.stopped) return
    const running = this.active.get(deliveryId)
    if (running) {
      // The attempt before it is still being stored (a retry due at once): its turn comes after.
      if (running.record.id !== attemptId) this.waiting.set(deliveryId, attemptId)
      return
    }
    if (this.active.size >= this.deps.maxConcurrent) {
      this.waiting.set(deliveryId, attemptId)
      return
    }
    const record = this.deps.store.get(attemptId)
    if (record?.state !== 'scheduled') return
    const delivery = this.deps.deliveries.get(deliveryId)
    if (!delivery) {
      this.giveUp(record, attemptError('DELIVERY_REMOVED', 'the delivery was removed; nothing more is sent'))
      return
    }
    const rule = record.ruleId ? this.deps.rules.rule(delivery.endpointId, record.ruleId) : undefined
    if (!rule) {
      this.giveUp(record, attemptError('RULE_REMOVED', 'its forwarding rule was removed; nothing more is sent'))
      return
    }
    this.runChain(record, delivery, rule, false)
  }

  private giveUp(record: AttemptRecord, error: AttemptError): void {
    record.state = 'cancelled'
    record.finishedAt = this.deps.clock.now()
    record.error = error
    void this.deps.runner.record(record, false)
  }

  /** Runs `record` now; the delivery's chain is active until it and its retry are stored. */
  private runChain(record: AttemptRecord, delivery: ForwardableDelivery, rule: ForwardingRule, isNew: boolean): void {
    const deliveryId = record.deliveryId!
    const done = this.runAttempt(record, delivery, rule, isNew).finally(() => {
      this.active.delete(deliveryId)
      this.pump()
    })
    this.active.set(deliveryId, { record, done })
  }

  private async runAttempt(record: AttemptRecord, delivery: ForwardableDelivery, rule: ForwardingRule, isNew: boolean): Promise<void> {
    const deliveryId = record.deliveryId!
    try {
      const target = ruleTarget(rule, delivery.url)
      const request = outboundRequest(delivery, target)
      record.target = target.url.href
      record.method = request.method
      record.requestHeaders = request.headers
      record.requestBody = null
      record.requestBodySize = request.body.length
      const policy = rule.mode === 'ack-first' ? rule.retry : RETRY_PRESETS.none
      // The retry is decided before the outcome is stored and written with it, in one transaction:
      // a crash between "failed" and "retry scheduled" would end the chain with retries left.
      // (Re-arming failed chains at start() instead would re-read every finished chain on each start.)
      const followUp = (finished: AttemptRecord, outcome: ForwardOutcome): AttemptRecord | null => {
        // Failures stored so far in this chain; this attempt's own row still says in-flight.
        const retriesSoFar = this.deps.store.failuresInChain(deliveryId)
        const now = this.deps.clock.now()
        const due = nextRetryAt(policy, retryOutcome(outcome, now), retriesSoFar, now)
        if (due === null) return null
        const next = this.followUp(finished, due)
        // Its row is queued right after this returns, before any timer can fire (fire() finds it in
        // memory until it is written). Stopped: the stored row is armed by the next start().
        if (!this.stopped) this.arm(deliveryId, next.id, next.endpointId, due)
        return next
      }
      // Settles once the outcome (and its retry) is stored.
      await this.deps.runner.run(record, request, { timeoutMs: rule.timeoutMs, clientCertificateId: rule.clientCertificateId, followUp }, isNew)
    } catch (error) {
      this.deps.logger.error('relay: attempt failed inside Hookscope', { attempt: record.id, error: (error as Error).message })
    }
  }

  /** Starts waiting attempts while there is room. */
  private pump(): void {
    for (const [deliveryId, attemptId] of this.waiting) {
      if (this.active.size >= this.deps.maxConcurrent || this.stopped) return
      // Its previous attempt is still being stored: pumped again when that chain lets go.
      if (this.active.has(deliveryId)) continue
      this.waiting.delete(deliveryId)
      this.fire(deliveryId, attemptId)
    }
  }

  /** The next attempt of a chain, scheduled for `dueAt`. */
  private followUp(previous: AttemptRecord, dueAt: number): AttemptRecord {
    return {
      ...blankRecord(),
      id: this.deps.nextId(),
      deliveryId: previous.deliveryId,
      endpointId: previous.endpointId,
      kind: 'relay',
      mode: previous.mode,
      ruleId: previous.ruleId,
      number: previous.number + 1,
      state: 'scheduled',
      dueAt,
      method: previous.method,
      target: previous.target,
      requestHeaders: previous.requestHeaders,
      requestBodySize: previous.requestBodySize
    }
  }

  private newRecord(deliveryId: string, endpointId: string, rule: ForwardingRule, number: number, requestTarget: string): AttemptRecord {
    let target = rule.target
    try {
      target = ruleTarget(rule, requestTarget).url.href
    } catch {
      // Reported when the attempt runs.
    }
    return {
      ...blankRecord(),
      id: this.deps.nextId(),
      deliveryId,
      endpointId,
      kind: 'relay',
      mode: rule.mode,
      ruleId: rule.id,
      number,
      state: 'scheduled',
      dueAt: this.deps.clock.now(),
      target
    }
  }
}

/** A relay attempt row with nothing known yet. */
export function blankRecord(): AttemptRecord {
  return {
    id: '',
    deliveryId: null,
    endpointId: null,
    kind: 'relay',
    mode: null,
    ruleId: null,
    batchId: null,
    number: 1,
    state: 'scheduled',
    dueAt: null,
    startedAt: null,
    finishedAt: null,
    method: 'POST',
    target: '',
    requestHeaders: [],
    requestBody: null,
    requestBodySize: 0,
    responseStatus: null,
    responseHeaders: null,
    responseBody: null,
    responseBodySize: null,
    responseTruncated: false,
    durationMs: null,
    error: null,
    resignedWith: null,
    edited: false,
    verdict: null,
    notes: []
  }
}

/** A delivery whose body did not arrive whole is never forwarded: the attempt says why. */
export function notForwarded(record: AttemptRecord, delivery: ForwardableDelivery, now: number): AttemptRecord {
  record.state = 'failed'
  record.method = delivery.method
  record.startedAt = now
  record.finishedAt = now
  record.requestBodySize = delivery.body.length
  record.error = attemptError('BODY_TRUNCATED', "the body did not arrive whole (it exceeded the endpoint's limit), so it was not forwarded")
  return record
}

function retryOutcome(outcome: ForwardOutcome, now: number): AttemptOutcome {
  if (!outcome.ok) return { kind: 'error', code: outcome.error.code }
  return { kind: 'response', status: outcome.status, retryAfterMs: parseRetryAfter(headerValue(outcome.headers, 'retry-after'), now) }
}
