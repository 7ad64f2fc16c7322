import type { TunnelErrorCode, TunnelHealth, TunnelProvider, TunnelStatus } from '../../../shared/model/tunnel'
import type { CaptureIngress } from '../capture/capture-types'
import type { Clock, Logger } from '../engine-types'

export interface TunnelLinkDeps {
  endpointId: string
  ingress: CaptureIngress
  clock: Clock
  logger: Logger
  /** The endpoint's body limit, read per delivery. */
  maxBodyBytes(): number
  onHealth(health: TunnelHealth): void
  /** Jitter source, injected for tests; Math.random by default. */
  random?: () => number
  backoff?: { initialMs: number; maxMs: number }
  /** Our own heartbeat to the relay (the relay's interval wins when shorter). */
  heartbeatMs?: number
}

export interface SessionEnd {
  /** The session got as far as connected (a drop after that retries at once, not after a backoff). */
  connected: boolean
  error: { code: TunnelErrorCode; message: string } | null
  /**
   * The client ended the session itself because it could not take what was sent (its store
   * failed): the next attempt waits at least this long (the store's Retry-After), and such ends
   * back off like failed attempts, since the next connection will likely meet the same store.
   */
  retryAfterMs?: number
}

export interface LinkSession {
  done: Promise<SessionEnd>
  close(): void
}

export const DEFAULT_TUNNEL_BACKOFF = { initialMs: 500, maxMs: 30_000 }
/** Consecutive failed attempts after which the status reads offline (retries go on). */
const OFFLINE_AFTER_FAILURES = 3
/** Health updates that are not a status change (RTT, last event, counts) go out at most this often. */
const METRICS_EVERY_MS = 1_000

/**
 * The part every tunnel shares: connect, and when the connection ends, connect again after a
 * backoff with jitter, forever, until stopped; keep a health record and report every change of
 * status at once (metrics at most once a second). Subclasses run one connection at a time.
 */
export abstract class TunnelLink {
  protected readonly health: TunnelHealth
  private stopped = false
  private session: LinkSession | null = null
  private wakeSleep: (() => void) | null = null
  private metricsTimer: NodeJS.Timeout | undefined
  private loopDone: Promise<void> | null = null

  constructor(
    provider: TunnelProvider,
    url: string,
    protected readonly deps: TunnelLinkDeps
  ) {
    this.health = initialHealth(deps.endpointId, provider, url)
  }

  snapshot(): TunnelHealth {
    return structuredClone(this.health)
  }

  start(): void {
    this.loopDone ??= this.loop()
  }

  async stop(): Promise<void> {
    this.stopped = true
    this.session?.close()
    this.wakeSleep?.()
    await this.loopDone
    clearTimeout(this.metricsTimer)
    this.metricsTimer = undefined
    this.setStatus('off', { nextRetryAt: null })
  }

  protected abstract openSession(): LinkSession

  /** Called by the subclass once deliveries can flow. */
  protected connected(publicUrl: string, queued: number): void {
    const now = this.deps.clock.now()
    this.health.failures = 0
    this.health.queue = { atConnect: queued, delivered: 0, drainedAt: queued === 0 ? now : null }
    this.setStatus('connected', { publicUrl, connectedAt: now, lastEventAt: now, error: null, nextRetryAt: null })
  }

  /** A delivery went through (captured and answered). */
  protected delivered(): void {
    this.health.delivered++
    const queue = this.health.queue
    if (queue.drainedAt === null) {
      queue.delivered++
      if (queue.delivered >= queue.atConnect) {
        queue.drainedAt = this.deps.clock.now()
        this.emit()
        return
      }
    }
    this.metricsChanged()
  }

  protected touched(): void {
    this.health.lastEventAt = this.deps.clock.now()
    this.metricsChanged()
  }

  protected measuredRtt(ms: number): void {
    this.health.rttMs = Math.round(ms * 100) / 100
    this.metricsChanged()
  }

  private async loop(): Promise<void> {
    const { backoff = DEFAULT_TUNNEL_BACKOFF, random = Math.random, clock, logger } = this.deps
    this.setStatus('connecting')
    while (!this.stopped) {
      // Read before the session: connecting resets the count shown.
      const failuresBefore = this.health.failures
      this.session = this.openSession()
      const end = await this.session.done
      this.session = null
      if (this.stopped) return
      const failures = end.connected && end.retryAfterMs === undefined ? 0 : failuresBefore + 1
      // Exponential, capped, and jittered (50-100% of the step) so a relay restart is not met by
      // every client at the same instant.
      const step = Math.min(backoff.maxMs, backoff.initialMs * 2 ** Math.min(failures, 20))
      const delay = Math.max(Math.round(step * (0.5 + random() * 0.5)), end.retryAfterMs ?? 0)
      const refused = end.error?.code === 'TUNNEL_UNAUTHORIZED' || end.error?.code === 'TUNNEL_NOT_FOUND'
      const status: TunnelStatus = failures >= OFFLINE_AFTER_FAILURES || refused ? 'offline' : 'reconnecting'
      this.health.failures = failures
      logger.info('tunnel connection ended', { endpoint: this.deps.endpointId, code: end.error?.code ?? 'closed', retryInMs: delay })
      this.setStatus(status, { error: end.error, nextRetryAt: clock.now() + delay })
      await this.sleep(delay)
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms)
      function done() {
        clearTimeout(timer)
        resolve()
      }
      this.wakeSleep = () => {
        this.wakeSleep = null
        done()
      }
    })
  }

  private setStatus(status: TunnelStatus, changes: Partial<TunnelHealth> = {}): void {
    Object.assign(this.health, changes, { status })
    this.emit()
  }

  private metricsChanged(): void {
    if (this.stopped) return
    this.metricsTimer ??= setTimeout(() => {
      this.metricsTimer = undefined
      this.emit()
    }, METRICS_EVERY_MS)
  }

  private emit(): void {
    clearTimeout(this.metricsTimer)
    this.metricsTimer = undefined
    this.deps.onHealth(this.snapshot())
  }
}

/** A tunnel that has not run yet (status `off`). */
export function initialHealth(endpointId: string, provider: TunnelProvider, url: string): TunnelHealth {
  return {
    endpointId,
    provider,
    url,
    status: 'off',
    publicUrl: null,
    rttMs: null,
    lastEventAt: null,
    connectedAt: null,
    nextRetryAt: null,
    failures: 0,
    error: null,
    queue: { atConnect: 0, delivered: 0, drainedAt: null },
    delivered: 0
  }
}
