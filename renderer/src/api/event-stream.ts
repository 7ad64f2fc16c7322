import type { EngineEvent } from '../../../shared/api/contract'
import { type BackoffPolicy, backoffDelay, DEFAULT_BACKOFF } from './backoff'
import { type AuthFailure, type ConnectionMonitor, type ConnectionStatus, isAuthFailure } from './connection'

export interface SocketHandlers {
  onOpen(): void
  onMessage(data: string): void
  onClose(): void
}

/** Opens one socket. A seam so the reconnect logic is tested without a browser. */
export type OpenSocket = (url: string, handlers: SocketHandlers) => { close(): void }

export const openBrowserSocket: OpenSocket = (url, handlers) => {
  const socket = new WebSocket(url)
  socket.onopen = () => handlers.onOpen()
  socket.onmessage = (event) => {
    if (typeof event.data === 'string') handlers.onMessage(event.data)
  }
  // 'error' is always followed by 'close', which is where we reconnect.
  socket.onclose = () => handlers.onClose()
  return { close: () => socket.close() }
}

/**
 * The headless event stream: one WebSocket while anyone listens, reopened with bounded exponential
 * backoff. Every successful open emits a synthetic `stream.reset` so stores (re)fetch: after a
 * reconnect they missed events, and the first one is when they load at all (loading before the
 * socket is open would leave a gap, and loading both times fetched everything twice).
 *
 * A browser never learns why a WebSocket was refused, so after each close `probe` asks the HTTP
 * API (which does say 401); the transport calls `fail` then, and the stream stops for good.
 */
export class ReconnectingEventStream implements ConnectionMonitor {
  private readonly listeners = new Set<(event: EngineEvent) => void>()
  private readonly statusListeners = new Set<() => void>()
  private status: ConnectionStatus = 'connecting'
  /** Identifies the live socket; callbacks from a replaced or closed socket are ignored. */
  private active: object | null = null
  private socket: { close(): void } | null = null
  private attempt = 0
  private timer: ReturnType<typeof setTimeout> | null = null

  constructor(
    private readonly url: string,
    private readonly openSocket: OpenSocket = openBrowserSocket,
    private readonly policy: BackoffPolicy = DEFAULT_BACKOFF,
    /** Runs after each close, while the next attempt waits: may end in `fail` (a refused token). */
    private readonly probe: () => Promise<void> = () => Promise.resolve()
  ) {}

  /** The server refused our token: stop, never reconnect, and say why. */
  fail(reason: AuthFailure): void {
    if (isAuthFailure(this.status)) return
    this.stop()
    this.setStatus(reason)
  }

  subscribe(listener: (event: EngineEvent) => void): () => void {
    this.listeners.add(listener)
    if (this.listeners.size === 1 && !isAuthFailure(this.status)) this.connect()
    return () => {
      if (this.listeners.delete(listener) && this.listeners.size === 0) this.stop()
    }
  }

  getStatus(): ConnectionStatus {
    return this.status
  }

  onChange(listener: () => void): () => void {
    this.statusListeners.add(listener)
    return () => this.statusListeners.delete(listener)
  }

  private connect(): void {
    const token = {}
    this.active = token
    this.socket = this.openSocket(this.url, {
      onOpen: () => {
        if (this.active !== token) return
        this.attempt = 0
        this.setStatus('connected')
        this.emit({ type: 'stream.reset' })
      },
      onMessage: (data) => {
        if (this.active !== token) return
        const event = parseEvent(data)
        if (event) this.emit(event)
      },
      onClose: () => {
        if (this.active !== token) return
        this.active = null
        this.socket = null
        this.setStatus('reconnecting')
        const delay = backoffDelay(this.policy, this.attempt++)
        this.timer = setTimeout(() => {
          this.timer = null
          this.connect()
        }, delay)
        // Meanwhile: was it our token? A local HTTP answer comes well before the first retry.
        void this.probe().catch(() => undefined)
      }
    })
  }

  private stop(): void {
    if (this.timer !== null) clearTimeout(this.timer)
    this.timer = null
    this.active = null
    const socket = this.socket
    this.socket = null
    socket?.close()
    this.attempt = 0
    if (!isAuthFailure(this.status)) this.setStatus('connecting')
  }

  private setStatus(status: ConnectionStatus): void {
    if (status === this.status) return
    this.status = status
    for (const listener of [...this.statusListeners]) listener()
  }

  private emit(event: EngineEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event)
      } catch (error) {
        // One failing consumer must not starve the others or kill the stream.
        console.error('event listener failed', error)
      }
    }
  }
}

function parseEvent(data: string): EngineEvent | null {
  try {
    const value: unknown = JSON.parse(data)
    if (typeof value === 'object' && value !== null && 'type' in value && typeof value.type === 'string') {
      return value as EngineEvent
    }
  } catch {
    // Not JSON: ignore the frame rather than break the stream.
  }
  return null
}
