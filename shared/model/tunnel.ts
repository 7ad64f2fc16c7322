/**
 * A tunnel connects an endpoint to a public URL: a Hookscope relay-server channel (bytes kept,
 * the endpoint's answer returned to the sender, deliveries queued while offline) or a smee channel
 * (server-sent events; bodies re-serialised, the sender always gets smee's own 200).
 */
export type TunnelProvider = 'hookscope' | 'smee'

/**
 * - `off`: not configured or disabled
 * - `connecting`: first attempt since it was turned on
 * - `connected`: deliveries flow
 * - `reconnecting`: the connection dropped; retrying with backoff
 * - `offline`: retries keep failing (or the relay refuses the token); still retrying, forever
 */
export type TunnelStatus = 'off' | 'connecting' | 'connected' | 'reconnecting' | 'offline'

export type TunnelErrorCode =
  | 'TUNNEL_UNREACHABLE'
  | 'TUNNEL_UNAUTHORIZED'
  | 'TUNNEL_NOT_FOUND'
  | 'TUNNEL_REFUSED'
  | 'TUNNEL_HEARTBEAT'
  | 'TUNNEL_PROTOCOL'
  | 'TUNNEL_CLOSED'
  | 'TUNNEL_LOCKED'
  /**
   * The local store could not take a delivery the relay had queued (disk full, store damaged or
   * read-only, capture worker down): the client left it on the relay, where it stays at the head of
   * the queue, and reconnects after a backoff to try again. Nothing is lost; nothing flows meanwhile.
   */
  | 'TUNNEL_STORE_UNAVAILABLE'

export interface TunnelHealth {
  endpointId: string
  provider: TunnelProvider
  /** The channel URL the tunnel connects to. */
  url: string
  status: TunnelStatus
  /** Where senders post (known once connected). */
  publicUrl: string | null
  /** Last heartbeat round trip to the relay, ms (null for smee: SSE has no ping back). */
  rttMs: number | null
  /** Last frame or event from the relay (deliveries, heartbeats). */
  lastEventAt: number | null
  connectedAt: number | null
  /** When the next attempt starts, while reconnecting/offline. */
  nextRetryAt: number | null
  /** Consecutive failed attempts. */
  failures: number
  error: { code: TunnelErrorCode; message: string } | null
  /** Deliveries waiting in the relay's queue at the last connect, and how many came through since. */
  queue: { atConnect: number; delivered: number; drainedAt: number | null }
  /** Deliveries received through this tunnel since the engine started. */
  delivered: number
}

/** A tunnel as configured on an endpoint; the token never leaves the engine. */
export interface TunnelConfigView {
  endpointId: string
  url: string
  provider: TunnelProvider
  enabled: boolean
  hasToken: boolean
  /** Whether the token is kept (sealed in the keyring) or only held for this run. */
  tokenStored: boolean
}

export interface TunnelView {
  config: TunnelConfigView
  health: TunnelHealth
}
