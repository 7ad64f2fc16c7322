import type { EngineEvent } from '../../../shared/api/contract'
import { summarizeDelivery } from '../../../shared/model/delivery'
import { DEFAULT_MAX_BODY_BYTES, DEFAULT_RESPONSE, DEFAULT_TLS, type EndpointConfig } from '../../../shared/model/endpoint'
import type { Clock, Logger } from '../engine-types'
import type { AttemptRecord } from '../relay/attempt-record'
import type { MatchedRule, RelayHook } from '../relay/relay-hook'
import type { StoreHealth } from '../store/store-health'
import { contentTypeOf, type RecordedResponse, tunnelDeliveryIdOf } from '../store/stored-delivery'
import type { CaptureIngress, IncomingRequest, OutgoingResponse } from './capture-types'
import { newDelivery } from './new-delivery'
import { connectRefused, type RandomSource, recordResponse, renderResponse, repeatedDelivery, storeUnavailable } from './render-response'
import { type CaptureStore, StoreWriteError } from './writer/capture-store'
import type { WriteInput, WriteOutput } from './writer/write-ops'

export interface CapturePipelineDeps {
  store: Pick<CaptureStore, 'write'>
  /** The endpoint's configuration now (response, body limit), or undefined if it was deleted meanwhile. */
  endpoint: (id: string) => EndpointConfig | undefined
  /** null until the relay is wired in. */
  relay: RelayHook | null
  nextId: () => string
  emit: (event: EngineEvent) => void
  clock: Clock
  logger: Logger
  /** Decides which deliveries get a simulated failure (the endpoint's failure rate); Math.random by default. */
  random?: RandomSource
  /** Hears of every delivery write: failures (the sender got 503) are logged and counted there, not per delivery. */
  health: Pick<StoreHealth, 'reportWriteFailure' | 'reportWriteSuccess' | 'current'>
}

/**
 * What became of a delivery handed to the store: stored (and announced), not stored (logged and
 * reported), or a tunnelled delivery the relay sent again, already stored (`answer` is the repeat's).
 */
type StoreOutcome = { kind: 'stored' } | { kind: 'failed' } | { kind: 'repeated'; answer: OutgoingResponse }

/**
 * Everything that happens to a received request, in order: the relay's rule is matched, the
 * answer is decided, the delivery is verified and stored in one transaction with its replay-log
 * claim (by the capture worker: verify → queue → transaction → durability → retention), then
 * `delivery.added` is announced, the relay hears of it, and the sender gets its answer. Listeners
 * and the tunnel client only build an IncomingRequest and call `handle`. A tunnelled delivery
 * the relay sent again (found in the insert's transaction) gets the answer of the copy stored
 * before, and is neither stored, announced nor relayed again.
 */
export class CapturePipeline implements CaptureIngress {
  constructor(private readonly deps: CapturePipelineDeps) {}

  async handle(request: IncomingRequest): Promise<OutgoingResponse> {
    try {
      return await this.capture(request)
    } catch (error) {
      // Nothing above should throw; if it does, the sender still gets an answer.
      this.deps.logger.error('capture failed', { endpoint: request.endpointId, error: error instanceof Error ? error.stack : String(error) })
      return storeUnavailable(this.deps.health.current().state)
    }
  }

  private async capture(request: IncomingRequest): Promise<OutgoingResponse> {
    const id = this.deps.nextId()
    if (request.method === 'CONNECT') {
      const refused = connectRefused(id)
      const outcome = await this.store(request, id, refused, false, null)
      return outcome.kind === 'repeated' ? outcome.answer : refused
    }
    const rule = this.match(request)
    if (rule?.mode === 'passthrough') return this.passthrough(request, id, rule)
    // Decided before storing, so the stored answer is the one the sender gets (failure rate included).
    const response = renderResponse(
      this.deps.endpoint(request.endpointId) ?? fallbackEndpoint(request.endpointId),
      { id, truncated: request.truncated },
      this.deps.random
    )
    // Stored with the delivery, in its transaction: once the sender has its answer, the relay is pending.
    const relayAttempt = rule ? this.firstAttempt(request, id, rule) : null
    // Nobody reads the body after the store unless the relay forwards it.
    const outcome = await this.store(request, id, response, relayAttempt === null, relayAttempt)
    if (outcome.kind === 'failed') return storeUnavailable(this.deps.health.current().state)
    // Its first attempt was not stored either: the relay already had the copy stored before.
    if (outcome.kind === 'repeated') return outcome.answer
    if (rule && relayAttempt) this.afterStored(request, id, rule, relayAttempt)
    return response
  }

