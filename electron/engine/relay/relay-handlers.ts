import type { EngineResult, ParsedParams } from '../../../shared/api/contract'
import { EngineError } from '../../../shared/errors'
import { type AttemptRecord, toAttempt } from './attempt-record'
import type { AttemptsStore } from './attempts-repo'
import type { Relay } from './relay'

type RelayMethod =
  | 'forwarding.get'
  | 'forwarding.set'
  | 'attempts.list'
  | 'attempts.get'
  | 'attempts.retryNow'
  | 'attempts.cancel'
  | 'replay.send'
  | 'replay.start'
  | 'replay.batch'
  | 'replay.cancel'
  | 'sender.templates'
  | 'sender.send'

/** The relay's part of the engine API (contract: shared/api/relay-schemas.ts). */
export function relayHandlers(
  relay: Relay,
  store: AttemptsStore
): {
  [M in RelayMethod]: (params: ParsedParams<M>) => EngineResult<M> | Promise<EngineResult<M>>
} {
  const whole = (record: AttemptRecord) => toAttempt(record, record.requestBody || !record.deliveryId ? null : store.deliveryBody(record.deliveryId))
  return {
    'forwarding.get': ({ endpointId }) => relay.rules.get(endpointId),
    'forwarding.set': ({ endpointId, rules, fallback }) => relay.rules.set(endpointId, rules, fallback),
    'attempts.list': (params) => store.list(params),
    'attempts.get': ({ id }) => {
      const record = store.get(id)
      if (!record) throw new EngineError('NOT_FOUND', `no attempt with id "${id}"`)
      return whole(record)
    },
    'attempts.retryNow': ({ deliveryId }) => relay.scheduler.retryNow(deliveryId),
    'attempts.cancel': async ({ deliveryId }) => ({ cancelled: await relay.scheduler.cancel(deliveryId) }),
    'replay.send': async (params) => whole(await relay.replays.replay(params)),
    'replay.start': (params) => relay.replays.start(params),
    'replay.batch': ({ batchId }) => relay.batches.get(batchId),
    'replay.cancel': ({ batchId }) => relay.batches.cancel(batchId),
    'sender.templates': ({ scheme }) => relay.sender.templates(scheme),
    'sender.send': async (params) => {
      const { batch, attempts } = await relay.sender.send(params)
      return { batch, attempts: attempts.map(whole) }
    }
  }
}
