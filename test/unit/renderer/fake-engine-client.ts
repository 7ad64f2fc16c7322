import type { EngineClient, EngineEvent, EngineMethod, EngineParams, EngineResult, SchemeInfo, VaultStatus } from '../../../shared/api/contract'
import { EngineError } from '../../../shared/errors'
import { decodeBase64 } from '../../../shared/lib/base64'
import { decodeUtf8 } from '../../../shared/lib/utf8'
import type { Delivery, DeliverySummary } from '../../../shared/model/delivery'
import { DEFAULT_TLS, type Endpoint } from '../../../shared/model/endpoint'
import type { KeyMaterial, KeySummary } from '../../../shared/model/keyring'
import type { Verdict } from '../../../shared/model/verdict'

/**
 * An in-memory EngineClient for store tests. Queries run when called (like the real store, the
 * answer reflects that moment); with `paused` the answers are held until `release()`, so tests can
 * interleave events with requests in flight.
 */
export class FakeEngineClient implements EngineClient {
  deliveries: Delivery[] = []
  endpoints: Endpoint[] = []
  /** The keyring: summaries, and the material `keys.reveal` hands out (by key id). */
  keys: KeySummary[] = []
  material: Record<string, KeyMaterial> = {}
  vault: VaultStatus = { state: 'uninitialized', protections: [] }
  /** The passphrase `vault.unlock` accepts. */
  passphrase = 'correct horse'
  schemes: SchemeInfo[] = [
    { id: 'standard-webhooks', label: 'Standard Webhooks', needs: ['secret'] },
    { id: 'jws', label: 'JWS (signed token)', needs: ['publicKey', 'jwks', 'certificate'] }
  ]
  /** What `deliveries.verify` answers, by delivery id. */
  verdicts: Record<string, Verdict> = {}
  calls: Array<{ method: EngineMethod; params: unknown }> = []
  paused = false
  failNext: Partial<Record<EngineMethod, EngineError>> = {}
  private held: Array<() => void> = []
  private listeners = new Set<(event: EngineEvent) => void>()

  invoke<M extends EngineMethod>(method: M, params: EngineParams<M>): Promise<EngineResult<M>> {
    this.calls.push({ method, params })
    const failure = this.failNext[method]
    delete this.failNext[method]
    let outcome: { ok: true; value: unknown } | { ok: false; error: unknown }
    try {
      if (failure) throw failure
      outcome = { ok: true, value: this.run(method, params) }
    } catch (error) {
      outcome = { ok: false, error }
    }
    return new Promise((resolve, reject) => {
      const settle = () => (outcome.ok ? resolve(outcome.value as EngineResult<M>) : reject(outcome.error))
      if (this.paused) this.held.push(settle)
      else settle()
    })
  }