  /**
   * The sender gets the target's answer; the delivery is stored meanwhile, and its recorded answer
   * is filled in when the target has answered. A tunnelled delivery may be a repeat, which only
   * the store can tell and which must not reach the target twice: the target is called once the
   * store has answered (for those, the store's latency adds to the target's).
   */
  private async passthrough(request: IncomingRequest, id: string, rule: MatchedRule): Promise<OutgoingResponse> {
    const insert = this.insert(request, id, null, false)
    const stored = insert.then(() => undefined)
    // The relay hears of a failed store through `stored`; this branch only keeps it handled here.
    stored.catch(() => undefined)
    const mayBeRepeat = tunnelDeliveryIdOf(request.source) !== null
    let answer = mayBeRepeat ? null : this.deps.relay!.passthrough(id, request, rule, stored)
    const outcome = await this.announce(request, id, null, insert)
    if (outcome.kind === 'repeated') return outcome.answer
    answer ??= this.deps.relay!.passthrough(id, request, rule, stored)
    const response = await answer
    if (outcome.kind === 'stored') {
      this.deps.store.write('delivery.respond', { id, response: recordResponse(response) }).then(
        (summary) => {
          if (summary) this.deps.emit({ type: 'delivery.updated', delivery: summary })
        },
        (error: unknown) => this.deps.logger.warn('could not record the answer to a delivery', { id, error: (error as Error).message })
      )
    }
    return response
  }

  /** Stores the delivery and announces it. */
  private store(
    request: IncomingRequest,
    id: string,
    response: OutgoingResponse,
    transfer: boolean,
    relayAttempt: AttemptRecord | null
  ): Promise<StoreOutcome> {
    const recorded = recordResponse(response)
    return this.announce(request, id, recorded, this.insert(request, id, recorded, transfer, relayAttempt))
  }

  private insert(request: IncomingRequest, id: string, response: RecordedResponse | null, transfer: boolean, relayAttempt: AttemptRecord | null = null) {
    // Writing more into a damaged file can spread the damage: until Hookscope restarts on a
    // repaired store, deliveries fail here (counted by StoreHealth like any failed write).
    if (this.deps.health.current().state === 'damaged') {
      return Promise.reject(new StoreWriteError('STORE_DAMAGED', 'the database is damaged: nothing more is written to it'))
    }
    const input: WriteInput<'delivery.insert'> = { delivery: newDelivery(request, id, response), checkedAt: this.deps.clock.now() }
    if (relayAttempt) input.relayAttempt = relayAttempt
    return this.deps.store.write('delivery.insert', input, { transfer })
  }

  private async announce(
    request: IncomingRequest,
    id: string,
    response: RecordedResponse | null,
    insert: Promise<WriteOutput<'delivery.insert'>>
  ): Promise<StoreOutcome> {
    let stored: WriteOutput<'delivery.insert'>
    try {
      stored = await insert
    } catch (error) {
      this.deps.health.reportWriteFailure(error)
      return { kind: 'failed' }
    }
    this.deps.health.reportWriteSuccess()
    if ('repeatOf' in stored) return { kind: 'repeated', answer: repeatedDelivery(stored.repeatOf.id, stored.repeatOf.responseStatus) }
    const delivery = summarizeDelivery({
      ...request,
      id,
      contentType: contentTypeOf(request.headers),
      responseStatus: response?.status ?? 0,
      verdict: stored.verdict,
      eventType: stored.eventType
    })
    this.deps.emit({ type: 'delivery.added', delivery })
    return { kind: 'stored' }
  }

  private match(request: IncomingRequest): MatchedRule | null {
    if (!this.deps.relay) return null
    try {
      return this.deps.relay.match(request)
    } catch (error) {
      this.deps.logger.error('relay rule matching failed; the delivery is captured without relaying', { error: (error as Error).message })
      return null
    }
  }

  /** null (logged) if the relay cannot make one: the delivery is then captured without relaying. */
  private firstAttempt(request: IncomingRequest, id: string, rule: MatchedRule): AttemptRecord | null {
    try {
      return this.deps.relay!.firstAttempt(id, request, rule)
    } catch (error) {
      this.deps.logger.error('the relay could not schedule a delivery', { id, error: (error as Error).message })
      return null
    }
  }

  private afterStored(request: IncomingRequest, id: string, rule: MatchedRule, first: AttemptRecord): void {
    try {
      this.deps.relay!.afterStored(id, request, rule, first)
    } catch (error) {
      this.deps.logger.error('the relay could not schedule a delivery', { id, error: (error as Error).message })
    }
  }
}

/** An endpoint deleted while its last requests were in flight: they still get the default answer. */
function fallbackEndpoint(id: string): EndpointConfig {
  return { id, name: id, host: '', port: 0, enabled: false, maxBodyBytes: DEFAULT_MAX_BODY_BYTES, response: DEFAULT_RESPONSE, tls: DEFAULT_TLS }
}
