import { request } from 'node:http'
import type { EngineClient, EngineMethod, EngineParams, EngineResult } from '../../shared/api/contract'
import { API_INVOKE_PREFIX } from '../../shared/api/http-routes'
import { unwrapWireResult, type WireResult } from '../../shared/api/result'
import { EngineError } from '../../shared/errors'

/** The API calls a command makes; the same over a running engine's HTTP API or an engine opened in-process. */
export type EngineInvoker = Pick<EngineClient, 'invoke'>

/**
 * A running engine's API over loopback HTTP (what the headless UI uses), with the token from its
 * engine file. Calls wait as long as the engine takes (a replay waits for its target).
 */
export function remoteEngine(host: string, port: number, token: string): EngineInvoker {
  return {
    invoke<M extends EngineMethod>(method: M, params: EngineParams<M>): Promise<EngineResult<M>> {
      const body = Buffer.from(JSON.stringify(params ?? {}))
      return new Promise((resolve, reject) => {
        const req = request(
          {
            host,
            port,
            method: 'POST',
            path: API_INVOKE_PREFIX + encodeURIComponent(method),
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': String(body.length) }
          },
          (res) => {
            const chunks: Buffer[] = []
            res.on('data', (chunk: Buffer) => chunks.push(chunk))
            res.on('end', () => {
              try {
                resolve(unwrapWireResult(JSON.parse(Buffer.concat(chunks).toString('utf8')) as WireResult<EngineResult<M>>))
              } catch (error) {
                reject(
                  error instanceof EngineError
                    ? error
                    : new EngineError('TRANSPORT', `the running Hookscope answered ${res.statusCode} with something unreadable`)
                )
              }
            })
            res.on('error', (error) => reject(new EngineError('TRANSPORT', `lost the running Hookscope: ${error.message}`)))
          }
        )
        req.on('error', (error) => reject(new EngineError('TRANSPORT', `cannot reach the running Hookscope on ${host}:${port}: ${error.message}`)))
        req.end(body)
      })
    }
  }
}
