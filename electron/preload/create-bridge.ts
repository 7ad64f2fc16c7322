import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL, type PreloadBridge } from '../../shared/api/bridge'
import type { EngineEvent } from '../../shared/api/contract'
import type { WireResult } from '../../shared/api/result'

type IpcListener = (event: unknown, ...args: unknown[]) => void

/** The slice of Electron's ipcRenderer the bridge uses (structural, so it is testable in Node). */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>
  on(channel: string, listener: IpcListener): unknown
  removeListener(channel: string, listener: IpcListener): unknown
}

/**
 * Builds `window.hookscope`. Channel names stay here; the page never gets ipcRenderer nor the
 * IpcRendererEvent (whose `sender` is ipcRenderer itself), only the payload.
 */
export function createPreloadBridge(ipc: IpcRendererLike): PreloadBridge {
  return {
    invoke(method: string, params: unknown): Promise<WireResult<unknown>> {
      return ipc.invoke(IPC_INVOKE_CHANNEL, method, params) as Promise<WireResult<unknown>>
    },
    subscribe(listener: (event: EngineEvent) => void): () => void {
      if (typeof listener !== 'function') throw new TypeError('subscribe expects a function')
      const forward: IpcListener = (_event, payload) => listener(payload as EngineEvent)
      ipc.on(IPC_EVENT_CHANNEL, forward)
      let active = true
      return () => {
        if (!active) return
        active = false
        ipc.removeListener(IPC_EVENT_CHANNEL, forward)
      }
    }
  }
}
