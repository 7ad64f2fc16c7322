import type { EngineMethod, EngineParams, EngineResult } from '../../shared/api/contract'
import type { ListenProcess } from './cli-process'

/**
 * Calls the engine through the headless server's HTTP API, as the UI does (token, same origin);
 * rejects with an Error whose message is the engine's error code.
 */
export async function invokeUi<M extends EngineMethod>(ui: NonNullable<ListenProcess['ui']>, method: M, params: EngineParams<M>): Promise<EngineResult<M>> {
  const response = await fetch(`${ui.origin}/api/invoke/${method}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${ui.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(params),
    signal: AbortSignal.timeout(10_000)
  })
  const result = (await response.json()) as { ok: true; value: EngineResult<M> } | { ok: false; error: { code: string } }
  if (!result.ok) throw new Error(result.error.code)
  return result.value
}
