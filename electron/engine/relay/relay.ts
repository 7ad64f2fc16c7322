import type { EngineEvent } from '../../../shared/api/contract'
import type { IncomingRequest, OutgoingResponse } from '../capture/capture-types'
import type { Clock, Logger } from '../engine-types'
import type { KeyringSnapshot } from '../verify/verify-delivery'
import { AttemptBatches } from './attempt-batches'
import { attemptError } from './attempt-errors'
import type { AttemptRecord } from './attempt-record'
import { AttemptRunner, finishRecord } from './attempt-runner'
import type { AttemptsStore } from './attempts-repo'
import type { EventTemplates } from './event-templates'
import type { OutboundRequest } from './forward-request'
import type { ForwardingConfigsRepo } from './forwarding-configs-repo'
import { ForwardingRules } from './forwarding-rules'
import { type ForwardableDelivery, outboundRequest, ruleTarget } from './outbound-request'
import { fallbackResponse, type MatchedRule, passOn, type RelayHook } from './relay-hook'
import { blankRecord, type DeliverySource, notForwarded, RelayScheduler } from './relay-scheduler'
import { ReplayService, type VerifyAsArrived } from './replay-service'
import { RequestSigner } from './request-signer'
import { firstMatchingRule } from './rule-match'
import type { SignRequest } from './sign-seam'
import { TargetAgents, type TargetTlsSource } from './target-agents'
import { TestSender } from './test-sender'
import type { Timers } from './timers'

/** A passthrough sender gets at most this much of the target's answer; more is answered with the fallback. */
export const PASSTHROUGH_RESPONSE_LIMIT = 32 * 1024 * 1024
/** Test sends kept (the newest); relay attempts and replays go with their delivery. */
const KEEP_SENDS = 10_000
/** ack-first attempts on the wire at once. */
const MAX_CONCURRENT_RELAYS = 16

export interface RelayDeps {
  store: AttemptsStore
  configs: ForwardingConfigsRepo
  deliveries: DeliverySource
  listDeliveryIds: (filter: Record<string, unknown>, max: number) => string[]
  verify: VerifyAsArrived
  keys: () => KeyringSnapshot
  signRequest: SignRequest
  templates: EventTemplates
  tls: TargetTlsSource
  systemCas: () => string[]
  endpointExists: (endpointId: string) => boolean
  clock: Clock
  timers: Timers
  logger: Logger
  nextId: () => string
  emit: (event: EngineEvent) => void
  userAgent: string
}

/**
 * The relay: forwarding rules, the RelayHook the capture pipeline calls, ack-first retries,
 * replays and the test sender, over one attempt store. `start()` resumes pending retries;
 * `stop()` interrupts what is on the wire (recorded `interrupted`, re-sent on the next start).
 */
export class Relay implements RelayHook {
  readonly rules: ForwardingRules
  readonly scheduler: RelayScheduler
  readonly runner: AttemptRunner
  readonly replays: ReplayService
  readonly sender: TestSender
  readonly batches: AttemptBatches
  private readonly agents: TargetAgents

  constructor(private readonly deps: RelayDeps) {
    this.agents = new TargetAgents(deps.tls, deps.systemCas)
    this.rules = new ForwardingRules({
      repo: deps.configs,
      clock: deps.clock,
      nextId: deps.nextId,
      emit: deps.emit,
      endpointExists: deps.endpointExists,
      clientCertificateExists: (id) => {
        try {
          deps.tls.clientCertificate(id)
          return true
        } catch (error) {
          // Locked keyring: it exists, its key is just not readable now.
          return (error as { code?: string }).code === 'VAULT_LOCKED'
        }
      }
    })
    this.runner = new AttemptRunner({ sink: deps.store, agents: this.agents, clock: deps.clock, timers: deps.timers, logger: deps.logger, emit: deps.emit })
    this.scheduler = new RelayScheduler({
      store: deps.store,
      runner: this.runner,
      rules: this.rules,
      deliveries: deps.deliveries,
      clock: deps.clock,
      timers: deps.timers,
      logger: deps.logger,
      nextId: deps.nextId,
      maxConcurrent: MAX_CONCURRENT_RELAYS
    })
    this.batches = new AttemptBatches({ clock: deps.clock, timers: deps.timers, nextId: deps.nextId, emit: deps.emit })
    const signer = new RequestSigner({ keys: deps.keys, signRequest: deps.signRequest, clock: deps.clock, nextId: deps.nextId })
    this.replays = new ReplayService({
      deliveries: deps.deliveries,
      listDeliveryIds: deps.listDeliveryIds,
      rules: this.rules,
      runner: this.runner,
      batches: this.batches,
      signer,
      verify: deps.verify,
      clock: deps.clock,
      nextId: deps.nextId
    })
    this.sender = new TestSender({
      runner: this.runner,
      batches: this.batches,
      signer,
      templates: deps.templates,
      verify: deps.verify,
      clock: deps.clock,
      nextId: deps.nextId,
      userAgent: deps.userAgent
    })
  }

  match(request: IncomingRequest): MatchedRule | null {
    const rules = this.rules.rulesFor(request.endpointId)
    return rules.length === 0 ? null : firstMatchingRule(rules, request)
  }

