import type { ParsedParams } from '../../../shared/api/contract'
import { EngineError, isEngineError } from '../../../shared/errors'
import { type AttemptBatch, DEFAULT_FORWARD_TIMEOUT_MS, type ForwardingRule } from '../../../shared/model/relay'
import type { Verdict } from '../../../shared/model/verdict'
import type { Clock } from '../engine-types'
import type { AttemptBatches } from './attempt-batches'
import { attemptError } from './attempt-errors'
import type { AttemptRecord } from './attempt-record'
import type { AttemptRunner } from './attempt-runner'
import type { OutboundRequest } from './forward-request'
import type { ForwardingRules } from './forwarding-rules'
import { type ForwardableDelivery, type ForwardTarget, outboundRequest, ruleTarget } from './outbound-request'
import type { DeliverySource } from './relay-scheduler'
import { blankRecord, notForwarded } from './relay-scheduler'
import type { RequestSigner } from './request-signer'
import { firstMatchingRule } from './rule-match'
import { targetUrlFor } from './target-url'

/** Hookscope's verdict on a request as sent, as if it had just arrived at `endpointId`. */
export type VerifyAsArrived = (request: OutboundRequest, endpointId: string | null) => Promise<Verdict>

export interface ReplayServiceDeps {
  deliveries: DeliverySource
  /** Ids of the deliveries matching a `deliveries.list` filter, newest first (validated there). */
  listDeliveryIds: (filter: Record<string, unknown>, max: number) => string[]
  rules: ForwardingRules
  runner: AttemptRunner
  batches: AttemptBatches
  signer: RequestSigner
  verify: VerifyAsArrived
  clock: Clock
  nextId: () => string
}

type ReplayParams = ParsedParams<'replay.send'>
type ManyParams = ParsedParams<'replay.start'>

export const MAX_BULK_REPLAY = 10_000

/**
 * Replays: one delivery (awaited, for the dialog and the CLI) or many (a batch with bounded
 * concurrency and an optional rate). Each replay is an attempt of kind `replay` linked to its
 * delivery, with the request as sent and its own verdict.
 */
export class ReplayService {
  constructor(private readonly deps: ReplayServiceDeps) {}

  async replay(params: ReplayParams, batchId: string | null = null): Promise<AttemptRecord> {
    const { deps } = this
    const delivery = deps.deliveries.get(params.deliveryId)
    if (!delivery) throw new EngineError('NOT_FOUND', `no delivery with id "${params.deliveryId}"`)
    const key = params.resignKeyId !== undefined ? deps.signer.key(params.resignKeyId) : null
    const { target, rule } = this.targetOf(params, delivery)
    const editedBody = params.edit?.bodyBase64 !== undefined ? Buffer.from(params.edit.bodyBase64, 'base64') : undefined
    const record: AttemptRecord = {
      ...blankRecord(),
      id: deps.nextId(),
      deliveryId: params.deliveryId,
      endpointId: delivery.endpointId,
      kind: 'replay',
      ruleId: rule?.id ?? null,
      batchId,
      dueAt: deps.clock.now(),
      method: delivery.method,
      target: target.url.href,
      edited: params.edit?.headers !== undefined || editedBody !== undefined,
      resignedWith: key?.id ?? null
    }
    if (delivery.truncated && editedBody === undefined) {
      void deps.runner.record(notForwarded(record, delivery, deps.clock.now()), true)
      return record
    }
    let request = outboundRequest(delivery, target, { headers: params.edit?.headers, body: editedBody })
    if (key) {
      const signed = deps.signer.sign(request, key)
      if (!signed.ok) {
        record.requestHeaders = request.headers
        record.requestBody = request.body === delivery.body ? null : request.body
        record.requestBodySize = request.body.length
        record.state = 'failed'
        record.finishedAt = deps.clock.now()
        record.error = signed.error
        void deps.runner.record(record, true)
        return record
      }
      request = signed.request
      record.notes = signed.notes
    }
    record.requestHeaders = request.headers
    record.requestBody = request.body === delivery.body || request.body.equals(delivery.body) ? null : request.body
    record.requestBodySize = request.body.length
    record.verdict = await deps.verify(request, delivery.endpointId)
    const timeoutMs = params.timeoutMs ?? rule?.timeoutMs ?? DEFAULT_FORWARD_TIMEOUT_MS
    await deps.runner.run(record, request, { timeoutMs, clientCertificateId: rule?.clientCertificateId ?? null }, true)
    return record
  }

  /** Starts a bulk replay and returns its batch at once; progress comes as events. */
  start(params: ManyParams): AttemptBatch {
    const { deps } = this
    if (params.resignKeyId !== undefined) deps.signer.key(params.resignKeyId)
    const ids = params.deliveryIds ?? deps.listDeliveryIds(params.filter ?? {}, MAX_BULK_REPLAY)
    const batch = deps.batches.create('replay', ids.length)
    const one = async (deliveryId: string) => {
      try {
        return (await this.replay({ deliveryId, to: params.to, resignKeyId: params.resignKeyId }, batch.id)).state
      } catch (error) {
        this.recordRefusal(deliveryId, batch.id, error)
        return 'failed' as const
      }
    }
    void deps.batches.run(batch.id, ids, { concurrency: params.concurrency ?? 4, ratePerSecond: params.ratePerSecond }, one)
    return batch
  }

  private targetOf(params: ReplayParams, delivery: ForwardableDelivery): { target: ForwardTarget; rule: ForwardingRule | null } {
    if (params.to !== undefined) {
      try {
        return { target: { url: targetUrlFor(params.to, delivery.url), rule: null }, rule: null }
      } catch (error) {
        throw new EngineError('BAD_INPUT', `to: ${(error as Error).message}`)
      }
    }
    const rule = firstMatchingRule(this.deps.rules.rulesFor(delivery.endpointId), delivery)
    if (!rule) {
      throw new EngineError('BAD_INPUT', `no forwarding rule of endpoint "${delivery.endpointId}" matches this delivery; give a URL to replay it to`)
    }
    return { target: ruleTarget(rule, delivery.url), rule }
  }

  /** A delivery of a batch that could not even be tried (removed, no rule): recorded, so the batch shows why. */
  private recordRefusal(deliveryId: string, batchId: string, error: unknown): void {
    const delivery = this.deps.deliveries.get(deliveryId)
    if (!delivery) return
    const now = this.deps.clock.now()
    const message = isEngineError(error) ? error.message : 'failed inside Hookscope (see the log)'
    void this.deps.runner.record(
      {
        ...blankRecord(),
        id: this.deps.nextId(),
        deliveryId,
        endpointId: delivery.endpointId,
        kind: 'replay',
        batchId,
        state: 'failed',
        dueAt: now,
        startedAt: now,
        finishedAt: now,
        method: delivery.method,
        error: attemptError('REQUEST_INVALID', message)
      },
      true
    )
  }
}
