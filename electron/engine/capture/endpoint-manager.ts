import type { EngineEvent } from '../../../shared/api/contract'
import { EngineError, type ErrorCode, isEngineError } from '../../../shared/errors'
import {
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_RESPONSE,
  DEFAULT_TLS,
  type Endpoint,
  type EndpointConfig,
  type EndpointResponse,
  type EndpointState
} from '../../../shared/model/endpoint'
import type { EndpointTlsConfig } from '../../../shared/model/tls'
import type { CaptureTimeouts, Clock, Logger } from '../engine-types'
import type { EndpointsRepo } from '../store/endpoints-repo'
import type { LocalCa } from '../tls/local-ca'
import { type PreparedTlsEndpoint, prepareTlsEndpoint } from '../tls/tls-endpoint'
import type { TrustedIssuers } from '../tls/trusted-issuers'
import { CaptureListener, type RejectedTlsConnection } from './capture-listener'
import type { CaptureIngress } from './capture-types'
import { displayUrl } from './display-url'
import type { InFlightBudget } from './in-flight-budget'

export interface EndpointManagerDeps {
  repo: EndpointsRepo
  clock: Clock
  logger: Logger
  timeouts: CaptureTimeouts
  /** Where every listener hands its requests (the capture pipeline). */
  ingress: CaptureIngress
  budget: InFlightBudget
  emit: (event: EngineEvent) => void
  /** Certificates for https endpoints; their server keys are sealed in the keyring. */
  certificates: { localCa: LocalCa; issuers: TrustedIssuers }
  vaultUnlocked: () => boolean
  /** Resolves once recorded (never rejects). */
  onRejected: (endpointId: string, connection: RejectedTlsConnection) => Promise<void>
}

export interface NewEndpoint {
  id?: string
  name: string
  host?: string
  port?: number
  enabled?: boolean
  maxBodyBytes?: number
  response?: EndpointResponseInput
  tls?: Partial<EndpointTlsConfig>
}

/** A response as callers may give it: the delay and the failure rate default to none. */
export type EndpointResponseInput = Pick<EndpointResponse, 'status' | 'headers' | 'body'> & Partial<EndpointResponse>

export type EndpointPatch = Partial<Omit<EndpointConfig, 'id' | 'tls' | 'response'>> & {
  tls?: Partial<EndpointTlsConfig>
  response?: EndpointResponseInput
}

const STOPPED: EndpointState = { status: 'stopped', port: null, url: null, error: null, code: null }

/**
 * Endpoints: their saved configuration and their listeners. `enabled` is the user's intent and
 * survives restarts (start/stop change it); engine shutdown stops listeners without touching it.
 * Operations on one endpoint run one after another so a start cannot race a stop. HTTPS endpoints
 * follow the engine's own events: they start once the keyring unlocks, and restart with a new
 * server certificate when the local CA is regenerated, whoever asked for it (UI, CLI, API).
 */
export class EndpointManager {
  private readonly configs = new Map<string, EndpointConfig>()
  private readonly states = new Map<string, EndpointState>()
  private readonly listeners = new Map<string, CaptureListener>()
  /** The local CA each running HTTPS listener's certificate comes from. */
  private readonly listenerCa = new Map<string, string | undefined>()
  private readonly queues = new Map<string, Promise<unknown>>()

  constructor(private readonly deps: EndpointManagerDeps) {
    for (const config of deps.repo.list()) this.configs.set(config.id, config)
  }

  list(): Endpoint[] {
    return [...this.configs.keys()].map((id) => this.view(id))
  }

  get(id: string): Endpoint {
    return this.view(this.config(id).id)
  }

  /** The saved configuration, or undefined for an unknown (or just deleted) endpoint. */
  configOf(id: string): EndpointConfig | undefined {
    return this.configs.get(id)
  }

