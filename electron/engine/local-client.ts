import type { EngineClient, EngineMethod, EngineParams, EngineResult } from '../../shared/api/contract'
import type { Engine } from './engine-types'

/** The typed EngineClient over an in-process engine (CLI, tests): no transport, same contract. */
export function createLocalClient(engine: Pick<Engine, 'invoke' | 'subscribe'>): EngineClient {
  return {
    invoke: <M extends EngineMethod>(method: M, params: EngineParams<M>) => engine.invoke(method, params) as Promise<EngineResult<M>>,
    subscribe: (listener) => engine.subscribe(listener)
  }
}
