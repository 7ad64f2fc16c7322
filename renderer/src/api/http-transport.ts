import type { EngineClient, EngineMethod, EngineParams, EngineResult } from '../../../shared/api/contract'
import { API_EVENTS_PATH, API_INVOKE_PREFIX } from '../../../shared/api/http-routes'
import { unwrapWireResult, type WireResult } from '../../../shared/api/result'
import { EngineError } from '../../../shared/errors'
import type { BackoffPolicy } from './backoff'
import type { EngineConnection } from './connection'
import { openBrowserSocket, ReconnectingEventStream, type OpenSocket } from './event-stream'
import { parseWireResult } from './wire-result'

export interface HttpTransportOptions {
  /** Where the headless server is, e.g. `http://127.0.0.1:4000` (the page's own origin). */
  origin: string
  token: string
  fetch?: typeof fetch
  openSocket?: OpenSocket
  backoff?: BackoffPolicy
}

/** Headless transport (see shared/api/http-routes.ts for the wire shape). */
export function createHttpTransport(options: HttpTransportOptions): EngineConnection {
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init))
  const origin = options.origin.replace(/\/+$/, '')
  const eventsUrl = `${origin.replace(/^http/, 'ws')}${API_EVENTS_PATH}?token=${encodeURIComponent(options.token)}`
  const stream = new ReconnectingEventStream(eventsUrl, options.openSocket ?? openBrowserSocket, options.backoff)

  const client: EngineClient = {
    async invoke<M extends EngineMethod>(method: M, params: EngineParams<M>): Promise<EngineResult<M>> {
      let response: Response
      try {
        response = await doFetch(`${origin}${API_INVOKE_PREFIX}${method}`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${options.token}`, 'Content-Type': 'application/json' },
          body: JSON.stringify(params ?? {})
        })
      } catch (error) {
        throw new EngineError('TRANSPORT', `engine unreachable: ${error instanceof Error ? error.message : String(error)}`)
      }
      let result: WireResult<unknown>
      try {
        result = parseWireResult(await response.json())
      } catch {
        throw new EngineError('TRANSPORT', `unexpected answer from the engine (HTTP ${response.status})`)
      }
      // The server validated the params against the same contract, so the value has this method's type.
      return unwrapWireResult(result) as EngineResult<M>
    },
    subscribe: (listener) => stream.subscribe(listener)
  }
  return { client, connection: stream }
}
