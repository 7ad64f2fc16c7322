import type { EngineEvent } from '../../../shared/api/contract'
import { EngineError, isEngineError } from '../../../shared/errors'
import type { TunnelConfigView, TunnelHealth, TunnelView } from '../../../shared/model/tunnel'
import type { CaptureIngress } from '../capture/capture-types'
import type { Clock, Logger } from '../engine-types'
import type { Sealer } from '../tls/sealer'
import { RelayLink } from './relay-link'
import { SmeeLink } from './smee-link'
import { initialHealth, type TunnelLink } from './tunnel-link'
import { parseTunnelUrl, type TunnelTarget } from './tunnel-url'
import type { TunnelRow, TunnelsRepo } from './tunnels-repo'

export interface TunnelManagerDeps {
  repo: TunnelsRepo
  /** The keyring: client tokens are kept sealed under its data key. */
  sealer: Sealer
  ingress: CaptureIngress
  clock: Clock
  logger: Logger
  emit(event: EngineEvent): void
  /** The endpoint's body limit, or undefined when there is no such endpoint. */
  endpointBodyLimit(endpointId: string): number | undefined
  /** Test seam: backoff and heartbeat of the links. */
  linkOptions?: { backoff?: { initialMs: number; maxMs: number }; heartbeatMs?: number }
}

interface Entry {
  row: TunnelRow
  target: TunnelTarget
  /** The token in memory: given this run, or unsealed from the row. */
  token: string | null
  link: TunnelLink | null
  /** Health while no link runs (off, or waiting for the keyring). */
  idle: TunnelHealth
}

export interface TunnelPatch {
  url?: string
  token?: string | null
  enabled?: boolean
}

/**
 * The tunnels of every endpoint: their saved configuration, their client tokens (sealed in the
 * keyring; held for the run only while it is locked) and their running links. Health changes go
 * out as `tunnel.changed` events.
 */
export class TunnelManager {
  private readonly entries = new Map<string, Entry>()
  private started = false

  constructor(private readonly deps: TunnelManagerDeps) {
    for (const row of deps.repo.list()) {
      const target = parseTunnelUrl(row.url)
      if (!target) {
        deps.logger.warn('a saved tunnel has a URL Hookscope cannot use; ignored', { endpoint: row.endpointId })
        continue
      }
      this.entries.set(row.endpointId, { row, target, token: null, link: null, idle: offHealth(row.endpointId, target) })
    }
  }

  list(): TunnelView[] {
    return [...this.entries.values()].map((entry) => this.view(entry))
  }

  /** Engine start: run every enabled tunnel. */
  startAll(): void {
    this.started = true
    for (const entry of this.entries.values()) this.run(entry)
  }

  async stopAll(): Promise<void> {
    this.started = false
    await Promise.all([...this.entries.values()].map((entry) => this.halt(entry)))
  }

  async set(endpointId: string, patch: TunnelPatch): Promise<TunnelView> {
    if (this.deps.endpointBodyLimit(endpointId) === undefined) throw new EngineError('NOT_FOUND', `no endpoint with id "${endpointId}"`)
    const existing = this.entries.get(endpointId)
    const url = patch.url ?? existing?.row.url
    if (url === undefined) throw new EngineError('BAD_INPUT', 'a tunnel needs a URL')
    const target = parseTunnelUrl(url)
    if (!target) throw new EngineError('BAD_INPUT', `not a tunnel URL: give a relay-server channel URL (https://host/c/<id>) or a smee channel URL`)
    let token = existing?.token ?? null
    let sealedToken = existing?.row.sealedToken ?? null
    if (patch.token !== undefined) {
      token = patch.token
      sealedToken = patch.token === null ? null : this.trySeal(endpointId, patch.token)
    }
    if (target.provider === 'hookscope' && token === null && sealedToken === null) {
      throw new EngineError('BAD_INPUT', 'a relay-server channel needs its client token (from POST /channels)')
    }
    const row: TunnelRow = { endpointId, url: target.url, enabled: patch.enabled ?? existing?.row.enabled ?? true, sealedToken }
    this.deps.repo.save(row, this.deps.clock.now())
    if (existing) await this.halt(existing)
    const entry: Entry = { row, target, token, link: null, idle: offHealth(endpointId, target) }
    this.entries.set(endpointId, entry)
    if (this.started) this.run(entry)
    else this.changed(entry)
    return this.view(entry)
  }

