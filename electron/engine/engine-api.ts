import type { AppInfo, EngineMethod, EngineResult, ParsedParams } from '../../shared/api/contract'
import { parseParams } from '../../shared/api/validate'
import { EngineError } from '../../shared/errors'
import type { Delivery } from '../../shared/model/delivery'
import type { EndpointManager } from './capture/endpoint-manager'
import type { EventHub } from './event-hub'
import type { DeliveriesRepo } from './store/deliveries-repo'

type Handlers = { [M in EngineMethod]: (params: ParsedParams<M>) => EngineResult<M> | Promise<EngineResult<M>> }

export interface EngineApiDeps {
  info: AppInfo
  deliveries: DeliveriesRepo
  endpoints: EndpointManager
  events: EventHub
}

/**
 * The transport-free API: one handler per contract method. Adapters (IPC, HTTP) call `invoke`
 * with untrusted input; validation happens here, once, for all of them.
 */
export function createEngineApi({ info, deliveries, endpoints, events }: EngineApiDeps) {
  const handlers: Handlers = {
    'app.info': () => info,
    'deliveries.list': (params) => deliveries.list(params),
    'deliveries.get': ({ id }) => {
      const found = deliveries.get(id)
      if (!found) throw new EngineError('NOT_FOUND', `no delivery with id "${id}"`)
      const { body, ...rest } = found
      const delivery: Delivery = { ...rest, bodyBase64: body.toString('base64') }
      return delivery
    },
    'deliveries.delete': ({ id }) => {
      const deleted = deliveries.delete(id)
      if (deleted) events.emit({ type: 'deliveries.removed', ids: [id] })
      return { deleted }
    },
    'deliveries.clear': ({ endpointId }) => {
      const deleted = deliveries.clear(endpointId)
      events.emit({ type: 'deliveries.cleared', endpointId: endpointId ?? null })
      return { deleted }
    },
    'endpoints.list': () => endpoints.list(),
    'endpoints.create': (params) => endpoints.create(params),
    'endpoints.update': ({ id, patch }) => endpoints.update(id, patch),
    'endpoints.delete': async ({ id }) => ({ deleted: await endpoints.delete(id) }),
    'endpoints.start': ({ id }) => endpoints.start(id),
    'endpoints.stop': ({ id }) => endpoints.stop(id)
  }

  return {
    async invoke(method: string, params: unknown): Promise<unknown> {
      const parsed = parseParams(method, params)
      const handler = handlers[method as EngineMethod] as (params: unknown) => unknown
      return handler(parsed)
    }
  }
}