  async create(input: NewEndpoint): Promise<Endpoint> {
    const id = input.id ?? this.freeId(input.name)
    if (this.configs.has(id)) throw new EngineError('CONFLICT', `an endpoint with id "${id}" already exists`)
    const config: EndpointConfig = {
      id,
      name: input.name,
      host: input.host ?? '127.0.0.1',
      port: input.port ?? 0,
      enabled: input.enabled ?? true,
      maxBodyBytes: input.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
      response: { ...DEFAULT_RESPONSE, ...input.response },
      tls: { ...DEFAULT_TLS, ...input.tls }
    }
    this.deps.repo.save(config, this.deps.clock.now())
    this.configs.set(id, config)
    if (config.enabled) return this.start(id)
    return this.changed(id)
  }

  async update(id: string, patch: EndpointPatch): Promise<Endpoint> {
    this.config(id)
    return this.serialize(id, async () => {
      const before = this.config(id)
      const { tls, response, ...rest } = patch
      const after: EndpointConfig = {
        ...before,
        ...definedOnly(rest),
        ...(response ? { response: { ...DEFAULT_RESPONSE, ...response } } : {}),
        tls: { ...before.tls, ...definedOnly(tls ?? {}) }
      }
      this.deps.repo.save(after, this.deps.clock.now())
      this.configs.set(id, after)
      const rebind = after.host !== before.host || after.port !== before.port || JSON.stringify(after.tls) !== JSON.stringify(before.tls)
      const running = this.listeners.has(id)
      if (running && (rebind || !after.enabled)) await this.closeListener(id)
      if (after.enabled && !this.listeners.has(id)) await this.openListener(id)
      return this.changed(id)
    })
  }

  async delete(id: string): Promise<boolean> {
    if (!this.configs.has(id)) return false
    await this.serialize(id, () => this.closeListener(id))
    this.deps.repo.delete(id)
    this.configs.delete(id)
    this.states.delete(id)
    this.deps.emit({ type: 'endpoint.removed', id })
    return true
  }

  start(id: string): Promise<Endpoint> {
    return this.update(id, { enabled: true })
  }

  stop(id: string): Promise<Endpoint> {
    return this.update(id, { enabled: false })
  }

  /** Engine start: open every enabled endpoint. Bind failures land in each endpoint's state. */
  async startEnabled(): Promise<void> {
    const enabled = [...this.configs.values()].filter((config) => config.enabled)
    await Promise.all(enabled.map((config) => this.serialize(config.id, () => this.openListener(config.id))))
  }

  /** Engine events that change what HTTPS endpoints can do. */
  handleEngineEvent(event: EngineEvent): void {
    if (event.type === 'keys.changed' && this.deps.vaultUnlocked()) void this.startWaitingForKeyring()
    else if (event.type === 'certificates.changed') void this.restartOnNewCa()
  }

  /** HTTPS endpoints that could not start while the keyring was locked (their key is sealed in it). */
  private async startWaitingForKeyring(): Promise<void> {
    const waiting = [...this.configs.values()].filter((config) => config.enabled && this.states.get(config.id)?.code === 'VAULT_LOCKED')
    await Promise.all(waiting.map((config) => this.serialize(config.id, () => this.openListener(config.id))))
  }

  /** Running HTTPS listeners present a certificate from the CA they started with: a new CA means a restart. */
  private async restartOnNewCa(): Promise<void> {
    const current = this.deps.certificates.localCa.current()?.id
    const stale = [...this.listenerCa].filter(([, ca]) => ca !== current).map(([id]) => id)
    await Promise.all(
      stale.map((id) =>
        this.serialize(id, async () => {
          if (!this.listenerCa.has(id) || this.listenerCa.get(id) === this.deps.certificates.localCa.current()?.id) return
          this.deps.logger.info('restarting an https endpoint with a certificate from the new CA', { endpoint: id })
          await this.closeListener(id)
          if (this.configs.get(id)?.enabled) await this.openListener(id)
        })
      )
    )
  }

