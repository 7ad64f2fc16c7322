import type { EngineClient } from '../../../shared/api/contract'

/** How live the event stream is. IPC is always 'connected'; the WebSocket can drop and come back. */
export type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting'

export interface ConnectionMonitor {
  getStatus(): ConnectionStatus
  onChange(listener: () => void): () => void
}

/** What a transport hands to the app: the engine API plus the state of its event stream. */
export interface EngineConnection {
  client: EngineClient
  connection: ConnectionMonitor
}

export const ALWAYS_CONNECTED: ConnectionMonitor = {
  getStatus: () => 'connected',
  onChange: () => () => {}
}
