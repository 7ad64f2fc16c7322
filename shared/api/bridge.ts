import type { EngineEvent } from './contract'
import type { WireResult } from './result'

/**
 * What the Electron preload exposes as `window.hookscope` (contextBridge). Deliberately tiny:
 * no raw ipcRenderer, no channel names, results as values (Electron drops error fields).
 */
export interface PreloadBridge {
  invoke(method: string, params: unknown): Promise<WireResult<unknown>>
  subscribe(listener: (event: EngineEvent) => void): () => void
}

export const IPC_INVOKE_CHANNEL = 'hookscope:invoke'
export const IPC_EVENT_CHANNEL = 'hookscope:event'
