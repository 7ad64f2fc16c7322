import type { EngineClient, EngineMethod, EngineParams, EngineResult } from '../../../shared/api/contract'
import { API_EVENTS_PATH, API_INVOKE_PREFIX, RUN_ID_HEADER } from '../../../shared/api/http-routes'
import { unwrapWireResult, type WireResult } from '../../../shared/api/result'
import { EngineError } from '../../../shared/errors'
import { downloadBlob } from '../lib/download'
import type { BackoffPolicy } from './backoff'
import type { EngineConnection } from './connection'
import { createHttpExporter } from './delivery-exporter'
import { type OpenSocket, openBrowserSocket, ReconnectingEventStream } from './event-stream'
import { parseWireResult } from './wire-result'

export interface HttpTransportOptions {
  /** Where the headless server is, e.g. `http://127.0.0.1:4000` (the page's own origin). */
  origin: string
  token: string
  /** The engine run that printed our address (`&run=` in it), when known. */
  runId?: string | null
  fetch?: typeof fetch
  openSocket?: OpenSocket
  backoff?: BackoffPolicy
  /** Where a finished export goes; a browser download by default. */
  saveExport?: (blob: Blob, fileName: string) => void
}

/** Headless transport (see shared/api/http-routes.ts for the wire shape). */
export function createHttpTransport(options: HttpTransportOptions): EngineConnection {
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init))
  const origin = options.origin.replace(/\/+$/, '')
  const eventsUrl = `${origin.replace(/^http/, 'ws')}${API_EVENTS_PATH}?token=${encodeURIComponent(options.token)}`
  /** Our run: from the address, else the first answer that accepted our token. */
  let ourRun = options.runId ?? null
  const probe = async () => {
    try {
      await client.invoke('app.info', {})
    } catch {
      // Unreachable or refused: invoke already reported a refusal to the stream.
    }
  }
  const stream = new ReconnectingEventStream(eventsUrl, options.openSocket ?? openBrowserSocket, options.backoff, probe)

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
      const answeringRun = response.headers.get(RUN_ID_HEADER)
      if (response.status === 401) {
        // Final: no retry will make this token good. A later run means the server was restarted.
        const earlier = ourRun !== null && answeringRun !== null && answeringRun !== ourRun
        stream.fail(earlier ? 'earlier-run' : 'wrong-token')
        throw new EngineError('UNAUTHORIZED', earlier ? 'this tab belongs to an earlier run of Hookscope' : 'the server refused this page’s token')
      }
      if (response.ok && ourRun === null && answeringRun !== null) ourRun = answeringRun
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
  const exporter = createHttpExporter({ origin, token: options.token, fetch: doFetch, save: options.saveExport ?? downloadBlob })
  return { client, connection: stream, exporter, resetsWhenLive: true }
}
