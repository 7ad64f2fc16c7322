import { Agent as HttpAgent } from 'node:http'
import { Agent as HttpsAgent } from 'node:https'
import { createSecureContext, type SecureContext } from 'node:tls'
import { isEngineError } from '../../../shared/errors'
import type { AttemptError } from '../../../shared/model/relay'
import { attemptError } from './attempt-errors'

/** What the relay needs from the certificate store. */
export interface TargetTlsSource {
  /** CA certificates (PEM) the user trusts for targets: the local CA and imported issuers. */
  trustedCaPems(): string[]
  /** A stored client certificate (leaf then chain, PEM) and its key. Throws VAULT_LOCKED / NOT_FOUND. */
  clientCertificate(id: string): { certPem: string; keyPem: string; name: string }
}

const AGENT_OPTIONS = { keepAlive: true, scheduling: 'lifo' as const }

/**
 * Keep-alive agents per kind of target: one for http, one per client certificate for https.
 * Each https agent carries one secure context (system CAs + the user's CAs + the client
 * certificate) built once, instead of OpenSSL parsing ~150 CA certificates per connection.
 * `invalidate()` (certificates changed) makes the next request build fresh ones.
 */
export class TargetAgents {
  private readonly http = new HttpAgent(AGENT_OPTIONS)
  private readonly https = new Map<string, HttpsAgent>()
  private readonly retired: HttpsAgent[] = []
  private systemCas: string[] | undefined

  constructor(
    private readonly source: TargetTlsSource,
    private readonly loadSystemCas: () => string[]
  ) {}

  /** The agent for `url`, or the reason a client certificate cannot be used. */
  agentFor(url: URL, clientCertificateId: string | null): { agent: HttpAgent } | { error: AttemptError } {
    if (url.protocol === 'http:') return { agent: this.http }
    const key = clientCertificateId ?? ''
    const existing = this.https.get(key)
    if (existing) return { agent: existing }
    let context: SecureContext
    try {
      context = this.secureContext(clientCertificateId)
    } catch (error) {
      return { error: clientCertificateError(error, clientCertificateId) }
    }
    const agent = new HttpsAgent({ ...AGENT_OPTIONS, secureContext: context })
    this.https.set(key, agent)
    return { agent }
  }

  /** Certificates changed: new connections get new contexts; open ones finish on the old. */
  invalidate(): void {
    this.retired.push(...this.https.values())
    this.https.clear()
  }

  close(): void {
    this.http.destroy()
    for (const agent of [...this.https.values(), ...this.retired]) agent.destroy()
    this.https.clear()
    this.retired.length = 0
  }

  private secureContext(clientCertificateId: string | null): SecureContext {
    this.systemCas ??= this.loadSystemCas()
    const ca = [...this.systemCas, ...this.source.trustedCaPems()]
    if (clientCertificateId === null) return createSecureContext({ ca })
    const { certPem, keyPem } = this.source.clientCertificate(clientCertificateId)
    return createSecureContext({ ca, cert: certPem, key: keyPem })
  }
}

function clientCertificateError(error: unknown, id: string | null): AttemptError {
  if (isEngineError(error) && error.code === 'VAULT_LOCKED') {
    return attemptError('CLIENT_CERT_UNAVAILABLE', `the keyring is locked, so client certificate ${id} cannot be used; unlock it and retry`)
  }
  if (isEngineError(error) && (error.code === 'NOT_FOUND' || error.code === 'BAD_INPUT')) {
    return attemptError('CLIENT_CERT_UNAVAILABLE', `client certificate ${id} is not in the certificate store (or has no key); choose another in the rule`)
  }
  return attemptError('CLIENT_CERT_UNAVAILABLE', `client certificate ${id} cannot be used: ${(error as Error)?.message ?? 'unknown error'}`)
}