  /** Resolves when no start, stop or restart is under way (after the one an event triggered, say). */
  async settled(): Promise<void> {
    while (this.queues.size > 0) await Promise.all(this.queues.values())
  }

  /** Engine shutdown: close every listener, answering what is in flight; `enabled` is kept. */
  async closeAll(): Promise<void> {
    await Promise.all([...this.listeners.keys()].map((id) => this.serialize(id, () => this.closeListener(id))))
  }

  private async openListener(id: string): Promise<void> {
    const config = this.config(id)
    if (this.listeners.has(id)) return
    let tls: PreparedTlsEndpoint | null
    try {
      // Issues (or reuses) the server certificate; needs the keyring unlocked (the key is sealed).
      tls = prepareTlsEndpoint(this.deps.certificates, config.tls)
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      this.setState(id, { status: 'error', port: null, url: null, error: `TLS: ${message}`, code: errorCode(error) })
      return
    }
    const ca = tls ? this.deps.certificates.localCa.current()?.id : undefined
    const listener = new CaptureListener({
      endpointId: id,
      tls,
      onRejected: (connection) => this.deps.onRejected(id, connection),
      endpoint: () => this.configs.get(id) ?? config,
      timeouts: this.deps.timeouts,
      clock: this.deps.clock,
      logger: this.deps.logger,
      ingress: this.deps.ingress,
      budget: this.deps.budget
    })
    this.setState(id, { status: 'starting', port: null, url: null, error: null, code: null })
    try {
      const port = await listener.listen(config.host, config.port)
      this.listeners.set(id, listener)
      if (tls) this.listenerCa.set(id, ca)
      const scheme = config.tls.mode === 'http' ? 'http' : 'https'
      this.setState(id, { status: 'listening', port, url: displayUrl(scheme, config.host, port), error: null, code: null })
      this.deps.logger.info('endpoint listening', { endpoint: id, host: config.host, port })
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      this.setState(id, { status: 'error', port: null, url: null, error: message, code: errorCode(error) })
      this.deps.logger.warn('endpoint could not start', { endpoint: id, error: message })
    }
  }

  private async closeListener(id: string): Promise<void> {
    const listener = this.listeners.get(id)
    if (!listener) return
    this.listeners.delete(id)
    this.listenerCa.delete(id)
    await listener.close()
    this.setState(id, STOPPED)
  }

  private setState(id: string, state: EndpointState): void {
    this.states.set(id, state)
    this.changed(id)
  }

  private changed(id: string): Endpoint {
    const endpoint = this.view(id)
    this.deps.emit({ type: 'endpoint.changed', endpoint })
    return endpoint
  }

  private view(id: string): Endpoint {
    return { ...this.config(id), state: this.states.get(id) ?? STOPPED }
  }

  /** The endpoint's saved configuration, or undefined (the tunnel client reads body limits from it). */
  find(id: string): EndpointConfig | undefined {
    return this.configs.get(id)
  }

  private config(id: string): EndpointConfig {
    const config = this.configs.get(id)
    if (!config) throw new EngineError('NOT_FOUND', `no endpoint with id "${id}"`)
    return config
  }

  private freeId(name: string): string {
    const base =
      name
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-+|-+$/g, '')
        .slice(0, 32) || 'endpoint'
    let id = base
    for (let n = 2; this.configs.has(id); n++) id = `${base}-${n}`
    return id
  }

  private serialize<T>(id: string, operation: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(id) ?? Promise.resolve()
    const next = previous.then(operation, operation)
    const settled = next.catch(() => undefined)
    this.queues.set(id, settled)
    void settled.then(() => {
      if (this.queues.get(id) === settled) this.queues.delete(id)
    })
    return next
  }
}

function errorCode(error: unknown): ErrorCode {
  return isEngineError(error) ? error.code : 'INTERNAL'
}

function definedOnly<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined)) as Partial<T>
}