  subscribe(listener: (event: EngineEvent) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  broadcast(event: EngineEvent): void {
    for (const listener of this.listeners) listener(event)
  }

  /** Delivers held answers, in call order or (to simulate a slow first request) newest first. */
  release(order: 'fifo' | 'lifo' = 'fifo'): void {
    this.paused = false
    const held = this.held
    this.held = []
    for (const settle of order === 'fifo' ? held : held.reverse()) settle()
  }

  /** Adds a delivery as the capture path would, and announces it. */
  capture(delivery: Delivery): void {
    this.deliveries.unshift(delivery)
    this.broadcast({ type: 'delivery.added', delivery: summaryOf(delivery) })
  }

  callsOf(method: EngineMethod): unknown[] {
    return this.calls.filter((call) => call.method === method).map((call) => call.params)
  }

  private requireUnlocked(): void {
    if (this.vault.state !== 'unlocked') throw new EngineError('VAULT_LOCKED', 'the keyring is locked: unlock it first')
  }

  private patchKey(id: string, patch: Partial<KeySummary>): KeySummary {
    const found = this.keys.find((key) => key.id === id)
    if (!found) throw new EngineError('NOT_FOUND', `no key with id "${id}"`)
    const updated = { ...found, ...patch }
    this.keys = this.keys.map((key) => (key.id === id ? updated : key))
    return updated
  }

  private run(method: EngineMethod, rawParams: unknown): unknown {
    const params = rawParams as Record<string, unknown>
    switch (method) {
      case 'deliveries.list': {
        const q = typeof params.q === 'string' ? params.q.toLowerCase() : null
        const matching = this.deliveries.filter(
          (d) =>
            (params.endpointId === undefined || d.endpointId === params.endpointId) &&
            (params.method === undefined || d.method === params.method) &&
            (q === null || d.url.toLowerCase().includes(q) || decodeUtf8(decodeBase64(d.bodyBase64)).toLowerCase().includes(q))
        )
        const start = typeof params.cursor === 'string' ? Number(params.cursor) : 0
        const limit = typeof params.limit === 'number' ? params.limit : 100
        const items = matching.slice(start, start + limit).map(summaryOf)
        return { items, nextCursor: start + limit < matching.length ? String(start + limit) : null }
      }
      case 'deliveries.get': {
        const found = this.deliveries.find((d) => d.id === params.id)
        if (!found) throw new EngineError('NOT_FOUND', `no delivery ${String(params.id)}`)
        return found
      }
      case 'deliveries.delete': {
        const before = this.deliveries.length
        this.deliveries = this.deliveries.filter((d) => d.id !== params.id)
        return { deleted: this.deliveries.length < before }
      }
      case 'deliveries.clear': {
        const before = this.deliveries.length
        this.deliveries = []
        return { deleted: before }
      }
      case 'endpoints.list':
        return this.endpoints
      case 'endpoints.create': {
        const endpoint = makeEndpoint(String(params.name).toLowerCase(), String(params.name), 'stopped')
        this.endpoints.push(endpoint)
        return endpoint
      }
      case 'endpoints.start':
      case 'endpoints.stop': {
        const found = this.endpoints.find((e) => e.id === params.id)
        if (!found) throw new EngineError('NOT_FOUND', 'no such endpoint')
        const status = method === 'endpoints.start' ? 'listening' : 'stopped'
        const updated = { ...found, state: { ...found.state, status } } as Endpoint
        this.endpoints = this.endpoints.map((e) => (e.id === found.id ? updated : e))
        return updated
      }
      case 'endpoints.delete':
        this.endpoints = this.endpoints.filter((e) => e.id !== params.id)
        return { deleted: true }
      case 'deliveries.verify': {
        const verdict = this.verdicts[String(params.id)]
        if (!verdict) throw new EngineError('NOT_FOUND', `no delivery with id "${String(params.id)}"`)
        const index = this.deliveries.findIndex((d) => d.id === params.id)
        if (index >= 0) {
          const badge = { status: verdict.status, scheme: verdict.scheme, code: verdict.code }
          this.deliveries[index] = { ...this.deliveries[index]!, verdict: badge, verdictDetail: verdict }
        }
        return verdict
      }
      case 'vault.status':
        return this.vault
      case 'vault.unlock':
        if (params.passphrase !== this.passphrase) throw new EngineError('BAD_PASSPHRASE', 'wrong passphrase')
        this.vault = { ...this.vault, state: 'unlocked' }
        return this.vault
      case 'vault.setPassphrase':
        if (this.vault.state === 'locked') throw new EngineError('VAULT_LOCKED', 'the keyring is locked: unlock it before changing its passphrase')
        this.passphrase = String(params.passphrase)
        this.vault = { state: 'unlocked', protections: ['passphrase'] }
        return this.vault
      case 'verify.schemes':
        return this.schemes
      case 'keys.list':
        return this.keys
      case 'keys.create': {
        this.requireUnlocked()
        const input = params as EngineParams<'keys.create'>
        const key = makeKey({
          id: `key_${this.keys.length + 1}`,
          name: input.name,
          scheme: input.scheme,
          status: input.status ?? 'ACTIVE',
          keyId: input.keyId ?? null,
          fields: Object.keys(input.material) as KeySummary['fields']
        })
        this.keys = [...this.keys, key]
        this.material[key.id] = input.material
        return key
      }
      case 'keys.activate':
        return [this.patchKey(String(params.id), { status: 'ACTIVE', activatedAt: 2 })]
      case 'keys.delete':
        return this.patchKey(String(params.id), { status: 'DELETED', deletedAt: 3 })
      case 'keys.remove': {
        const before = this.keys.length
        this.keys = this.keys.filter((key) => key.id !== params.id)
        return { removed: this.keys.length < before }
      }
      case 'keys.reveal':
        this.requireUnlocked()
        if (!this.material[String(params.id)]) throw new EngineError('NOT_FOUND', `no key with id "${String(params.id)}"`)
        return this.material[String(params.id)]
      case 'keys.import':
        this.requireUnlocked()
        if ('bundle' in params && params.passphrase !== 'bundle passphrase') throw new EngineError('BAD_PASSPHRASE', 'wrong passphrase or damaged bundle')
        return { imported: 1, skipped: [{ index: 1, reason: 'id already in the keyring' }] }
      case 'keys.export':
        this.requireUnlocked()
        return { bundle: 'hookscope-keyring-v1.header.ciphertext' }
      default:
        throw new EngineError('UNKNOWN_METHOD', method)
    }
  }
}

export function makeKey(overrides: Partial<KeySummary> = {}): KeySummary {
  return {
    id: 'key_1',
    name: 'Orders',
    scheme: 'standard-webhooks',
    keyId: null,
    group: overrides.scheme ?? 'standard-webhooks',
    status: 'ACTIVE',
    createdAt: 1,
    activatedAt: overrides.status === 'INACTIVE' ? null : 1,
    deletedAt: null,
    endpointIds: [],
    pathPrefixes: [],
    notes: '',
    options: {},
    fields: ['secret'],
    ...overrides
  }
}

export function summaryOf(delivery: Delivery): DeliverySummary {
  const { headers: _headers, bodyBase64: _body, verdictDetail: _verdict, tls: _tls, ...summary } = delivery
  return summary
}

let sequence = 0

export function makeDelivery(overrides: Partial<Delivery> = {}): Delivery {
  sequence++
  return {
    id: `d${String(sequence).padStart(6, '0')}`,
    endpointId: 'default',
    receivedAt: 1_700_000_000_000 + sequence,
    durationMs: 1,
    method: 'POST',
    url: `/hook/${sequence}`,
    httpVersion: '1.1',
    contentType: 'application/json',
    bodySize: 2,
    truncated: false,
    responseStatus: 200,
    remoteAddress: '127.0.0.1',
    remotePort: 50000,
    verdict: null,
    secure: false,
    headers: [['Host', '127.0.0.1:8080']],
    bodyBase64: 'e30=',
    verdictDetail: null,
    tls: null,
    ...overrides
  }
}

export function makeEndpoint(id: string, name: string, status: Endpoint['state']['status']): Endpoint {
  return {
    id,
    name,
    host: '127.0.0.1',
    port: 0,
    enabled: true,
    maxBodyBytes: 1024,
    response: { status: 200, headers: [], body: null },
    tls: DEFAULT_TLS,
    state: { status, port: status === 'listening' ? 8080 : null, url: status === 'listening' ? 'http://127.0.0.1:8080/' : null, error: null }
  }
}

/** Lets pending promise callbacks run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve()
}