  async passthrough(deliveryId: string, request: IncomingRequest, rule: MatchedRule, stored: Promise<void>): Promise<OutgoingResponse> {
    const { clock, logger } = this.deps
    const delivery = forwardable(request)
    const record = {
      ...blankRecord(),
      id: this.deps.nextId(),
      deliveryId,
      endpointId: request.endpointId,
      mode: 'passthrough' as const,
      ruleId: rule.id,
      dueAt: clock.now(),
      method: request.method,
      target: rule.target
    }
    const recordSafely = (isNew: boolean) => {
      try {
        // Queued to the store's writer; the sender's answer does not wait for it.
        void this.runner.record(record, isNew)
      } catch (error) {
        logger.error('relay: could not record a passthrough attempt', { attempt: record.id, error: (error as Error).message })
      }
    }
    if (request.truncated) {
      notForwarded(record, delivery, clock.now())
      stored.then(
        () => recordSafely(true),
        () => undefined
      )
      const body = JSON.stringify({ id: deliveryId, error: `body exceeds the endpoint's limit (${request.bodySize} bytes sent); not forwarded` })
      return { status: 413, headers: [['Content-Type', 'application/json']], body: Buffer.from(body) }
    }
    let outbound: OutboundRequest
    try {
      const target = ruleTarget(rule, request.url)
      outbound = outboundRequest(delivery, target)
    } catch (error) {
      const failure = attemptError('REQUEST_INVALID', `the rule's target cannot be used: ${(error as Error).message}`)
      record.state = 'failed'
      record.error = failure
      stored.then(
        () => recordSafely(true),
        () => undefined
      )
      return fallbackResponse(this.rules.fallbackFor(request.endpointId), failure, deliveryId)
    }
    record.target = outbound.url.href
    record.requestHeaders = outbound.headers
    record.requestBodySize = outbound.body.length
    record.state = 'in-flight'
    record.startedAt = clock.now()
    const exchange = this.runner.send(outbound, {
      timeoutMs: rule.timeoutMs,
      clientCertificateId: rule.clientCertificateId,
      keepBytes: PASSTHROUGH_RESPONSE_LIMIT
    })
    this.runner.track(record.id, exchange.abort, exchange.outcome)
    let inserted = false
    // Stored before the target answered: list the attempt as in flight meanwhile.
    stored.then(
      () => {
        if (record.state !== 'in-flight') return
        recordSafely(true)
        inserted = true
      },
      () => undefined
    )
    const outcome = await exchange.outcome
    finishRecord(record, outcome, clock.now())
    let answer: OutgoingResponse
    if (outcome.ok && !outcome.truncated) {
      answer = passOn(outcome.status, outcome.headers, outcome.body)
    } else {
      const failure = outcome.ok
        ? attemptError(
            'RESPONSE_TOO_LARGE',
            `the answer of the target is larger than ${PASSTHROUGH_RESPONSE_LIMIT / 1024 / 1024} MiB; the sender got the fallback`
          )
        : outcome.error
      if (outcome.ok) {
        record.state = 'failed'
        record.error = failure
      }
      answer = fallbackResponse(this.rules.fallbackFor(request.endpointId), failure, deliveryId)
    }
    try {
      await stored
    } catch {
      return answer // Not stored: there is no delivery to attach the attempt to.
    }
    recordSafely(!inserted)
    return answer
  }

  firstAttempt(deliveryId: string, request: IncomingRequest, rule: MatchedRule): AttemptRecord {
    return this.scheduler.firstAttempt(deliveryId, forwardable(request), rule)
  }

  afterStored(deliveryId: string, request: IncomingRequest, rule: MatchedRule, first: AttemptRecord): void {
    try {
      this.scheduler.begin(deliveryId, forwardable(request), rule, first)
    } catch (error) {
      this.deps.logger.error('relay: could not schedule a delivery', { delivery: deliveryId, error: (error as Error).message })
    }
  }

  async start(): Promise<void> {
    this.deps.store.trimSends(KEEP_SENDS)
    await this.scheduler.start()
  }

  /** Engine events the relay follows: removed deliveries and endpoints, changed certificates. */
  onEvent(event: EngineEvent): void {
    switch (event.type) {
      case 'deliveries.removed':
        this.scheduler.forget(event.ids)
        this.deps.store.remove({ deliveryIds: event.ids })
        break
      case 'deliveries.cleared':
        this.scheduler.forgetEndpoint(event.endpointId)
        this.deps.store.remove({ endpointId: event.endpointId })
        break
      case 'endpoint.removed':
        this.rules.removeEndpoint(event.id)
        break
      case 'certificates.changed':
      case 'keys.changed':
        // New CAs, a new client certificate, or an unlocked keyring (client keys readable now).
        this.agents.invalidate()
        break
      default:
        break
    }
  }

  async stop(): Promise<void> {
    this.scheduler.stop()
    this.batches.stop()
    await this.runner.stop()
    this.agents.close()
  }
}

/** A live request as the forwarding code sees deliveries. */
function forwardable(request: IncomingRequest): ForwardableDelivery {
  return {
    endpointId: request.endpointId,
    method: request.method,
    url: request.url,
    headers: request.headers,
    body: request.body,
    truncated: request.truncated,
    remoteAddress: request.remoteAddress,
    tls: request.tls,
    publicUrl: request.source.kind === 'tunnel' ? request.source.publicUrl : null
  }
}
