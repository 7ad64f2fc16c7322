import { summaryOfAttempt } from '../../../renderer/src/features/relay/attempt-format'
import type {
  EngineClient,
  EngineEvent,
  EngineMethod,
  EngineParams,
  EngineResult,
  SchemeInfo,
  StoreSettingsView,
  VaultStatus
} from '../../../shared/api/contract'
import { EngineError } from '../../../shared/errors'
import { decodeBase64 } from '../../../shared/lib/base64'
import { decodeUtf8 } from '../../../shared/lib/utf8'
import type { Delivery, DeliverySummary, RejectedConnection } from '../../../shared/model/delivery'
import { DEFAULT_TLS, type Endpoint } from '../../../shared/model/endpoint'
import type { KeyMaterial, KeySummary } from '../../../shared/model/keyring'
import {
  type Attempt,
  type AttemptBatch,
  CATCH_ALL,
  DEFAULT_FALLBACK,
  type EventTemplate,
  type ForwardingConfig,
  type ForwardingRule,
  RETRY_PRESETS
} from '../../../shared/model/relay'
import type { SigningCapability, SigningOverview, SigningProblem } from '../../../shared/model/signing'
import type { CertificateSummary, ExpiryWarning } from '../../../shared/model/tls'
import { type Verdict, verdictBadge } from '../../../shared/model/verdict'

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
  settings: StoreSettingsView = { durability: 'crash' }
  /** The passphrase `vault.unlock` accepts. */
  passphrase = 'correct horse'
  schemes: SchemeInfo[] = [
    { id: 'standard-webhooks', label: 'Standard Webhooks', needs: ['secret'] },
    { id: 'jws', label: 'JWS (signed token)', needs: ['publicKey', 'jwks', 'certificate'] }
  ]
  /** Refused TLS connections, newest first (as the engine lists them). */
  rejected: RejectedConnection[] = []
  certificates: CertificateSummary[] = []
  warnings: ExpiryWarning[] = []
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

  /** What `deliveries.facets` answers. */
  facets = { eventTypes: [] as string[], schemes: [] as string[], codes: [] as string[], statuses: [] as number[] }

  /** The engine's query semantics (deliveries-repo.ts), over the in-memory deliveries. */
  private matching(params: Record<string, unknown>): Delivery[] {
    const q = typeof params.q === 'string' ? params.q.toLowerCase() : null
    const status = params.status
    const eventType = typeof params.eventType === 'string' ? params.eventType : null
    return this.deliveries.filter(
      (d) =>
        (params.endpointId === undefined || d.endpointId === params.endpointId) &&
        (params.method === undefined || d.method === params.method) &&
        (params.verdict === undefined || d.verdict?.status === params.verdict) &&
        (params.code === undefined || d.verdict?.code === params.code) &&
        (params.scheme === undefined || d.verdict?.scheme === params.scheme) &&
        (status === undefined ||
          (typeof status === 'number' ? d.responseStatus === status : Math.floor(d.responseStatus / 100) === Number(String(status)[0]))) &&
        (eventType === null || d.eventType === eventType || (d.eventType ?? '').startsWith(`${eventType}.`)) &&
        (typeof params.from !== 'number' || d.receivedAt >= params.from) &&
        (typeof params.to !== 'number' || d.receivedAt < params.to) &&
        (q === null || d.url.toLowerCase().includes(q) || decodeUtf8(decodeBase64(d.bodyBase64)).toLowerCase().includes(q))
    )
  }

  callsOf(method: EngineMethod): unknown[] {
    return this.calls.filter((call) => call.method === method).map((call) => call.params)
  }

  /** Forwarding configs by endpoint id (an endpoint without one has no rules). */
  forwarding: Record<string, ForwardingConfig> = {}
  /** Every attempt (relay, replay, send), newest first as the engine lists them. */
  attempts: Attempt[] = []
  templates: EventTemplate[] = []
  /** What `replay.start` answers (a running batch over the ids or filter given). */
  batches: AttemptBatch[] = []

  /** What `keys.signing` answers: the capabilities given, and a problem per key where `signingProblems` names one. */
  capabilities: SigningCapability[] = [{ scheme: 'standard-webhooks', label: 'Standard Webhooks', signsWith: ['secret'], limits: null }]
  signingProblems: Record<string, SigningProblem> = {}

  private signing(): SigningOverview {
    const locked = this.vault.state === 'locked'
    const lockedProblem: SigningProblem = { code: 'VAULT_LOCKED', reason: 'The keyring is locked: unlock it to sign with its keys.' }
    return {
      locked,
      capabilities: this.capabilities,
      keys: this.keys.map((key) => ({ id: key.id, problem: locked ? lockedProblem : (this.signingProblems[key.id] ?? null) }))
    }
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
        const matching = this.matching(params)
        const start = typeof params.cursor === 'string' ? Number(params.cursor) : 0
        const limit = typeof params.limit === 'number' ? params.limit : 100
        const items = matching.slice(start, start + limit).map(summaryOf)
        const page: { items: DeliverySummary[]; nextCursor: string | null; total?: number } = {
          items,
          nextCursor: start + limit < matching.length ? String(start + limit) : null
        }
        if (params.cursor === undefined) page.total = this.deliveries.length
        return page
      }
      case 'deliveries.count':
        return { total: this.deliveries.length, matched: this.matching(params).length, capped: false }
      case 'deliveries.facets':
        return this.facets
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
        const base = makeEndpoint(String(params.name).toLowerCase(), String(params.name), 'stopped')
        const endpoint: Endpoint = { ...base, tls: { ...base.tls, ...(params.tls as Partial<Endpoint['tls']> | undefined) } }
        this.endpoints.push(endpoint)
        return endpoint
      }
      case 'endpoints.update': {
        const found = this.endpoints.find((e) => e.id === params.id)
        if (!found) throw new EngineError('NOT_FOUND', 'no such endpoint')
        const patch = params.patch as EngineParams<'endpoints.update'>['patch']
        const updated: Endpoint = { ...found, ...patch, tls: { ...found.tls, ...patch.tls } } as Endpoint
        this.endpoints = this.endpoints.map((e) => (e.id === found.id ? updated : e))
        return updated
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
          this.deliveries[index] = { ...this.deliveries[index]!, verdict: verdictBadge(verdict), verdictDetail: verdict }
        }
        return verdict
      }
      case 'settings.get':
        return this.settings
      case 'settings.update':
        this.settings = { ...this.settings, ...(params as Partial<StoreSettingsView>) }
        return this.settings
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
      case 'keys.signing':
        return this.signing()
      case 'forwarding.get':
        return this.forwarding[String(params.endpointId)] ?? { endpointId: String(params.endpointId), rules: [], fallback: DEFAULT_FALLBACK, warnings: [] }
      case 'forwarding.set': {
        const rules = (params.rules as EngineParams<'forwarding.set'>['rules']).map((input, index) =>
          makeRule({ ...input, id: input.id ?? `rule_${index + 1}` } as Partial<ForwardingRule>)
        )
        const config: ForwardingConfig = { endpointId: String(params.endpointId), rules, fallback: DEFAULT_FALLBACK, warnings: [] }
        this.forwarding[config.endpointId] = config
        return config
      }
      case 'attempts.list': {
        const items = this.attempts.filter(
          (attempt) =>
            (params.deliveryId === undefined || attempt.deliveryId === params.deliveryId) && (params.kind === undefined || attempt.kind === params.kind)
        )
        return { items: items.map(summaryOfAttempt), nextCursor: null }
      }
      case 'attempts.get': {
        const found = this.attempts.find((attempt) => attempt.id === params.id)
        if (!found) throw new EngineError('NOT_FOUND', `no attempt with id "${String(params.id)}"`)
        return found
      }
      case 'attempts.retryNow': {
        const attempt = makeAttempt({ deliveryId: String(params.deliveryId), kind: 'relay', state: 'in-flight', number: this.attempts.length + 1 })
        this.attempts.unshift(attempt)
        return summaryOfAttempt(attempt)
      }
      case 'attempts.cancel':
        return { cancelled: 1 }
      case 'replay.send': {
        const attempt = makeAttempt({
          deliveryId: String(params.deliveryId),
          kind: 'replay',
          target: typeof params.to === 'string' ? params.to : 'http://127.0.0.1:3000/rule',
          resignedWith: typeof params.resignKeyId === 'string' ? params.resignKeyId : null,
          edited: params.edit !== undefined
        })
        this.attempts.unshift(attempt)
        return attempt
      }
      case 'replay.start': {
        const total = Array.isArray(params.deliveryIds) ? params.deliveryIds.length : this.deliveries.length
        const batch: AttemptBatch = {
          id: `batch_${this.batches.length + 1}`,
          kind: 'replay',
          state: 'running',
          total,
          done: 0,
          succeeded: 0,
          failed: 0,
          startedAt: 1,
          finishedAt: null
        }
        this.batches.push(batch)
        return batch
      }
      case 'replay.cancel': {
        const found = this.batches.find((batch) => batch.id === params.batchId)
        if (!found) throw new EngineError('NOT_FOUND', 'no such batch')
        return { ...found, state: 'cancelled', finishedAt: 2 }
      }
      case 'sender.templates':
        return this.templates.filter((template) => params.scheme === undefined || template.scheme === params.scheme)
      case 'sender.send': {
        const count = typeof params.count === 'number' ? params.count : 1
        const attempts = Array.from({ length: count }, () =>
          makeAttempt({ deliveryId: null, kind: 'send', target: String(params.url), resignedWith: String(params.keyId) })
        )
        this.attempts.unshift(...attempts)
        return { batch: null, attempts }
      }
      case 'connections.rejected': {
        const limit = typeof params.limit === 'number' ? params.limit : 100
        return this.rejected.filter((item) => params.endpointId === undefined || item.endpointId === params.endpointId).slice(0, limit)
      }
      case 'certificates.list':
        return { certificates: this.certificates, warnings: this.warnings }
      case 'certificates.issueClient': {
        this.requireUnlocked()
        const cert = makeCertificate({
          id: `cert_${this.certificates.length + 1}`,
          kind: 'client',
          name: String(params.name),
          subject: `CN=${String(params.name)}`
        })
        this.certificates = [...this.certificates, cert]
        return cert
      }
      case 'certificates.importClient': {
        this.requireUnlocked()
        if (!String(params.certPem).includes('BEGIN CERTIFICATE')) throw new EngineError('BAD_INPUT', 'no PEM certificate (-----BEGIN CERTIFICATE-----) found')
        const cert = makeCertificate({
          id: `cert_${this.certificates.length + 1}`,
          kind: 'client',
          name: typeof params.name === 'string' ? params.name : 'imported'
        })
        this.certificates = [...this.certificates, cert]
        return cert
      }
      case 'certificates.importIssuer': {
        const cert = makeCertificate({
          id: `cert_${this.certificates.length + 1}`,
          kind: 'issuer',
          name: typeof params.name === 'string' ? params.name : 'Partner CA',
          hasKey: false
        })
        this.certificates = [...this.certificates, cert]
        return [cert]
      }
      case 'certificates.exportClient': {
        this.requireUnlocked()
        const found = this.certificates.find((cert) => cert.id === params.id && cert.kind === 'client')
        if (!found) throw new EngineError('NOT_FOUND', `no client certificate with id "${String(params.id)}"`)
        if (params.format === 'p12') {
          if (!params.password) throw new EngineError('BAD_INPUT', 'a PKCS#12 export needs a password')
          return { files: [{ fileName: `${found.name}.p12`, contentBase64: 'MIIB' }] }
        }
        return {
          files: [
            { fileName: `${found.name}.crt.pem`, contentBase64: 'Y2VydA==' },
            { fileName: `${found.name}.key.pem`, contentBase64: 'a2V5' },
            { fileName: 'hookscope-ca.crt', contentBase64: 'Y2E=' }
          ]
        }
      }
      case 'certificates.remove': {
        if (this.certificates.find((cert) => cert.id === params.id)?.kind === 'ca') {
          throw new EngineError('CONFLICT', 'the local CA is replaced with certificates.regenerateCa, not removed')
        }
        const before = this.certificates.length
        this.certificates = this.certificates.filter((cert) => cert.id !== params.id)
        this.warnings = this.warnings.filter((warning) => warning.id !== params.id)
        return { removed: this.certificates.length < before }
      }
      case 'certificates.exportCa':
        if (!this.certificates.some((cert) => cert.kind === 'ca')) this.certificates = [makeCertificate(), ...this.certificates]
        return { fileName: params.format === 'pem' ? 'hookscope-ca.crt' : 'hookscope-ca.der', contentBase64: 'Y2E=', instructions: 'Trust hookscope-ca.crt' }
      case 'certificates.regenerateCa': {
        const ca = makeCertificate({ id: `ca_${this.certificates.length + 1}`, name: 'Hookscope Local CA new' })
        this.certificates = [ca, ...this.certificates.filter((cert) => cert.kind !== 'ca' && cert.kind !== 'server')]
        return ca
      }
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

