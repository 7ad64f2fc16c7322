import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from '../../shared/api/bridge'
import type { EngineEvent } from '../../shared/api/contract'
import { toWireFailure, toWireResult, type WireResult } from '../../shared/api/result'
import { EngineError, isEngineError } from '../../shared/errors'
import type { Engine, Logger } from '../engine/engine-types'

// Structural stand-ins for Electron's ipcMain and its invoke event, so this adapter never
// imports 'electron' and runs under vitest in plain Node. Electron's ipcMain satisfies them.
export interface IpcInvokeEventLike {
  readonly senderFrame?: { readonly url?: string } | null
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcInvokeEventLike, ...args: unknown[]) => unknown): void
  removeHandler(channel: string): void
}

export type Broadcast = (channel: string, payload: EngineEvent) => void

const forbidden: WireResult<never> = {
  ok: false,
  error: { code: 'FORBIDDEN', message: 'IPC sender is not the Hookscope renderer' }
}

function senderUrl(event: IpcInvokeEventLike): string | undefined {
  try {
    return event.senderFrame?.url
  } catch {
    // Reading senderFrame after its frame navigated away or was destroyed throws in Electron.
    return undefined
  }
}

/**
 * The desktop transport of the engine API: one invoke channel and one event channel. It only
 * checks who is calling and serialises; the engine validates params against the shared contract.
 * Every call resolves a WireResult, because Electron keeps nothing but `message` of a thrown error.
 */
export function bindEngineIpc(
  ipcMain: IpcMainLike,
  engine: Pick<Engine, 'invoke' | 'subscribe'>,
  isTrustedSender: (frameUrl: string | undefined) => boolean,
  broadcast: Broadcast,
  logger?: Pick<Logger, 'warn' | 'error'>
): () => void {
  ipcMain.handle(IPC_INVOKE_CHANNEL, async (event, method, params): Promise<WireResult<unknown>> => {
    const url = senderUrl(event)
    if (!isTrustedSender(url)) {
      logger?.warn('ipc: refused a call from an untrusted frame', { url: url ?? null })
      return forbidden
    }
    if (typeof method !== 'string') {
      return toWireFailure(new EngineError('BAD_INPUT', 'method must be a string'))
    }
    try {
      return toWireResult(await engine.invoke(method, params))
    } catch (error) {
      // The renderer gets a generic INTERNAL for anything unexpected; the detail stays in the log.
      if (!isEngineError(error)) {
        logger?.error('ipc: engine call failed', { method, error: error instanceof Error ? error.stack : String(error) })
      }
      return toWireFailure(error)
    }
  })

  const unsubscribe = engine.subscribe((event) => broadcast(IPC_EVENT_CHANNEL, event))

  let bound = true
  return () => {
    if (!bound) return
    bound = false
    unsubscribe()
    ipcMain.removeHandler(IPC_INVOKE_CHANNEL)
  }
}
