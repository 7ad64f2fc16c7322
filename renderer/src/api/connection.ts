import type { EngineClient } from '../../../shared/api/contract'
import type { DeliveryExporter } from './delivery-exporter'

/**
 * How live the event stream is. IPC is always 'connected'; the WebSocket can drop and come back.
 * 'wrong-token' and 'earlier-run' are final: the server refused our token (HTTP 401), and the page
 * can do nothing but say so; 'earlier-run' when the server is a later run than the one that
 * printed our address (a restart), 'wrong-token' otherwise.
 */
export type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting' | 'wrong-token' | 'earlier-run'

export type AuthFailure = Extract<ConnectionStatus, 'wrong-token' | 'earlier-run'>

export function isAuthFailure(status: ConnectionStatus): status is AuthFailure {
  return status === 'wrong-token' || status === 'earlier-run'
}

export interface ConnectionMonitor {
  getStatus(): ConnectionStatus
  onChange(listener: () => void): () => void
}

/** What a transport hands to the app: the engine API plus the state of its event stream. */
export interface EngineConnection {
  client: EngineClient
  connection: ConnectionMonitor
  /** Saves the deliveries a query matches (a download, or a file the desktop asks for). */
  exporter: DeliveryExporter
  /**
   * The event stream announces `stream.reset` each time it (re)opens, the first time included:
   * stores load then, and not before (loading earlier as well fetched everything twice).
   */
  resetsWhenLive: boolean
}

export const ALWAYS_CONNECTED: ConnectionMonitor = {
  getStatus: () => 'connected',
  onChange: () => () => {}
}