export function makeCertificate(overrides: Partial<CertificateSummary> = {}): CertificateSummary {
  return {
    id: 'ca_1',
    kind: 'ca',
    name: 'Hookscope Local CA 1a2b3c',
    subject: 'CN=Hookscope Local CA 1a2b3c, O=Hookscope',
    issuer: 'CN=Hookscope Local CA 1a2b3c, O=Hookscope',
    serial: '01',
    fingerprint256: Array.from({ length: 32 }, () => 'AB').join(':'),
    notBefore: 1_700_000_000_000,
    notAfter: 1_900_000_000_000,
    hosts: [],
    hasKey: true,
    issuedByLocalCa: false,
    status: 'valid',
    createdAt: 1,
    ...overrides
  }
}

let rejectedSequence = 0

export function makeRejected(overrides: Partial<RejectedConnection> = {}): RejectedConnection {
  rejectedSequence++
  return {
    id: `r${String(rejectedSequence).padStart(6, '0')}`,
    endpointId: 'secure',
    at: 1_700_000_000_000 + rejectedSequence,
    remoteAddress: '127.0.0.1',
    remotePort: 40000 + rejectedSequence,
    rejection: {
      code: 'no-certificate',
      reason: 'the client sent no certificate',
      facts: null,
      hello: { maxVersion: 'TLSv1.3', versions: ['TLSv1.3', 'TLSv1.2'], sni: 'localhost', alpn: ['http/1.1'] }
    },
    ...overrides
  }
}

