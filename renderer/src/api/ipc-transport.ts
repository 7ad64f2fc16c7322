import type { PreloadBridge } from '../../../shared/api/bridge'
import type { EngineClient, EngineMethod, EngineParams, EngineResult } from '../../../shared/api/contract'
import { unwrapWireResult } from '../../../shared/api/result'
import { EngineError } from '../../../shared/errors'
import { ALWAYS_CONNECTED, type EngineConnection } from './connection'
import { createIpcExporter } from './delivery-exporter'
import { parseWireResult } from './wire-result'

/** Desktop transport: the preload bridge already speaks WireResult; we only restore EngineError. */
export function createIpcTransport(bridge: PreloadBridge): EngineConnection {
  const client: EngineClient = {
    async invoke<M extends EngineMethod>(method: M, params: EngineParams<M>): Promise<EngineResult<M>> {
      let answer: unknown
      try {
        answer = await bridge.invoke(method, params)
      } catch (error) {
        throw new EngineError('TRANSPORT', `IPC failed: ${error instanceof Error ? error.message : String(error)}`)
      }
      // The engine validated the params against the same contract, so the value has this method's type.
      return unwrapWireResult(parseWireResult(answer)) as EngineResult<M>
    },
    subscribe: (listener) => bridge.subscribe(listener)
  }
  // The IPC event channel is live from the first subscription: stores load right away.
  return { client, connection: ALWAYS_CONNECTED, exporter: createIpcExporter(client), resetsWhenLive: false }
}
