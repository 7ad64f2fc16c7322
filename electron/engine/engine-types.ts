import type { DeliveryQuery, EngineEvent } from '../../shared/api/contract'
import type { Durability } from '../../shared/model/durability'
import type { Timers } from './relay/timers'
import type { StoreCheckLimits } from './store/store-check'

/** Wall-clock source, injected so tests can pin time. */
export interface Clock {
  now(): number
}

/** Structured logger. Never pass secrets or payload bytes in `fields`. */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void
  info(message: string, fields?: Record<string, unknown>): void
  warn(message: string, fields?: Record<string, unknown>): void
  error(message: string, fields?: Record<string, unknown>): void
}

export interface RetentionLimits {
  /** Oldest deliveries are evicted beyond this many. */
  maxDeliveries: number
  /** ...or beyond this many stored body bytes. */
  maxBytes: number
}

export interface CaptureTimeouts {
  /** A client must finish sending its request head within this. */
  headersMs: number
  /** ...and the whole request within this. */
  requestMs: number
  /** How often Node checks the two above (it cannot be finer than this). */
  checkIntervalMs: number
  /** Idle keep-alive connections are closed after this. */
  keepAliveMs: number
}

export interface EngineConfig {
  /** Folder holding hookscope.db (created if missing). */
  dataDir: string
  /** Shown in app.info; the UI uses it to decide e.g. whether to offer native dialogs. */
  host: 'desktop' | 'headless'
  version: string
  /** Path to a better-sqlite3 addon built for the current runtime (Electron's ABI differs from Node's). */
  nativeBinding?: string
  retention?: Partial<RetentionLimits>
  /** Unlocks (or creates) the passphrase-protected keyring at start (headless: HOOKSCOPE_PASSPHRASE). */
  passphrase?: string
  timeouts?: Partial<CaptureTimeouts>
  /** Sets the data folder's durability level (kept for later starts); absent: the folder's own, `crash` by default. */
  durability?: Durability
  /** Request bodies held in memory at once, across endpoints; beyond it senders get 503 (default 256 MiB). */
  maxInFlightBodyBytes?: number
  /** Bounds of the page check at open (store/store-check.ts); tests lower them to reach the bounded walk. */
  storeCheck?: Omit<StoreCheckLimits, 'now'>
}

/**
 * Protects the keyring's data key with something outside the data folder. The desktop shell
 * passes one backed by Electron's safeStorage (the OS keychain); headless runs use a passphrase.
 */
export interface KeyProtector {
  kind: 'os'
  protect(plain: Buffer): Buffer
  unprotect(wrapped: Buffer): Buffer
}

export interface EngineDeps {
  clock: Clock
  logger: Logger
  keyProtector?: KeyProtector
  /** Desktop: the native save dialog, for `deliveries.export`. Headless pages stream exports over HTTP. */
  chooseSavePath?: (suggestedName: string) => Promise<string | null>
  /** Timers for relay retries and batch pacing; tests pass fake ones with a fake clock. */
  timers?: Timers
}

export interface Engine {
  /** Validates `params` against the shared contract, then runs the method. Throws EngineError. */
  invoke(method: string, params: unknown): Promise<unknown>
  subscribe(listener: (event: EngineEvent) => void): () => void
  /** Starts every enabled endpoint. Endpoints that fail to bind are reported in their state, not thrown. */
  start(): Promise<void>
  /** Stops accepting, answers what is in flight, flushes the store and closes it. Idempotent. */
  stop(): Promise<void>
  /** The deliveries a query matches as NDJSON or HAR text, read as consumed (the HTTP server streams it). */
  exportDeliveries(format: 'ndjson' | 'har', query: DeliveryQuery): { total: number; chunks: Iterable<string> }
}

export const DEFAULT_RETENTION: RetentionLimits = { maxDeliveries: 100_000, maxBytes: 1024 * 1024 * 1024 }
export const DEFAULT_TIMEOUTS: CaptureTimeouts = {
  headersMs: 15_000,
  requestMs: 60_000,
  checkIntervalMs: 1_000,
  keepAliveMs: 5_000
}