  async remove(endpointId: string): Promise<boolean> {
    const entry = this.entries.get(endpointId)
    if (!entry) return false
    this.entries.delete(endpointId)
    await this.halt(entry)
    this.deps.repo.delete(endpointId)
    this.deps.emit({ type: 'tunnel.removed', endpointId })
    return true
  }

  /** The keyring was unlocked: tunnels waiting for their sealed token can start now. */
  vaultUnlocked(): void {
    if (!this.started) return
    for (const entry of this.entries.values()) {
      if (!entry.link && entry.row.enabled && entry.idle.error?.code === 'TUNNEL_LOCKED') this.run(entry)
    }
  }

  private run(entry: Entry): void {
    if (entry.link || !entry.row.enabled) {
      this.changed(entry)
      return
    }
    const { endpointId } = entry.row
    const deps = {
      endpointId,
      ingress: this.deps.ingress,
      clock: this.deps.clock,
      logger: this.deps.logger,
      ...this.deps.linkOptions,
      maxBodyBytes: () => this.deps.endpointBodyLimit(endpointId) ?? 0,
      onHealth: (health: TunnelHealth) => {
        if (this.entries.get(endpointId) === entry) this.deps.emit({ type: 'tunnel.changed', tunnel: { config: this.config(entry), health } })
      }
    }
    if (entry.target.provider === 'smee') {
      entry.link = new SmeeLink(entry.target.url, deps)
    } else {
      const token = this.tokenOf(entry)
      if (token === null) {
        this.changed(entry)
        return
      }
      entry.link = new RelayLink(entry.target.url, entry.target.connectUrl, token, deps)
    }
    entry.link.start()
  }

  private async halt(entry: Entry): Promise<void> {
    const link = entry.link
    entry.link = null
    entry.idle = offHealth(entry.row.endpointId, entry.target)
    await link?.stop()
  }

  /** The client token in memory, or unsealed; null (with the reason in the health) when the keyring is locked. */
  private tokenOf(entry: Entry): string | null {
    if (entry.token !== null) return entry.token
    if (!entry.row.sealedToken) return null
    try {
      entry.token = this.deps.sealer.unseal(entry.row.sealedToken, tokenContext(entry.row.endpointId)).toString('utf8')
      return entry.token
    } catch (error) {
      const locked = isEngineError(error) && error.code === 'VAULT_LOCKED'
      entry.idle = {
        ...entry.idle,
        status: 'offline',
        error: {
          code: 'TUNNEL_LOCKED',
          message: locked ? 'unlock the keyring: the tunnel’s client token is sealed in it' : 'the sealed client token could not be opened; set the token again'
        }
      }
      return null
    }
  }

  private trySeal(endpointId: string, token: string): Buffer | null {
    try {
      return this.deps.sealer.seal(Buffer.from(token, 'utf8'), tokenContext(endpointId))
    } catch (error) {
      if (isEngineError(error) && error.code === 'VAULT_LOCKED') {
        this.deps.logger.info('keyring locked: the tunnel token is held for this run only', { endpoint: endpointId })
        return null
      }
      throw error
    }
  }

  private changed(entry: Entry): void {
    this.deps.emit({ type: 'tunnel.changed', tunnel: this.view(entry) })
  }

  private view(entry: Entry): TunnelView {
    return { config: this.config(entry), health: entry.link?.snapshot() ?? structuredClone(entry.idle) }
  }

  private config(entry: Entry): TunnelConfigView {
    return {
      endpointId: entry.row.endpointId,
      url: entry.target.url,
      provider: entry.target.provider,
      enabled: entry.row.enabled,
      hasToken: entry.token !== null || entry.row.sealedToken !== null,
      tokenStored: entry.row.sealedToken !== null
    }
  }
}

function tokenContext(endpointId: string): string {
  return `tunnel-token:${endpointId}`
}

function offHealth(endpointId: string, target: TunnelTarget): TunnelHealth {
  return initialHealth(endpointId, target.provider, target.url)
}