export function summaryOf(delivery: Delivery): DeliverySummary {
  const {
    headers: _headers,
    latin1Headers: _latin1Headers,
    trailers: _trailers,
    latin1Trailers: _latin1Trailers,
    bodyBase64: _body,
    verdictDetail: _verdict,
    tls: _tls,
    response: _response,
    source: _source,
    ...summary
  } = delivery
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
    eventType: null,
    headers: [['Host', '127.0.0.1:8080']],
    latin1Headers: [],
    trailers: [],
    latin1Trailers: [],
    bodyBase64: 'e30=',
    verdictDetail: null,
    tls: null,
    response: { headers: [], bodyBase64: '', bodyTruncated: false },
    source: { kind: 'listener' },
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
    response: { status: 200, headers: [], body: null, delayMs: 0, failure: null },
    tls: DEFAULT_TLS,
    state: { status, port: status === 'listening' ? 8080 : null, url: status === 'listening' ? 'http://127.0.0.1:8080/' : null, error: null, code: null }
  }
}

/** Lets pending promise callbacks run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve()
}

export function makeRule(overrides: Partial<ForwardingRule> = {}): ForwardingRule {
  return {
    id: 'rule_1',
    name: '',
    enabled: true,
    match: CATCH_ALL,
    target: 'http://127.0.0.1:3000',
    pathRewrite: null,
    headers: { remove: [], add: [] },
    preserveHost: false,
    timeoutMs: 30_000,
    mode: 'passthrough',
    retry: RETRY_PRESETS.fast,
    clientCertificateId: null,
    ...overrides
  }
}

let attemptSequence = 0

export function makeAttempt(overrides: Partial<Attempt> = {}): Attempt {
  attemptSequence++
  return {
    id: `att_${attemptSequence}`,
    deliveryId: 'd000001',
    endpointId: 'default',
    kind: 'relay',
    ruleId: null,
    batchId: null,
    number: 1,
    state: 'succeeded',
    dueAt: 1_700_000_000_000 + attemptSequence,
    startedAt: 1_700_000_000_000 + attemptSequence,
    finishedAt: 1_700_000_000_010 + attemptSequence,
    method: 'POST',
    target: 'http://127.0.0.1:3000/hook',
    status: 200,
    durationMs: 10,
    error: null,
    resignedWith: null,
    edited: false,
    verdict: null,
    requestHeaders: [['Content-Type', 'application/json']],
    requestBodyBase64: 'e30=',
    requestBodySize: 2,
    responseHeaders: [['Content-Type', 'application/json']],
    responseBodyBase64: 'e30=',
    responseBodySize: 2,
    responseTruncated: false,
    verdictDetail: null,
    notes: [],
    ...overrides
  }
}
